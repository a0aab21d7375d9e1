"""LLM stage 3: label, score and rationale, several pairs per call."""

from __future__ import annotations

import asyncio
import json

from detector.interfaces import RunContext
from detector.llm import LLMClient
from detector.models import Article, CandidatePair, Contradiction, Extraction
from detector.prompts import load_prompt
from detector.stages.schemas import ScoreOutput


def pair_lines(extraction: Extraction, batch: list[CandidatePair], first: int) -> str:
    lines = []
    for n, p in enumerate(batch):
        rows = []
        for cid in (p.a, p.b):
            c = extraction.claim(cid)
            actor = extraction.actor(c.actor) if c else None
            rows.append(
                {
                    "actor": actor.name if actor else None,
                    "quote": c.quote if c else None,
                    "paraphrase": c.paraphrase if c else None,
                }
            )
        lines.append(
            json.dumps(
                {"pair": f"p{first + n + 1}", "a": rows[0], "b": rows[1]}, ensure_ascii=False
            )
        )
    return "\n".join(lines)


class LLMScorer:
    def __init__(self, client: LLMClient) -> None:
        self.client = client

    async def score(
        self, article: Article, extraction: Extraction, pairs: list[CandidatePair], ctx: RunContext
    ) -> list[Contradiction]:
        prompt = load_prompt("score_pairs", ctx.settings.prompts_dir)
        size = max(1, ctx.settings.score_batch)
        batches = [pairs[i : i + size] for i in range(0, len(pairs), size)]
        outputs = await asyncio.gather(
            *(
                self.client.structured(
                    prompt, {"pairs": pair_lines(extraction, batch, i * size)}, ScoreOutput, ctx
                )
                for i, batch in enumerate(batches)
            )
        )
        by_id = {f"p{n + 1}": p for n, p in enumerate(pairs)}
        out: list[Contradiction] = []
        for result in outputs:
            for j in result.judgements if result else []:
                pair = by_id.get(j.pair.strip())
                if pair is None:
                    ctx.warn(f"score_pairs: the model judged an unknown pair {j.pair!r}")
                    continue
                out.append(
                    Contradiction(
                        a=pair.a, b=pair.b, label=j.label, score=j.score, rationale=j.rationale
                    )
                )
        return out
