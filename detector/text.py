"""Text normalisation, segmentation and grounding of quotes to exact spans.

Grounding is the project's central guarantee: a claim exists only if its
evidence is found in the article, and then `text[start:end] == quote` holds
for the exact input string. Models (and people) alter quotes slightly, so the
locator repairs curly quotes, spacing, ellipses and a dropped or changed word
to the nearest verbatim span, and refuses anything further away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from pysbd import Segmenter

# Curly quotes, primes and guillemets fold to their straight counterparts.
_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|\u2026|\[\s*\.\.\.\s*\]|\[\u2026\])\s*")
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*", re.UNICODE)
_STRIP_CHARS = " \t\r\n\"'\u201c\u201d\u2018\u2019\u00ab\u00bb,;:"

# A fuzzy match must keep this share of the quote's words in order.
FUZZY_MIN_RATIO = 0.85
# An ellipsis may skip at most this many characters of the article.
ELLIPSIS_MAX_GAP = 400


def normalize(text: str) -> str:
    """The contract's normal form: straight quotes, one space for any white space."""
    return _WS.sub(" ", text.translate(_QUOTE_MAP)).strip()


def _normalized_with_map(text: str, loose: bool = False) -> tuple[str, list[int]]:
    """Normalise `text` and keep, for each output char, its index in `text`.

    `loose` also drops quotation marks, which models often add or leave out.
    """
    out: list[str] = []
    index: list[int] = []
    translated = text.translate(_QUOTE_MAP)
    in_space = False
    for i, ch in enumerate(translated):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        if loose and ch in "\"'":
            continue
        in_space = False
        out.append(ch.lower())
        index.append(i)
    return "".join(out), index


@dataclass(frozen=True)
class Grounded:
    """Where a quote was found; `method` says how much repair it took."""

    start: int
    end: int
    method: str  # exact | normalized | ellipsis | fuzzy

    @property
    def repaired(self) -> bool:
        return self.method != "exact"


