"""The three stage interfaces and the per-article run context.

Each stage has an LLM and an offline implementation; a `Detector` composes
any three (mixing is allowed: offline pairing with LLM scoring cuts cost).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from detector.models import Article, CandidatePair, Contradiction, Extraction, Usage
from detector.settings import Settings


@dataclass
class RunContext:
    """What one article's run accumulates: cost, warnings, prompt versions."""

    settings: Settings
    usage: Usage = field(default_factory=Usage)
    warnings: list[str] = field(default_factory=list)
    prompts: dict[str, str] = field(default_factory=dict)
    use_cache: bool = True

    def warn(self, message: str) -> None:
        self.warnings.append(message)


@runtime_checkable
class Extractor(Protocol):
    """Stage 1: actors and grounded claims (use `detector.assemble.assemble`)."""

    async def extract(self, article: Article, ctx: RunContext) -> Extraction: ...


@runtime_checkable
class Pairer(Protocol):
    """Stage 2: candidate pairs worth judging; never all n² blindly."""

    async def pair(
        self, article: Article, extraction: Extraction, ctx: RunContext
    ) -> list[CandidatePair]: ...


@runtime_checkable
class Scorer(Protocol):
    """Stage 3: a label, a score in [0, 1] and a rationale per pair."""

    async def score(
        self,
        article: Article,
        extraction: Extraction,
        pairs: list[CandidatePair],
        ctx: RunContext,
    ) -> list[Contradiction]: ...


@dataclass
class Stages:
    extractor: Extractor
    pairer: Pairer
    scorer: Scorer
    model: str | None = None
