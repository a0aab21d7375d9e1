"""Matching predictions to the gold, exactly as `eval-format.md` defines it.

- actor: normalised name equal to the gold name or an alias, or one contains
  the other as whole words; a spokesman's claim also counts for the
  organisation he speaks for (`Actor.affiliation`);
- claim: actor matches and the spans share at least half of the gold quote's
  word tokens (or the gold covers half of the predicted span's tokens);
- pair: unordered, each gold pair matched at most once; gold `tension`
  pairs are neutral for the primary metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detector.assemble import contains_words, name_key
from detector.evaluation.dataset import GoldActor, GoldPair, Sample
from detector.models import Claim, Contradiction, Report
from detector.text import Grounder

_TOKEN = re.compile(r"\w+", re.UNICODE)


def actor_matches(pred_name: str, gold: GoldActor) -> bool:
    pred = name_key(pred_name)
    if not pred:
        return False
    for name in (gold.name, *gold.aliases):
        key = name_key(name)
        if key and (pred == key or contains_words(pred, key) or contains_words(key, pred)):
            return True
    return False


def claim_actor_names(report: Report, claim: Claim) -> list[str]:
    """The names a predicted claim counts for: its actor and the actor's organisation."""
    actor = report.actor(claim.actor)
    if actor is None:
        return [claim.actor]
    names = [actor.name]
    if actor.affiliation:
        org = report.actor(actor.affiliation)
        if org is not None:
            names.append(org.name)
    return names


def _tokens_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]


def span_overlap(text: str, pred: tuple[int, int], gold: tuple[int, int]) -> float:
    """The larger of: share of gold tokens inside pred, share of pred tokens inside gold."""
    gold_tokens = _tokens_in(text, *gold)
    pred_tokens = _tokens_in(text, *pred)
    if not gold_tokens or not pred_tokens:
        return 0.0
    in_pred = sum(1 for s, e in gold_tokens if s >= pred[0] and e <= pred[1])
    in_gold = sum(1 for s, e in pred_tokens if s >= gold[0] and e <= gold[1])
    return max(in_pred / len(gold_tokens), in_gold / len(pred_tokens))


@dataclass
class ClaimMatch:
    """Predicted claim id → gold claim id, with and without the actor condition."""

    by_actor: dict[str, str] = field(default_factory=dict)
    by_span: dict[str, str] = field(default_factory=dict)
    attributed: dict[str, bool] = field(default_factory=dict)  # gold id → actor right


def occurrences(grounder: Grounder, quote: str, limit: int = 50) -> list[tuple[int, int]]:
    """Every place a gold quote occurs: a repeated line may be predicted at any of them."""
    spans: list[tuple[int, int]] = []
    used: set[tuple[int, int]] = set()
    while len(spans) < limit:
        found = grounder.locate(quote, used=used)
        if found is None or (found.start, found.end) in used:
            break
        used.add((found.start, found.end))
        spans.append((found.start, found.end))
    return spans


def gold_spans(sample: Sample) -> dict[str, list[tuple[int, int]]]:
    grounder = Grounder(sample.text)
    return {gc.id: occurrences(grounder, gc.quote) for gc in sample.claims}


def _assign(candidates: list[tuple[float, str, str]]) -> dict[str, str]:
    """Greedy one-to-one assignment, best overlap first."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for _, pid, gid in sorted(candidates, key=lambda x: (-x[0], x[1], x[2])):
        if pid in out or gid in used:
            continue
        out[pid] = gid
        used.add(gid)
    return out


def match_claims(sample: Sample, report: Report) -> ClaimMatch:
    spans = gold_spans(sample)
    with_actor: list[tuple[float, str, str]] = []
    span_only: list[tuple[float, str, str]] = []
    for claim in report.claims:
        names = claim_actor_names(report, claim)
        for gc in sample.claims:
            best = 0.0
            for gspan in spans.get(gc.id, []):
                best = max(
                    best, span_overlap(sample.text, (claim.span.start, claim.span.end), gspan)
                )
            if best < 0.5:
                continue
            span_only.append((best, claim.id, gc.id))
            gold_actor = sample.actor(gc.actor)
            if gold_actor and any(actor_matches(n, gold_actor) for n in names):
                with_actor.append((best, claim.id, gc.id))
    match = ClaimMatch(by_actor=_assign(with_actor), by_span=_assign(span_only))
    actor_ok = set(match.by_actor.values())
    match.attributed = {gid: gid in actor_ok for gid in match.by_span.values()}
    return match


@dataclass
class PairOutcome:
    """One predicted pair judged against the gold."""

    pair: Contradiction
    gold: GoldPair | None
    gold_label: str | None  # "contradiction" | "tension" | None (no gold pair)
    positive: bool
    both_claims_matched: bool


@dataclass
class PairMatch:
    tp: list[PairOutcome] = field(default_factory=list)
    fp: list[PairOutcome] = field(default_factory=list)
    fn: list[GoldPair] = field(default_factory=list)
    tension_found: list[GoldPair] = field(default_factory=list)
    tension_total: int = 0
    outcomes: list[PairOutcome] = field(default_factory=list)
    claims: ClaimMatch = field(default_factory=ClaimMatch)


def match_pairs(sample: Sample, report: Report, threshold: float = 0.5) -> PairMatch:
    claims = match_claims(sample, report)
    gold_by_key = {frozenset((p.a, p.b)): p for p in sample.contradictions}
    result = PairMatch(claims=claims)
    result.tension_total = sum(1 for p in sample.contradictions if p.label == "tension")
    matched: set[frozenset[str]] = set()
    for pred in sorted(report.contradictions, key=lambda c: -c.score):
        ga, gb = claims.by_actor.get(pred.a), claims.by_actor.get(pred.b)
        key = frozenset((ga, gb)) if ga and gb and ga != gb else None
        gold = gold_by_key.get(key) if key else None
        positive = pred.score >= threshold
        if gold is not None and key in matched:
            gold = None  # each gold pair is matched at most once
        outcome = PairOutcome(pred, gold, gold.label if gold else None, positive, key is not None)
        result.outcomes.append(outcome)
        if gold is not None:
            matched.add(key)  # type: ignore[arg-type]
            if gold.label == "tension":
                if positive or pred.label in ("tension", "contradiction"):
                    result.tension_found.append(gold)
                else:
                    matched.discard(key)
                continue
            if positive:
                result.tp.append(outcome)
            else:
                matched.discard(key)
            continue
        if positive:
            result.fp.append(outcome)
    found = {frozenset((o.gold.a, o.gold.b)) for o in result.tp if o.gold}
    result.fn = [
        p
        for p in sample.contradictions
        if p.label == "contradiction" and frozenset((p.a, p.b)) not in found
    ]
    return result
