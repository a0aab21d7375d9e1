"""The LLM backend: three langchain-driven stages sharing one client."""

from __future__ import annotations

from detector.interfaces import Stages
from detector.llm import LLMClient
from detector.settings import Settings
from detector.stages.extract import LLMExtractor
from detector.stages.pair import LLMPairer
from detector.stages.score import LLMScorer


def build_llm_stages(settings: Settings) -> Stages:
    client = LLMClient(settings)
    return Stages(
        extractor=LLMExtractor(client),
        pairer=LLMPairer(client),
        scorer=LLMScorer(client),
        model=settings.model,
    )


__all__ = ["LLMExtractor", "LLMPairer", "LLMScorer", "build_llm_stages"]
