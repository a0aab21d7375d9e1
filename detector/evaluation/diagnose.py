"""Every miss and false alarm of one article, with both quotes and the reason.

A number says that the detector is wrong; this list says where and why
(claim never extracted, given to the wrong speaker, never paired, scored
below the threshold, or paired claims that the gold does not oppose), which
is what a person needs to fix a prompt, a cue or a label.
"""

from __future__ import annotations

from typing import Any

from detector.evaluation.dataset import GoldPair, Sample
from detector.evaluation.matching import PairMatch, PairOutcome
from detector.models import Report


def _pred_side(report: Report, claim_id: str, gold_id: str | None) -> dict[str, Any]:
    claim = report.claim(claim_id)
    if claim is None:
        return {"id": claim_id, "gold": gold_id}
    actor = report.actor(claim.actor)
    return {
        "id": claim_id,
        "actor": actor.name if actor else claim.actor,
        "quote": claim.quote,
        "gold": gold_id,
    }


def _gold_side(sample: Sample, claim_id: str) -> dict[str, Any]:
    claim = sample.claim(claim_id)
    if claim is None:
        return {"id": claim_id}
    actor = sample.actor(claim.actor)
    return {"id": claim_id, "actor": actor.name if actor else claim.actor, "quote": claim.quote}


def _claim_problem(sample: Sample, report: Report, match: PairMatch, gold_id: str) -> str | None:
    """Why a gold claim has no predicted counterpart, or None when it has one."""
    by_actor = {g: p for p, g in match.claims.by_actor.items()}
    if gold_id in by_actor:
        return None
    by_span = {g: p for p, g in match.claims.by_span.items()}
    if gold_id in by_span:
        pred = report.claim(by_span[gold_id])
        actor = report.actor(pred.actor) if pred else None
        return f"gold {gold_id} extracted but attributed to {actor.name if actor else '?'}"
    return f"gold {gold_id} not extracted"


def why_missed(
    sample: Sample, report: Report, match: PairMatch, gold: GoldPair, threshold: float
) -> str:
    problems = [
        p for p in (_claim_problem(sample, report, match, c) for c in (gold.a, gold.b)) if p
    ]
    if problems:
        return "; ".join(problems)
    by_actor = {g: p for p, g in match.claims.by_actor.items()}
    key = frozenset((by_actor[gold.a], by_actor[gold.b]))
    scored = [o for o in match.outcomes if frozenset((o.pair.a, o.pair.b)) == key]
    if not scored:
        return "both claims extracted but never paired"
    best = max(scored, key=lambda o: o.pair.score)
    return (
        f"paired, but scored {best.pair.score:.2f} ({best.pair.label}) "
        f"below the threshold {threshold:.2f}"
    )


def why_false_alarm(sample: Sample, outcome: PairOutcome, match: PairMatch) -> str:
    if not sample.has_contradiction:
        return "the gold has no contradiction in this article"
    ga = match.claims.by_actor.get(outcome.pair.a)
    gb = match.claims.by_actor.get(outcome.pair.b)
    unmatched = [c for c, g in ((outcome.pair.a, ga), (outcome.pair.b, gb)) if g is None]
    if unmatched or ga is None or gb is None:
        verb = "matches" if len(unmatched) == 1 else "match"
        return f"predicted {' and '.join(unmatched)} {verb} no gold claim"
    paired = {frozenset((p.a, p.b)): p for p in sample.contradictions}
    gold = paired.get(frozenset((ga, gb)))
    if gold is not None:
        return f"duplicate of a prediction already matched to gold pair {gold.a}-{gold.b}"
    return f"the gold claims {ga} and {gb} are not a gold pair"


def article_errors(
    sample: Sample,
    report: Report | None,
    match: PairMatch | None,
    error: str | None,
    threshold: float,
) -> list[dict[str, Any]]:
    """Misses and false alarms of one article, in a JSON-ready form."""
    if report is None or match is None:
        return [
            {
                "article": sample.id,
                "type": "failed",
                "why": error or "the analysis failed",
                "misses": sum(1 for p in sample.contradictions if p.label == "contradiction"),
            }
        ]
    out: list[dict[str, Any]] = []
    for o in match.fp:
        out.append(
            {
                "article": sample.id,
                "type": "false_alarm",
                "score": o.pair.score,
                "label": o.pair.label,
                "a": _pred_side(report, o.pair.a, match.claims.by_actor.get(o.pair.a)),
                "b": _pred_side(report, o.pair.b, match.claims.by_actor.get(o.pair.b)),
                "rationale": o.pair.rationale,
                "why": why_false_alarm(sample, o, match),
            }
        )
    for g in match.fn:
        out.append(
            {
                "article": sample.id,
                "type": "miss",
                "a": _gold_side(sample, g.a),
                "b": _gold_side(sample, g.b),
                "note": g.note,
                "why": why_missed(sample, report, match, g, threshold),
            }
        )
    return out
