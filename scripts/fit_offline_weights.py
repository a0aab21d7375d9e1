"""Fit the offline scorer's cue weights on the development split.

    python scripts/fit_offline_weights.py [evals/datasets/dev.jsonl] [--out PATH]

Every candidate pair the offline extractor and pairer produce becomes one
example: its cue features, and a target of 1 when it matches a gold
`contradiction` pair (0 otherwise; gold `tension` pairs are left out, as the
eval leaves them out). A logistic regression with L2 regularisation, fitted
by gradient descent, gives the weights; they are saved with what they were
fitted on. The held-out split (`test.jsonl`) is never read here.

The shipped calibration depends on these weights: refit it afterwards with
`detector eval calibrate evals/datasets/dev.jsonl --backend offline --output detector/data/calibration`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
from pathlib import Path

from detector.evaluation.dataset import load_dataset
from detector.evaluation.matching import match_claims
from detector.interfaces import RunContext
from detector.models import Report
from detector.offline.extract import OfflineExtractor
from detector.offline.features import FEATURES
from detector.offline.pair import OfflinePairer
from detector.offline.score import WEIGHTS_PATH, OfflineScorer, Weights
from detector.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def examples(dataset: Path) -> list[tuple[dict[str, float], int | None]]:
    """(features, 1 contradiction | 0 other | None gold tension) per candidate pair."""
    out: list[tuple[dict[str, float], int | None]] = []
    settings = Settings(backend="offline")
    scorer = OfflineScorer()
    for sample in load_dataset(dataset):
        article = sample.to_article()
        ctx = RunContext(settings=settings)
        extraction = asyncio.run(OfflineExtractor().extract(article, ctx))
        pairs = OfflinePairer().candidates(article.text, extraction)
        report = Report(backend="offline", actors=extraction.actors, claims=extraction.claims)
        mapping = match_claims(sample, report).by_actor
        gold = {frozenset((p.a, p.b)): p.label for p in sample.contradictions}
        for pair in pairs:
            ga, gb = mapping.get(pair.a), mapping.get(pair.b)
            label = gold.get(frozenset((ga, gb))) if ga and gb else None
            target = None if label == "tension" else (1 if label else 0)
            out.append((scorer.features(article, extraction, pair), target))
    return out


def fit(
    data: list[tuple[dict[str, float], int]], l2: float = 0.01, steps: int = 6000, lr: float = 0.3
) -> tuple[float, dict[str, float], float]:
    """Weighted logistic regression; positives weighted up to balance rare contradictions."""
    pos = sum(y for _, y in data)
    neg = len(data) - pos
    if pos == 0 or neg == 0:
        raise SystemExit("need both matched contradictions and other pairs to fit weights")
    pos_weight = min(4.0, neg / pos)
    w = dict.fromkeys(FEATURES, 0.0)
    b = 0.0
    n = len(data)
    for _ in range(steps):
        gw = dict.fromkeys(FEATURES, 0.0)
        gb = 0.0
        for x, y in data:
            z = b + sum(w[k] * x.get(k, 0.0) for k in FEATURES)
            p = 1.0 / (1.0 + math.exp(-z))
            weight = pos_weight if y else 1.0
            err = weight * (p - y)
            gb += err
            for k in FEATURES:
                gw[k] += err * x.get(k, 0.0)
        b -= lr * gb / n
        for k in FEATURES:
            w[k] -= lr * (gw[k] / n + l2 * w[k])
    loss = 0.0
    for x, y in data:
        z = b + sum(w[k] * x.get(k, 0.0) for k in FEATURES)
        p = min(1 - 1e-9, max(1e-9, 1.0 / (1.0 + math.exp(-z))))
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return b, w, loss / n


def tension_threshold(weights: Weights, data: list[tuple[dict[str, float], int | None]]) -> float:
    """The score below 0.5 that best separates gold tension pairs from consistent ones (F1)."""
    scored = [(weights.score(x), y) for x, y in data if y != 1]
    best, best_f1 = 0.5, -1.0
    for step in range(10, 50):
        t = step / 100
        tp = sum(1 for s, y in scored if y is None and s >= t)
        fp = sum(1 for s, y in scored if y == 0 and s >= t)
        fn = sum(1 for s, y in scored if y is None and s < t)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = t, f1
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "dataset", nargs="?", default=str(ROOT / "evals" / "datasets" / "dev.jsonl")
    )
    parser.add_argument("--out", default=str(WEIGHTS_PATH))
    args = parser.parse_args()
    everything = examples(Path(args.dataset))
    data = [(x, y) for x, y in everything if y is not None]
    bias, weights, loss = fit(data)
    fitted = Weights(bias=bias, weights=weights)
    tension = tension_threshold(fitted, everything)
    result = Weights(
        bias=round(bias, 4),
        weights={k: round(v, 4) for k, v in weights.items()},
        tension_threshold=tension,
        fitted_on=Path(args.dataset).name,
        samples=len(data),
        metrics={"log_loss": round(loss, 4), "positives": float(sum(y for _, y in data))},
    )
    Path(args.out).write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {
                "examples": len(data),
                "positives": sum(y for _, y in data),
                "log_loss": round(loss, 4),
                "bias": result.bias,
                "weights": result.weights,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
