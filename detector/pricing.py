"""Cost of LLM calls from a per-model price table; unknown models cost None, never a guess."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

PRICES_PATH = Path(__file__).parent / "data" / "pricing.json"


@lru_cache(maxsize=1)
def prices() -> dict[str, tuple[float, float]]:
    data = json.loads(PRICES_PATH.read_text(encoding="utf-8"))
    return {k: (float(v[0]), float(v[1])) for k, v in data.items() if not k.startswith("_")}


def price_of(model: str | None) -> tuple[float, float] | None:
    """Longest known prefix: "gpt-4o-mini-2024-07-18" is priced as "gpt-4o-mini"."""
    if not model:
        return None
    name = model.lower().split("/")[-1]
    best = max(
        (k for k in prices() if name == k or name.startswith(k + "-")), key=len, default=None
    )
    return prices()[best] if best else None


def cost_usd(model: str | None, prompt_tokens: int, completion_tokens: int) -> float | None:
    price = price_of(model)
    if price is None:
        return None
    return round((prompt_tokens * price[0] + completion_tokens * price[1]) / 1_000_000, 8)
