"""Offline stage 3: cue features combined by fitted logistic weights.

The weights live in `data/weights.json`, written by
`scripts/fit_offline_weights.py` from the labeled development set; nothing
here is tuned by hand to an article.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field

from detector.interfaces import RunContext
from detector.models import Article, CandidatePair, Contradiction, Extraction, Label
from detector.offline.features import FEATURES, pair_features
from detector.offline.pair import _context

WEIGHTS_PATH = Path(__file__).parent / "data" / "weights.json"

_CUE_TEXT = {
    "explicit_response": "one statement answers the other",
    "denial_answers": "a denial answering the other claim",
    "denial_names": "a denial naming the other side",
    "denial_present": "a denial",
    "negation_mismatch": "negation on a shared predicate",
    "antonym": "opposite terms",
    "number_conflict": "conflicting numbers",
    "date_conflict": "conflicting dates",
    "cause_conflict": "competing causes or motives",
    "overlap": "the same topic",
    "same_actor": "the same actor at two times",
    "same_actor_reversal": "the same actor reversing itself",
    "agent_swap": "different actors said to have done it",
}


class Weights(BaseModel):
    """A logistic model over the cue features, with the thresholds for labels."""

    bias: float
    weights: dict[str, float]
    tension_threshold: float = 0.3
    contradiction_threshold: float = 0.5
    fitted_on: str | None = None
    samples: int = 0
    metrics: dict[str, float] = Field(default_factory=dict)

    def score(self, features: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=4)
def load_weights(path: Path = WEIGHTS_PATH) -> Weights:
    return Weights.model_validate(json.loads(path.read_text(encoding="utf-8")))


def rationale(features: dict[str, float], weights: Weights, label: Label) -> str:
    fired = sorted(
        (
            k
            for k, v in features.items()
            if v > 0 and weights.weights.get(k, 0.0) > 0 and k != "overlap"
        ),
        key=lambda k: -weights.weights.get(k, 0.0) * features[k],
    )
    # the most specific denial cue says it all
    if "denial_answers" in fired:
        fired = [
            k for k in fired if k not in ("explicit_response", "denial_present", "denial_names")
        ]
    elif "denial_names" in fired:
        fired = [k for k in fired if k != "denial_present"]
    cues = ", ".join(_CUE_TEXT[k] for k in fired[:3]) or "only topical overlap"
    share = f"topic overlap {features.get('overlap', 0.0):.2f}"
    lead = {
        "contradiction": "Likely contradiction",
        "tension": "Possible tension",
        "consistent": "No clear conflict",
    }[label]
    return f"{lead}: {cues} ({share}; offline cues)."


class OfflineScorer:
    """Scores each candidate pair from its cues; fast enough to judge every candidate."""

    def __init__(self, weights: Weights | None = None) -> None:
        self.weights = weights or load_weights()

    def features(
        self, article: Article, extraction: Extraction, pair: CandidatePair
    ) -> dict[str, float]:
        a, b = extraction.claim(pair.a), extraction.claim(pair.b)
        if a is None or b is None:
            raise KeyError(f"unknown claim in pair {pair.a}-{pair.b}")
        group = {x.id: x.affiliation or x.id for x in extraction.actors}
        same = group.get(a.actor) == group.get(b.actor)
        return pair_features(a, b, _context(article.text, a), _context(article.text, b), same)

    def judge(self, features: dict[str, float]) -> tuple[Label, float]:
        score = round(self.weights.score(features), 4)
        label: Label = "consistent"
        if score >= self.weights.contradiction_threshold:
            label = "contradiction"
        elif score >= self.weights.tension_threshold:
            label = "tension"
        return label, score

    async def score(
        self,
        article: Article,
        extraction: Extraction,
        pairs: list[CandidatePair],
        ctx: RunContext,
    ) -> list[Contradiction]:
        out = []
        for pair in pairs:
            feats = self.features(article, extraction, pair)
            label, score = self.judge(feats)
            out.append(
                Contradiction(
                    a=pair.a,
                    b=pair.b,
                    label=label,
                    score=score,
                    rationale=rationale(feats, self.weights, label),
                )
            )
        return out


__all__ = ["FEATURES", "OfflineScorer", "Weights", "load_weights"]
