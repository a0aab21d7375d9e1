"""detector: finds who said what in a news article and where they contradict.

from detector import Detector
report = Detector().analyze(text)   # offline unless an LLM is configured
"""

from detector.errors import ConfigError, DetectorError, InputError, LLMError
from detector.models import (
    Actor,
    Article,
    CandidatePair,
    Claim,
    ClaimDraft,
    Contradiction,
    Extraction,
    Report,
    Span,
    Usage,
)
from detector.pipeline import Detector, analyze
from detector.settings import Settings

__version__ = "0.1.0"


async def aanalyze(article: str | Article, **kwargs: object) -> Report:
    """Async one-call convenience, like `analyze`."""
    return await Detector(**kwargs).aanalyze(article)  # type: ignore[arg-type]


__all__ = [
    "Actor",
    "Article",
    "CandidatePair",
    "Claim",
    "ClaimDraft",
    "ConfigError",
    "Contradiction",
    "Detector",
    "DetectorError",
    "Extraction",
    "InputError",
    "LLMError",
    "Report",
    "Settings",
    "Span",
    "Usage",
    "__version__",
    "aanalyze",
    "analyze",
]
