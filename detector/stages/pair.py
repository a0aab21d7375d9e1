"""LLM stage 2: the model proposes candidate pairs from the claim list (one call).

Explicit responses (a claim's `responds_to`) are always candidates; the
model adds pairs about the same proposition. It is never asked to judge all
n² pairs.
"""

from __future__ import annotations

import json

from detector.interfaces import RunContext
from detector.llm import LLMClient
from detector.models import Article, CandidatePair, Extraction
from detector.prompts import load_prompt
from detector.stages.schemas import PairOutput


def claim_lines(extraction: Extraction) -> str:
    lines = []
    for c in extraction.claims:
        actor = extraction.actor(c.actor)
        row = {
            "id": c.id,
            "actor": actor.name if actor else c.actor,
            "kind": c.kind,
            "quote": c.quote,
            "paraphrase": c.paraphrase,
            "responds_to": c.responds_to,
        }
        lines.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(lines)


class LLMPairer:
    def __init__(self, client: LLMClient) -> None:
        self.client = client

    async def pair(
        self, article: Article, extraction: Extraction, ctx: RunContext
    ) -> list[CandidatePair]:
        pairs: dict[frozenset[str], CandidatePair] = {}
        for c in extraction.claims:
            if c.responds_to:
                pairs[frozenset((c.responds_to, c.id))] = CandidatePair(
                    a=c.responds_to, b=c.id, reason="explicit_response", overlap=1.0
                )
        if len(extraction.claims) < 2:
            return list(pairs.values())
        prompt = load_prompt("pair_claims", ctx.settings.prompts_dir)
        out = await self.client.structured(
            prompt, {"claims": claim_lines(extraction)}, PairOutput, ctx
        )
        for p in out.pairs if out else []:
            key = frozenset((p.a, p.b))
            if key not in pairs:
                pairs[key] = CandidatePair(a=p.a, b=p.b, reason=p.reason[:200] or "llm")
        return list(pairs.values())
