"""Reported speech in news copy: who is quoted, and where the quote and speaker are.

News attributes speech in a handful of shapes, which this module finds with
patterns over the text rather than a parser:

- direct quotes with a reporting verb before or after them
  (`“...,” said X`, `X said: “...”`, `“...,” X stressed`), interrupted quotes
  (`“A,” he said. “B.”`), and quotes running over several paragraphs;
- indirect speech (`X said (that) ...`, `X denied ...`), `according to X`;
- speakers given as names, titles (`the spokesman`), pronouns, or
  `a statement from the group`.

Quote marks are classified by position, not glyph, because real copy mixes
them (`places“, he said`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detector.offline.lexicon import ROLE_WORDS, SPEECH_PHRASES, SPEECH_VERBS
from detector.text import Segment, paragraphs, sentences

_QUOTE_CHARS = '\u201c\u201d\u201e\u00ab\u00bb"'
_OPEN_GLYPHS = "\u201c\u201e\u00ab"
_CLOSE_GLYPHS = "\u201d\u00bb"
_WORD = re.compile(r"[\w][\w'’.&-]*", re.UNICODE)

# Minimum words for a quote to stand as a claim by itself; shorter quotes are
# scare quotes inside a sentence and are handled as indirect speech.
MIN_QUOTE_WORDS = 4


@dataclass
class Mention:
    """A speaker phrase as written, with its offsets."""

    text: str
    start: int
    end: int


@dataclass
class Attribution:
    """One stretch of reported speech and the phrase that names its speaker."""

    start: int
    end: int
    speaker: Mention | None
    verb: str
    direct: bool
    paragraph: int
    quote_marks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Quote:
    start: int  # content start (after the mark)
    end: int  # content end (before the mark)
    para: int
    open_ended: bool = False  # ran to the paragraph end without a closing mark
    continued: bool = False  # began at the paragraph start without an opening mark


def _mark_role(text: str, i: int) -> str:
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    before_space = prev.isspace() or prev in "([{\u2014-/:" or i == 0
    after_space = nxt.isspace() or nxt in ",.;:!?)]}" or i + 1 == len(text)
    if before_space and not after_space:
        return "open"
    if after_space and not before_space:
        return "close"
    ch = text[i]
    if ch in _OPEN_GLYPHS:
        return "open"
    if ch in _CLOSE_GLYPHS:
        return "close"
    return "ambiguous"


def find_quotes(text: str, paras: list[Segment]) -> list[_Quote]:
    """Direct quotations, paragraph by paragraph."""
    quotes: list[_Quote] = []
    for pi, para in enumerate(paras):
        marks = [
            (i, _mark_role(text, i)) for i in range(para.start, para.end) if text[i] in _QUOTE_CHARS
        ]
        open_at: int | None = None
        for i, role in marks:
            if role == "ambiguous":
                role = "close" if open_at is not None else "open"
            if role == "open":
                if open_at is not None:
                    # A quote that never closed before the next one opens (a
                    # translation glitch): end it at the last sentence end.
                    end = _last_sentence_end(text, open_at, i)
                    quotes.append(_Quote(open_at, end, pi, open_ended=True))
                open_at = i + 1
            else:
                if open_at is None:
                    # Closing mark with no opening: the quote began at the
                    # paragraph start (a continued or glitched quote).
                    quotes.append(_Quote(para.start, i, pi, continued=True))
                else:
                    quotes.append(_Quote(open_at, i, pi))
                    open_at = None
        if open_at is not None:
            quotes.append(_Quote(open_at, para.end, pi, open_ended=True))
    return [q for q in quotes if q.end > q.start]


def _last_sentence_end(text: str, start: int, limit: int) -> int:
    cut = max(
        text.rfind(". ", start, limit),
        text.rfind("! ", start, limit),
        text.rfind("? ", start, limit),
    )
    return cut + 1 if cut > start else limit


# -- speaker phrases ---------------------------------------------------------------

_CAP = r"(?:[A-Z][\w'’.&-]*|[A-Z]{2,})"
_LINK = r"(?:of|for|the|and|de|del|al|bin|van|von|der|la|le|on)"
# A run of capitalised words, possibly with lower-case links and role words inside.
_NAME = rf"{_CAP}(?:[ \t]+(?:{_LINK}[ \t]+)*(?:{_CAP}|[a-z]+-?[a-z]*(?=[ \t]+{_CAP})))*"
_PRON = r"(?:he|she|they|it|we|He|She|They|It|We)"
_ROLES = "|".join(sorted(ROLE_WORDS, key=len, reverse=True))
# "chief executive Laura Mendes", "union organiser Carl Benson"
_ROLE_NAME = rf"(?:[a-z]+[ \t]+){{0,2}}(?:{_ROLES})[ \t]+{_NAME}"
# ", who carried out the inspection," between a speaker and the verb
_APPOSITIVE = r"(?P<appos>[ \t]*,(?![ \t]*which\b[^,]*,[ \t]*which\b)[^\n\"\u201c\u201d]{1,90}?,)?"
# "criticism from Baghdad, which said ..."
_RELATIVE = r"(?:,?[ \t]+(?:which|who)(?:[ \t]+(?:has|had|have))?)?"
_DEF = r"(?:[Tt]he|[Tt]his|[Tt]hat|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir)(?:[ \t]+[\w'’-]+){1,4}?"
_OWNER = rf"(?:(?:the[ \t]+)?{_NAME}|[Tt]he(?:[ \t]+[a-z][\w'’-]*){{1,3}})"
_SPEAKER = (
    rf"(?:{_ROLE_NAME}|{_DEF}(?:[ \t]+(?:from|of|for|by)[ \t]+{_OWNER})?|{_NAME}|{_PRON})"
    r"(?:[ \t]+himself|[ \t]+herself|[ \t]+itself|[ \t]+themselves)?"
)

_VERBS = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_PHRASES = "|".join(re.escape(p) for p in SPEECH_PHRASES)
_VERB = rf"(?:{_PHRASES}|(?:also[ \t]+|later[ \t]+|has[ \t]+|had[ \t]+|have[ \t]+)?(?:{_VERBS}))"

# After a quote: `,” said a statement from the group` | `,” he said` | `,” Sharif said`.
_AFTER_VERB_FIRST = re.compile(
    rf"^[\s,.;:!?\u2014-]*(?P<verb>{_VERB})[ \t]+(?P<speaker>{_SPEAKER})", re.UNICODE
)
_AFTER_SPEAKER_FIRST = re.compile(
    rf"^[\s,.;:!?\u2014-]*(?P<speaker>{_SPEAKER}){_APPOSITIVE}[ \t]+(?P<verb>{_VERB})\b", re.UNICODE
)
# Before a quote: `Sharif noted that “` | `Mr Smith said: “` | `he told reporters: “`.
_BEFORE = re.compile(
    rf"(?P<speaker>{_SPEAKER})[ \t]+(?P<verb>{_VERB})\b"
    rf"[^.!?\"\u201c\u201d]{{0,60}}?[ \t,:]*(?:that)?[ \t,:]*$",
    re.UNICODE,
)
# "CLAUSE, the fire service said on Sunday."
_TRAILING = re.compile(
    rf"^(?P<clause>.{{12,}}?),[ \t]+(?P<speaker>{_SPEAKER}){_APPOSITIVE}[ \t]+(?P<verb>{_VERB})\b"
    rf"(?P<tail>[^,.;:\"\u201c\u201d]{{0,40}})[.!?]?$",
    re.UNICODE | re.DOTALL,
)
_ACCORDING = re.compile(rf"\b[Aa]ccording to (?P<speaker>{_SPEAKER})", re.UNICODE)
# Indirect speech inside one sentence: `X said (that) CLAUSE`.
_INDIRECT = re.compile(
    rf"(?:^|(?<=[\s,(]))(?P<speaker>{_SPEAKER}){_APPOSITIVE}{_RELATIVE}[ \t]+(?:[a-z]+ly[ \t]+)?(?P<verb>{_VERB})\b"
    rf"[ \t]*(?:,[ \t]*)?(?:(?:[\w'’-]+[ \t]+){{0,4}}?that[ \t]+)?(?P<clause>.+)$",
    re.UNICODE | re.DOTALL,
)


_NAMED = re.compile(r"(?:^|\s)(?:[A-Z][\w'’.-]+)")


def _mention(match: re.Match[str], offset: int) -> Mention:
    """The speaker phrase; a named appositive wins: "his sister, Joanne Reid, said"."""
    appos = match.groupdict().get("appos")
    if appos:
        inner = appos.strip(" \t,")
        relative = inner.lower().startswith(("who", "which", "that", "whose", "where"))
        if _NAMED.search(inner) and len(inner.split()) <= 8 and not relative:
            start = offset + match.start("appos") + appos.index(inner)
            return Mention(inner, start, start + len(inner))
    return Mention(
        match.group("speaker"), offset + match.start("speaker"), offset + match.end("speaker")
    )


def _verb(match: re.Match[str]) -> str:
    return match.group("verb").split()[-1].lower()


def _sentence_of(sents: list[Segment], pos: int) -> Segment | None:
    for s in sents:
        if s.start <= pos < s.end:
            return s
    return None


def attribute_quote(text: str, quote: _Quote, para: Segment) -> tuple[Mention, str] | None:
    """The speaker phrase and verb next to one quotation, if the copy gives them."""
    close = quote.end + 1 if quote.end < para.end else quote.end
    after = text[close : min(para.end, close + 120)]
    for pattern in (_AFTER_VERB_FIRST, _AFTER_SPEAKER_FIRST):
        m = pattern.match(after)
        if m and not _is_bad_speaker(m.group("speaker")):
            return _mention(m, close), _verb(m)
    open_mark = quote.start - 1 if quote.start > para.start else quote.start
    line_start = max(para.start, open_mark - 200)
    before = text[line_start:open_mark]
    # only the current sentence before the quote
    cut = max(before.rfind(". "), before.rfind("? "), before.rfind("! "), before.rfind("\u201d "))
    if cut >= 0:
        line_start += cut + 2
        before = before[cut + 2 :]
    m = _BEFORE.search(before)
    if m and not _is_bad_speaker(m.group("speaker")):
        return _mention(m, line_start), _verb(m)
    m = _ACCORDING.search(text[para.start : para.end])
    if m:
        return _mention(m, para.start), "said"
    return None


_BAD_SPEAKER = re.compile(
    r"^(?:it|this|that|there|which|what|who|"
    r"the[ \t]+(?:fact|reason|report|truth|problem|question)s?)$",
    re.I,
)


def _is_bad_speaker(phrase: str) -> bool:
    return bool(_BAD_SPEAKER.match(phrase.strip())) or len(phrase) > 90


def find_attributions(text: str, language: str = "en") -> list[Attribution]:
    """All reported speech in the article, in text order."""
    paras = paragraphs(text)
    sents = sentences(text, language)
    quotes = find_quotes(text, paras)
    out: list[Attribution] = []
    covered: list[tuple[int, int]] = []
    last: dict[int, tuple[Mention, str]] = {}

    for qi, q in enumerate(quotes):
        words = len(_WORD.findall(text[q.start : q.end]))
        if words < MIN_QUOTE_WORDS:
            continue
        para = paras[q.para]
        found = attribute_quote(text, q, para)
        if found is None:
            # Interrupted quote in the same paragraph, or a quote paragraph that
            # continues the previous paragraph's speaker (news convention).
            starts_paragraph = q.start - para.start <= 1
            for prev_q in reversed(quotes[:qi]):
                same = prev_q.para == q.para
                carried = starts_paragraph and prev_q.para == q.para - 1
                if (same or carried) and id(prev_q) in last:
                    found = last[id(prev_q)]
                    break
            if found is None and qi + 1 < len(quotes):
                nxt = quotes[qi + 1]
                if nxt.para == q.para or (q.open_ended and nxt.para == q.para + 1):
                    found = attribute_quote(text, nxt, paras[nxt.para])
        if found is None:
            continue
        last[id(q)] = found
        mention, verb = found
        out.append(
            Attribution(q.start, q.end, mention, verb, True, q.para, quote_marks=[(q.start, q.end)])
        )
        covered.append((q.start, q.end))

    # Indirect speech in sentences that carry no standalone quote.
    for s in sents:
        if any(a <= s.start < b or s.start <= a < s.end for a, b in covered):
            continue
        para_index = next((i for i, p in enumerate(paras) if p.start <= s.start < p.end + 1), 0)
        for clause in _clauses(text, s):
            found_indirect = _indirect(text, clause)
            if found_indirect is not None:
                found_indirect.paragraph = para_index
                out.append(found_indirect)
    out.sort(key=lambda a: a.start)
    return out


_CLAUSE_BREAK = re.compile(r",[ \t]+(?:and|but|while|whereas)[ \t]+|;[ \t]+")


def _clauses(text: str, s: Segment) -> list[Segment]:
    """'A reported X, and B said Y' holds two attributions: split at the coordination."""
    parts: list[Segment] = []
    start = s.start
    for m in _CLAUSE_BREAK.finditer(text, s.start, s.end):
        parts.append(Segment(start, m.start(), text[start : m.start()]))
        start = m.end()
    parts.append(Segment(start, s.end, text[start : s.end]))
    return parts


def _indirect(text: str, s: Segment) -> Attribution | None:
    sentence = text[s.start : s.end]
    m = _ACCORDING.search(sentence)
    if m:
        speaker = _mention(m, s.start)
        if m.start() < 3:  # "According to X, CLAUSE"
            rest = sentence[m.end() :].lstrip(" ,")
            start = s.start + len(sentence) - len(rest)
        else:  # "CLAUSE, according to X"
            rest = sentence[: m.start()].rstrip(" ,")
            start = s.start
        end = start + len(rest.rstrip(" .;"))
        if len(_WORD.findall(rest)) >= MIN_QUOTE_WORDS:
            return Attribution(start, end, speaker, "said", False, 0)
        return None
    m = _TRAILING.match(sentence)
    if m and not _is_bad_speaker(m.group("speaker")) and " that " not in m.group("tail"):
        start = s.start + m.start("clause")
        end = s.start + m.end("clause")
        if len(_WORD.findall(text[start:end])) >= MIN_QUOTE_WORDS:
            return Attribution(start, end, _mention(m, s.start), _verb(m), False, 0)
    m = _INDIRECT.search(sentence)
    if not m or _is_bad_speaker(m.group("speaker")):
        return None
    verb = _verb(m)
    kind = SPEECH_VERBS.get(verb, "assertion")
    # A denial or accusation keeps its verb: "denied the Iranian version".
    start = s.start + (m.start("verb") if kind in ("denial", "accusation") else m.start("clause"))
    end = s.start + m.end("clause")
    while end > start and text[end - 1] in ' .;:!?\u201d"\n':
        end -= 1
    if len(_WORD.findall(text[start:end])) < 3:
        return None
    return Attribution(start, end, _mention(m, s.start), verb, False, 0)
