"""Offline stage 1: reported speech → claim drafts → grounded claims and actors."""

from __future__ import annotations

import re
from collections.abc import Callable

from detector.assemble import assemble, contains_words, name_key
from detector.interfaces import RunContext
from detector.models import Article, ClaimDraft, ClaimKind, Extraction
from detector.offline.attribution import MIN_QUOTE_WORDS, Attribution, find_attributions
from detector.offline.features import overlap, stems
from detector.offline.lexicon import DENIAL_WORDS, SPEECH_VERBS
from detector.offline.speakers import Resolver
from detector.text import sentences

_WORD = re.compile(r"\w+", re.UNICODE)
_REFERENCE = re.compile(
    r"\b(version|claims?|allegations?|accounts?|reports?|stor(?:y|ies)|statements?|stated|remarks?|"
    r"assertions?|suggestions?|accusations?|what was said|said by)\b",
    re.I,
)
# Denials phrased as absence: "there is no record of any call", "nothing to suggest".
_NO_RECORD = re.compile(
    r"\b(no (?:record|evidence|trace|sign|proof|contact|basis)|nothing to (?:suggest|indicate)|"
    r"never (?:happened|took place|met|said)|did not happen|not true)\b",
    re.I,
)
_FUTURE_THREAT = re.compile(
    r"\b(will|shall)\s+(respond|retaliate|take revenge|punish|strike|hit)\b", re.I
)
_PREDICTION = re.compile(r"\b(will|expects?|expected|forecasts?|likely to|going to)\b", re.I)


def claim_kind(verb: str, quote: str) -> ClaimKind:
    """The verb decides first ("denied"); failing that, the quote's own words."""
    by_verb = SPEECH_VERBS.get(verb.lower(), "assertion")
    if by_verb != "assertion":
        return by_verb  # type: ignore[return-value]
    head = [w.lower() for w in _WORD.findall(quote)[:8]]
    if any(w in DENIAL_WORDS for w in head) or _NO_RECORD.search(quote):
        return "denial"
    if _FUTURE_THREAT.search(quote):
        return "threat"
    if _PREDICTION.search(quote):
        return "prediction"
    return "assertion"


def _pieces(text: str, att: Attribution, language: str) -> list[tuple[int, int]]:
    """A long quotation is several claims: split it at sentence ends."""
    body = text[att.start : att.end]
    if len(_WORD.findall(body)) < 2 * MIN_QUOTE_WORDS:
        return [(att.start, att.end)]
    out: list[tuple[int, int]] = []
    for s in sentences(body, language):
        start, end = att.start + s.start, att.start + s.end
        if len(_WORD.findall(text[start:end])) >= MIN_QUOTE_WORDS:
            out.append((start, end))
        elif out:
            out[-1] = (out[-1][0], end)
    return out or [(att.start, att.end)]


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,;:\u201c\u201d\"'\u2018\u2019(":
        start += 1
    while end > start and text[end - 1] in ' \t\n,;:\u201c\u201d"\u2018(':
        end -= 1
    # keep a quotation inside the claim whole: 'were "nonsense"', not 'were "nonsense'
    span = text[start:end]
    unbalanced = span.count('"') % 2 == 1 or span.count("\u201c") > span.count("\u201d")
    if unbalanced and end < len(text) and text[end] in '"\u201d':
        end += 1
    return start, end


def drafts_from_text(text: str, language: str = "en") -> list[ClaimDraft]:
    """Every attributed statement as a ClaimDraft with an exact quote and offset."""
    attributions = find_attributions(text, language)
    quoted = [(a.start, a.end) for a in attributions if a.direct]
    resolver = Resolver(text, quoted)
    drafts: list[ClaimDraft] = []
    speakers_at: list[tuple[str, list[str]]] = []
    for att in attributions:
        if att.speaker is None:
            continue
        speaker = resolver.resolve(att.speaker.text, att.speaker.start)
        if speaker is None:
            continue
        for start, end in _pieces(text, att, language):
            start, end = _clean(text, start, end)
            if end - start < 8:
                continue
            quote = text[start:end]
            drafts.append(
                ClaimDraft(
                    actor=speaker.name,
                    actor_kind=speaker.kind,
                    actor_aliases=[a for a in speaker.aliases if a != speaker.name],
                    affiliation=speaker.affiliation,
                    speaker=att.speaker.text,
                    quote=quote,
                    kind=claim_kind(att.verb, quote),
                    hint=start,
                )
            )
            speakers_at.append((speaker.name, [speaker.name, *speaker.aliases]))
    _link_responses(text, drafts, speakers_at)
    return drafts


def _context(text: str, start: int, end: int) -> str:
    """The claim with the rest of its sentence: denials often name their target outside quotes."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    right_nl = text.find("\n", end)
    right = right_nl if right_nl >= 0 else len(text)
    return text[left + 1 : right]


def _link_responses(
    text: str, drafts: list[ClaimDraft], speakers: list[tuple[str, list[str]]]
) -> None:
    """A denial answers the latest claim of the actor it names (or of anyone, for 'the version')."""
    for i, draft in enumerate(drafts):
        if draft.kind != "denial" or draft.hint is None:
            continue
        context = name_key(_context(text, draft.hint, draft.hint + len(draft.quote)))
        own = name_key(draft.actor)

        def same_side(j: int, own: str = own) -> bool:
            other = name_key(speakers[j][0])
            return other == own or contains_words(other, own) or contains_words(own, other)

        named: int | None = None
        for j in range(i - 1, -1, -1):
            name, aliases = speakers[j]
            if same_side(j):
                continue
            keys = {name_key(a) for a in aliases} | {name_key(name)}
            affiliation = drafts[j].affiliation
            if affiliation:
                keys.add(name_key(affiliation))
            keys |= {
                k.split()[-1] for k in list(keys) if len(k.split()) > 1 and len(k.split()[-1]) > 3
            }
            if any(k and len(k) > 2 and contains_words(context, k) for k in keys):
                named = j
                break
        if named is None and _REFERENCE.search(draft.quote + " " + context):
            named = _referenced(i, drafts, speakers, same_side)
        if named is not None:
            draft.responds_to = named


def _referenced(
    i: int,
    drafts: list[ClaimDraft],
    speakers: list[tuple[str, list[str]]],
    same_side: Callable[[int], bool],
) -> int | None:
    """The claim behind "the claims" / "the allegations": an earlier non-denial by another
    side, preferring one that others already denied (the article's disputed claim), then
    shared topic, then the latest."""
    topic = stems(drafts[i].quote)
    denied = {
        name_key(speakers[d.responds_to][0])
        for d in drafts[:i]
        if d.responds_to is not None and d.kind == "denial"
    }
    best: tuple[float, int] | None = None
    for j in range(i - 1, -1, -1):
        if same_side(j) or drafts[j].kind == "denial":
            continue
        score = overlap(topic, stems(drafts[j].quote))
        if name_key(speakers[j][0]) in denied:
            score += 0.5
        if best is None or score > best[0]:
            best = (score, j)
    return best[1] if best else None


class OfflineExtractor:
    """Stage 1 without a model: reported-speech patterns plus coreference."""

    async def extract(self, article: Article, ctx: RunContext) -> Extraction:
        drafts = drafts_from_text(article.text, article.language)
        return assemble(article, drafts, ctx.warnings)
