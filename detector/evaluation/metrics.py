"""From per-article matches to the contract's results object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from detector.evaluation.dataset import Sample
from detector.evaluation.diagnose import article_errors
from detector.evaluation.matching import PairMatch, match_pairs
from detector.models import Report


def safe_div(num: float, den: float) -> float:
    return num / den if den else 0.0


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = safe_div(tp, tp + fp)
    recall = safe_div(tp, tp + fn)
    f1 = safe_div(2 * precision * recall, precision + recall)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def brier(points: list[tuple[float, int]]) -> float:
    return round(safe_div(sum((s - y) ** 2 for s, y in points), len(points)), 4)


def ece(points: list[tuple[float, int]], bins: int = 10) -> float:
    """Expected calibration error: |accuracy - confidence| per score bin, weighted by size."""
    if not points:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(s, y) for s, y in points if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if inside:
            conf = sum(s for s, _ in inside) / len(inside)
            acc = sum(y for _, y in inside) / len(inside)
            total += len(inside) / len(points) * abs(acc - conf)
    return round(total, 4)


def calibration_points(matches: list[PairMatch]) -> list[tuple[float, int]]:
    """Predicted pairs whose two claims both match gold claims; tension pairs left out."""
    return [
        (o.pair.score, 1 if o.gold_label == "contradiction" else 0)
        for m in matches
        for o in m.outcomes
        if o.both_claims_matched and o.gold_label != "tension"
    ]


@dataclass
class ArticleResult:
    sample: Sample
    report: Report | None
    match: PairMatch | None
    error: str | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.match and (self.match.tp or self.match.fp))


def score_article(sample: Sample, report: Report, threshold: float) -> ArticleResult:
    return ArticleResult(sample, report, match_pairs(sample, report, threshold))


def summarize(
    results: list[ArticleResult],
    *,
    dataset: str,
    backend: str,
    model: str | None,
    threshold: float,
    seconds: float,
) -> dict[str, Any]:
    matches = [r.match for r in results if r.match is not None]
    tp = sum(len(m.tp) for m in matches)
    fp = sum(len(m.fp) for m in matches)
    fn = sum(len(m.fn) for m in matches) + sum(
        sum(1 for p in r.sample.contradictions if p.label == "contradiction")
        for r in results
        if r.match is None
    )
    gold_claims = sum(len(r.sample.claims) for r in results)
    matched = sum(len(m.claims.by_actor) for m in matches)
    by_span = sum(len(m.claims.attributed) for m in matches)
    attributed = sum(sum(m.claims.attributed.values()) for m in matches)
    flagged_right = sum(1 for r in results if r.flagged == r.sample.has_contradiction)
    false_alarms = sum(1 for r in results if r.flagged and not r.sample.has_contradiction)
    points = calibration_points(matches)
    reports = [r.report for r in results if r.report is not None]
    costs = [r.usage.cost_usd for r in reports]
    usd = None if any(c is None for c in costs) else round(sum(c or 0.0 for c in costs), 6)

    per_article = []
    errors = []
    for r in results:
        m = r.match
        per_article.append(
            {
                "id": r.sample.id,
                "gold_contradictions": sum(
                    1 for p in r.sample.contradictions if p.label == "contradiction"
                ),
                "tp": len(m.tp) if m else 0,
                "fp": len(m.fp) if m else 0,
                "fn": len(m.fn) if m else 0,
                "flagged": r.flagged,
                "correct": r.flagged == r.sample.has_contradiction,
                "claims_gold": len(r.sample.claims),
                "claims_matched": len(m.claims.by_actor) if m else 0,
                "error": r.error,
            }
        )
        errors.extend(article_errors(r.sample, r.report, m, r.error, threshold))

    return {
        "dataset": dataset,
        "backend": backend,
        "model": model,
        "articles": len(results),
        "threshold": threshold,
        "pairs": prf(tp, fp, fn),
        "tension": {
            "found": sum(len(m.tension_found) for m in matches),
            "total": sum(
                sum(1 for p in r.sample.contradictions if p.label == "tension") for r in results
            ),
        },
        "claims": {
            "gold": gold_claims,
            "matched": matched,
            "recall": round(safe_div(matched, gold_claims), 4),
            "attribution_accuracy": round(safe_div(attributed, by_span), 4),
        },
        "articles_flagged": {
            "accuracy": round(safe_div(flagged_right, len(results)), 4),
            "false_alarms": false_alarms,
        },
        "calibration": {"brier": brier(points), "ece": ece(points), "pairs": len(points)},
        "cost": {
            "llm_calls": sum(r.usage.llm_calls for r in reports),
            "prompt_tokens": sum(r.usage.prompt_tokens for r in reports),
            "completion_tokens": sum(r.usage.completion_tokens for r in reports),
            "usd": usd,
            "retries": sum(r.usage.retries for r in reports),
            "cache_hits": sum(r.usage.cache_hits for r in reports),
        },
        "seconds": round(seconds, 3),
        "pair_scores": [
            [round(o.pair.score, 4), 1 if o.gold_label == "contradiction" else 0]
            for m in matches
            for o in m.outcomes
            if o.gold_label != "tension"
        ],
        "gold_contradictions": tp + fn,
        "calibrated": all(r.calibrated for r in reports) if reports else False,
        "failed_articles": sum(1 for r in results if r.error),
        "per_article": per_article,
        "errors": errors,
    }
