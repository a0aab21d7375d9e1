"""Offline stage 2: candidate pairs from explicit responses and topical overlap.

Each claim keeps only its few most related partners, so the work grows with
the number of claims, not with its square.
"""

from __future__ import annotations

import re

from detector.assemble import contains_words, name_key
from detector.interfaces import RunContext
from detector.models import Article, CandidatePair, Claim, Extraction
from detector.offline.features import overlap, stems

# A pair must share this much topic (cosine over content-word stems) ...
MIN_OVERLAP = 0.12
# ... and at least this many stems.
MIN_SHARED = 2
# Partners kept per claim.
PER_CLAIM = 4
# One actor's two statements count as "two times" only this far apart,
# and only when they share more topic than pairs across actors need.
SAME_ACTOR_MIN_DISTANCE = 60
SAME_ACTOR_MIN_OVERLAP = 0.3
# Claims a denial is paired with, per actor it names.
DENIAL_TARGETS = 5
_REFERENCE = re.compile(
    r"\b(account|version|report|reports|story|claims?|allegations?|accusations?|suggestions?)\b",
    re.I,
)


def _context(text: str, claim: Claim) -> str:
    """The claim's sentence: a short quote's topic often sits around it."""
    left = max(text.rfind("\n", 0, claim.span.start), text.rfind(". ", 0, claim.span.start))
    right = text.find("\n", claim.span.end)
    return text[left + 1 : right if right >= 0 else len(text)]


class OfflinePairer:
    """Pairs claims that answer each other or talk about the same thing."""

    def __init__(self, per_claim: int = PER_CLAIM, min_overlap: float = MIN_OVERLAP) -> None:
        self.per_claim = per_claim
        self.min_overlap = min_overlap

    async def pair(
        self, article: Article, extraction: Extraction, ctx: RunContext
    ) -> list[CandidatePair]:
        return self.candidates(article.text, extraction)

    def candidates(self, text: str, extraction: Extraction) -> list[CandidatePair]:
        claims = extraction.claims
        affiliation = {a.id: a.affiliation or a.id for a in extraction.actors}
        topic = {c.id: stems(c.quote) for c in claims}
        wide = {c.id: stems(c.quote + " " + _context(text, c)) for c in claims}
        pairs: dict[frozenset[str], CandidatePair] = {}

        for c in claims:
            if c.responds_to and c.responds_to != c.id:
                key = frozenset((c.responds_to, c.id))
                pairs[key] = CandidatePair(
                    a=c.responds_to, b=c.id, reason="explicit_response", overlap=1.0
                )

        for c in claims:
            if c.kind != "denial":
                continue
            for target in self._denied(text, c, extraction, topic):
                key = frozenset((c.id, target.id))
                if key not in pairs:
                    first, second = (
                        (target, c) if target.span.start <= c.span.start else (c, target)
                    )
                    pairs[key] = CandidatePair(
                        a=first.id,
                        b=second.id,
                        reason="denial_names_actor",
                        overlap=round(min(1.0, overlap(topic[c.id], topic[target.id])), 4),
                    )

        for a in claims:
            scored: list[tuple[float, Claim]] = []
            for b in claims:
                if b.id == a.id:
                    continue
                same = affiliation.get(a.actor) == affiliation.get(b.actor) or a.actor == b.actor
                if same and abs(a.span.start - b.span.start) < SAME_ACTOR_MIN_DISTANCE:
                    continue
                shared = topic[a.id] & topic[b.id]
                ov = max(overlap(topic[a.id], topic[b.id]), 0.8 * overlap(wide[a.id], wide[b.id]))
                needed = max(self.min_overlap, SAME_ACTOR_MIN_OVERLAP) if same else self.min_overlap
                # a very short claim ("There is no deal") can share only its one topic word
                min_shared = min(MIN_SHARED, len(topic[a.id]) or 1, len(topic[b.id]) or 1)
                if ov >= needed and len(shared | (wide[a.id] & wide[b.id])) >= min_shared:
                    scored.append((ov, b))
            scored.sort(key=lambda x: -x[0])
            for ov, b in scored[: self.per_claim]:
                key = frozenset((a.id, b.id))
                if key in pairs:
                    continue
                first, second = (a, b) if a.span.start <= b.span.start else (b, a)
                same_actor = affiliation.get(a.actor) == affiliation.get(b.actor)
                pairs[key] = CandidatePair(
                    a=first.id,
                    b=second.id,
                    reason="same_actor_overlap" if same_actor else "topical_overlap",
                    overlap=round(min(1.0, ov), 4),
                )
        return sorted(pairs.values(), key=lambda p: (-p.overlap, p.a, p.b))

    def _denied(
        self, text: str, denial: Claim, extraction: Extraction, topic: dict[str, set[str]]
    ) -> list[Claim]:
        """Claims a denial may answer: those of the actors it names, or the latest
        claims of others when it denies "the report" or "that account"."""
        context = name_key(_context(text, denial))
        group = {a.id: a.affiliation or a.id for a in extraction.actors}
        own = group.get(denial.actor)
        named: set[str] = set()
        for actor in extraction.actors:
            if group.get(actor.id) == own:
                continue
            keys = {name_key(actor.name)} | {name_key(x) for x in actor.aliases if len(x) > 3}
            keys |= {
                k.split()[-1] for k in list(keys) if len(k.split()) > 1 and len(k.split()[-1]) > 3
            }
            if any(k and len(k) > 2 and contains_words(context, k) for k in keys):
                named.add(group.get(actor.id) or actor.id)
        others = [c for c in extraction.claims if c.id != denial.id and group.get(c.actor) != own]
        if named:
            chosen = [c for c in others if group.get(c.actor) in named]
        elif _REFERENCE.search(text[denial.span.start : denial.span.end] + " " + context):
            chosen = [c for c in others if c.span.start < denial.span.start][-DENIAL_TARGETS:]
        else:
            return []
        chosen.sort(key=lambda c: -overlap(topic[c.id], topic[denial.id]))
        return chosen[:DENIAL_TARGETS]
