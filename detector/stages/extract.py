"""LLM stage 1: claims per actor, chunk by chunk, grounded by `assemble`."""

from __future__ import annotations

import asyncio
import re

from detector.assemble import assemble
from detector.interfaces import RunContext
from detector.llm import LLMClient
from detector.models import Article, ClaimDraft, Extraction
from detector.prompts import load_prompt
from detector.stages.schemas import ExtractOutput
from detector.text import Segment, chunks

_TAG = re.compile(r"</?\s*article\s*>", re.I)


def delimit(text: str) -> str:
    """Article text as data: tags that could close the data block are neutralised."""
    return _TAG.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


class LLMExtractor:
    def __init__(self, client: LLMClient) -> None:
        self.client = client

    async def extract(self, article: Article, ctx: RunContext) -> Extraction:
        prompt = load_prompt("extract_claims", ctx.settings.prompts_dir)
        parts = chunks(
            article.text, ctx.settings.chunk_chars, overlap=ctx.settings.chunk_chars // 10
        )
        outputs = await asyncio.gather(
            *(
                self.client.structured(
                    prompt,
                    {"title": article.title or "(none)", "article": delimit(part.text)},
                    ExtractOutput,
                    ctx,
                )
                for part in parts
            )
        )
        drafts: list[ClaimDraft] = []
        for part, out in zip(parts, outputs, strict=True):
            if out is not None:
                drafts.extend(_drafts(part, out, offset=len(drafts)))
        return assemble(article, drafts, ctx.warnings)


def _drafts(part: Segment, out: ExtractOutput, offset: int) -> list[ClaimDraft]:
    result = []
    for claim in out.claims:
        local = part.text.find(claim.quote.strip()[:40]) if claim.quote.strip() else -1
        responds = claim.responds_to
        if responds is not None and not 0 <= responds < len(out.claims):
            responds = None
        result.append(
            ClaimDraft(
                actor=claim.actor.strip() or "unknown",
                actor_kind=claim.actor_kind,
                actor_aliases=claim.actor_aliases,
                affiliation=claim.affiliation,
                speaker=claim.speaker,
                quote=claim.quote,
                paraphrase=claim.paraphrase,
                kind=claim.kind,
                responds_to=None if responds is None else responds + offset,
                hint=part.start + max(local, 0),
            )
        )
    return result