class Grounder:
    """Locates quotes in one article; caches the article's normal form."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._norm, self._map = _normalized_with_map(text)
        self._loose, self._loose_map = _normalized_with_map(text, loose=True)
        self._words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]

    # -- public -----------------------------------------------------------------
    def locate(
        self, quote: str, hint: int | None = None, used: set[tuple[int, int]] | None = None
    ) -> Grounded | None:
        """Find `quote` in the article, nearest `hint`, avoiding `used` spans."""
        quote = _strip_unbalanced(quote)
        if len(quote) < 2:
            return None
        for method in (self._exact, self._normalized, self._ellipsis, self._fuzzy):
            found = method(quote, hint, used or set())
            if found is not None:
                return self._trim(found)
        return None

    # -- strategies -------------------------------------------------------------
    def _pick(
        self,
        candidates: list[tuple[int, int]],
        hint: int | None,
        used: set[tuple[int, int]],
    ) -> tuple[int, int] | None:
        if not candidates:
            return None
        fresh = [c for c in candidates if c not in used] or candidates
        if hint is None:
            return fresh[0]
        return min(fresh, key=lambda c: abs(c[0] - hint))

    def _exact(self, quote: str, hint: int | None, used: set[tuple[int, int]]) -> Grounded | None:
        spans = [(m.start(), m.start() + len(quote)) for m in _finditer(self.text, quote)]
        picked = self._pick(spans, hint, used)
        return Grounded(*picked, "exact") if picked else None

    def _norm_spans(self, quote: str) -> list[tuple[int, int]]:
        needle = normalize(quote).lower()
        loose_needle = " ".join(needle.replace('"', "").replace("'", "").split())
        for hay, index, nd in (
            (self._norm, self._map, needle),
            (self._loose, self._loose_map, loose_needle),
        ):
            if not nd:
                continue
            spans = []
            for m in _finditer(hay, nd):
                spans.append((index[m.start()], index[m.start() + len(nd) - 1] + 1))
            if spans:
                return spans
        return []

    def _normalized(
        self, quote: str, hint: int | None, used: set[tuple[int, int]]
    ) -> Grounded | None:
        picked = self._pick(self._norm_spans(quote), hint, used)
        return Grounded(*picked, "normalized") if picked else None

    def _ellipsis(
        self, quote: str, hint: int | None, used: set[tuple[int, int]]
    ) -> Grounded | None:
        parts = [p.strip(_STRIP_CHARS) for p in _ELLIPSIS.split(quote)]
        parts = [p for p in parts if p]
        if len(parts) < 2:
            return None
        best: tuple[int, int] | None = None
        for first_start, first_end in self._norm_spans(parts[0]):
            cursor = first_end
            ok = True
            for part in parts[1:]:
                nxt = [
                    s for s in self._norm_spans(part) if cursor <= s[0] <= cursor + ELLIPSIS_MAX_GAP
                ]
                if not nxt:
                    ok = False
                    break
                cursor = nxt[0][1]
            if ok:
                cand = (first_start, cursor)
                if best is None or (hint is not None and abs(cand[0] - hint) < abs(best[0] - hint)):
                    best = cand
        return Grounded(*best, "ellipsis") if best else None

    def _fuzzy(self, quote: str, hint: int | None, used: set[tuple[int, int]]) -> Grounded | None:
        qwords = [w.lower() for w in _WORD.findall(quote.translate(_QUOTE_MAP))]
        if len(qwords) < 4 or not self._words:
            return None
        words = [w for w, _, _ in self._words]
        anchors = set(qwords[:3]) | set(qwords[-3:])
        n = len(qwords)
        best_ratio = 0.0
        best: tuple[int, int] | None = None
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(qwords)
        for i, w in enumerate(words):
            if w not in anchors:
                continue
            for size in range(max(1, n - 3), n + 4):
                window = words[i : i + size]
                if len(window) < size:
                    break
                matcher.set_seq1(window)
                if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                    continue
                ratio = matcher.ratio()
                cand = (self._words[i][1], self._words[i + size - 1][2])
                better = ratio > best_ratio + 1e-9 or (
                    abs(ratio - best_ratio) <= 1e-9
                    and best is not None
                    and hint is not None
                    and abs(cand[0] - hint) < abs(best[0] - hint)
                )
                if better:
                    best_ratio, best = ratio, cand
        if best is None or best_ratio < FUZZY_MIN_RATIO:
            return None
        return Grounded(*best, "fuzzy")

    def _trim(self, g: Grounded) -> Grounded:
        start, end = g.start, g.end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Grounded(start, end, g.method)


_OPENERS = "\u201c\u2018\u00ab"
_CLOSERS = "\u201d\u2019\u00bb"


def _strip_unbalanced(quote: str) -> str:
    """Trim spaces, punctuation and the quotation marks around a quote, but keep a
    closing mark that ends a quotation inside it ('were "nonsense"')."""
    quote = quote.strip(" \t\r\n,;:")
    while quote:
        head, tail = quote[0], quote[-1]
        inner = quote[1:-1]
        wrapped = len(quote) > 1 and (
            (head == tail and head in "\"'" and head not in inner)
            or (head in _OPENERS and tail == _CLOSERS[_OPENERS.index(head)] and head not in inner)
        )
        if wrapped:
            quote = inner.strip(" \t\r\n,;:")
            continue
        if head in "\"'" + _OPENERS + _CLOSERS and not _closes_inside(quote, head):
            quote = quote[1:].lstrip()
        elif tail in "\"'" + _OPENERS + _CLOSERS and not _opens_inside(quote, tail):
            quote = quote[:-1].rstrip()
        else:
            break
        quote = quote.strip(" \t\r\n,;:")
    return quote


def _closes_inside(quote: str, mark: str) -> bool:
    """A leading mark that a later mark in the quote closes: keep it."""
    if mark == '"':
        return quote.count('"') % 2 == 0
    if mark in _OPENERS:
        return _CLOSERS[_OPENERS.index(mark)] in quote[1:]
    return False


def _opens_inside(quote: str, mark: str) -> bool:
    """A trailing mark that closes a quotation opened inside the quote: keep it."""
    if mark == '"':
        return quote.count('"') % 2 == 0
    if mark in _CLOSERS:
        return _OPENERS[_CLOSERS.index(mark)] in quote[:-1]
    if mark == "'":
        return quote.count("'") % 2 == 0 and quote.count("'") > 0 and not quote.startswith("'")
    return False


def _finditer(haystack: str, needle: str) -> list[re.Match[str]]:
    return list(re.finditer(re.escape(needle), haystack))


def locate(text: str, quote: str, hint: int | None = None) -> Grounded | None:
    """One-off grounding; use `Grounder` to ground many quotes in one article."""
    return Grounder(text).locate(quote, hint)


# -- segmentation ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A paragraph or a sentence with its offsets into the article."""

    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Segment]:
    """Paragraphs as news text has them: one per line, or blocks between blank lines."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        chunk = m.group(0)
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            trail = len(chunk.rstrip())
            out.append(Segment(m.start() + lead, m.start() + trail, chunk.strip()))
    return out


@lru_cache(maxsize=4)
def _segmenter(language: str) -> Segmenter:
    try:
        return Segmenter(language=language, clean=False)
    except ValueError:
        return Segmenter(language="en", clean=False)


def sentences(text: str, language: str = "en") -> list[Segment]:
    """Sentences with exact offsets (pysbd splits, we locate them in order)."""
    seg = _segmenter(language[:2].lower() if language else "en")
    out: list[Segment] = []
    for para in paragraphs(text):
        cursor = para.start
        for sent in seg.segment(para.text):
            s = sent.strip()
            if not s:
                continue
            pos = text.find(s, cursor, para.end + 1)
            if pos < 0:  # pysbd altered the text; fall back to the paragraph remainder
                out.append(Segment(cursor, para.end, text[cursor : para.end]))
                cursor = para.end
                break
            out.append(Segment(pos, pos + len(s), s))
            cursor = pos + len(s)
    return out


def chunks(text: str, max_chars: int = 6000, overlap: int = 600) -> list[Segment]:
    """Split a long article at paragraph ends into overlapping windows.

    Overlap lets a claim that straddles a boundary appear whole in one chunk;
    duplicates from the overlap are merged after grounding (same span).
    """
    if len(text) <= max_chars:
        return [Segment(0, len(text), text)]
    paras = paragraphs(text) or [Segment(0, len(text), text)]
    out: list[Segment] = []
    start = paras[0].start
    while start < len(text):
        limit = start + max_chars
        end = start
        for p in paras:
            if p.end <= limit and p.end > end:
                end = p.end
        if end <= start:  # one paragraph longer than a chunk: cut at a space
            cut = text.rfind(" ", start, limit)
            end = cut if cut > start else min(limit, len(text))
        out.append(Segment(start, end, text[start:end]))
        if end >= paras[-1].end:
            break
        nxt = max(end - overlap, start + 1)
        # restart at a paragraph start inside the overlap when there is one
        starts = [p.start for p in paras if nxt <= p.start < end]
        start = starts[0] if starts else nxt
    return out


def content_words(text: str) -> list[str]:
    """Lower-cased word tokens, for overlap measures."""
    return [w.lower() for w in _WORD.findall(text)]
