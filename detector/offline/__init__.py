"""The embedded offline backend: the three stages with classical NLP, no model.

It is the default when no LLM is configured, so a newcomer and every CI run
get real results with no key and no network.
"""

from __future__ import annotations

from detector.interfaces import Stages
from detector.offline.extract import OfflineExtractor
from detector.offline.pair import OfflinePairer
from detector.offline.score import OfflineScorer
from detector.settings import Settings


def build_offline_stages(settings: Settings) -> Stages:
    return Stages(
        extractor=OfflineExtractor(), pairer=OfflinePairer(), scorer=OfflineScorer(), model=None
    )


__all__ = ["OfflineExtractor", "OfflinePairer", "OfflineScorer", "build_offline_stages"]
