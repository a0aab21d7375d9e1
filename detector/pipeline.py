"""`Detector`: runs extract → pair → score on articles and builds the Report.

The pipeline owns the checks that must hold whatever the backend: pairs that
name unknown claims are dropped and counted, scores are clamped, calibrated
when a calibration exists, and sorted highest first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from detector.calibration import Calibration, load_calibration
from detector.errors import ConfigError
from detector.ingest import article_from_text
from detector.interfaces import Extractor, Pairer, RunContext, Scorer, Stages
from detector.models import (
    Article,
    ArticleInfo,
    CandidatePair,
    Contradiction,
    Extraction,
    PairingStats,
    Report,
)
from detector.settings import Settings

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, Report | BaseException], None]

NO_LLM_HINT = (
    "no LLM is configured: set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL "
    "(any OpenAI-compatible server such as Ollama, vLLM or llama.cpp)"
)


def build_stages(backend: Literal["llm", "offline"], settings: Settings) -> Stages:
    """One backend's three stages, imported lazily: offline runs never load the LLM client."""
    if backend == "llm":
        if not settings.llm_configured:
            raise ConfigError(f"--backend llm needs an LLM, but {NO_LLM_HINT}")
        from detector.stages import build_llm_stages

        return build_llm_stages(settings)
    from detector.offline import build_offline_stages

    return build_offline_stages(settings)


class Detector:
    """Finds who said what in an article and where they contradict each other.

    `Detector()` reads configuration from the environment; pass `backend`,
    `model` or a `Settings` to override, or any of the three stages to mix
    backends (for example offline pairing with LLM scoring).
    """

    def __init__(
        self,
        backend: Literal["auto", "llm", "offline"] | None = None,
        model: str | None = None,
        *,
        settings: Settings | None = None,
        extractor: Extractor | None = None,
        pairer: Pairer | None = None,
        scorer: Scorer | None = None,
        use_cache: bool | None = None,
        calibrate: bool = True,
    ) -> None:
        base = settings or Settings()
        self.settings = base.with_overrides(backend=backend, model=model)
        self.backend: Literal["llm", "offline"] = self.settings.resolved_backend()
        needs_default = extractor is None or pairer is None or scorer is None
        default = build_stages(self.backend, self.settings) if needs_default else None
        self.stages = Stages(
            extractor=extractor or default.extractor,  # type: ignore[union-attr]
            pairer=pairer or default.pairer,  # type: ignore[union-attr]
            scorer=scorer or default.scorer,  # type: ignore[union-attr]
            model=default.model if default else (model or None),
        )
        self.model = self.stages.model
        self.use_cache = self.settings.cache if use_cache is None else use_cache
        self.calibration: Calibration | None = (
            load_calibration(self.backend, self.model, self.settings.calibration_dir)
            if calibrate
            else None
        )

    # -- single article --------------------------------------------------------
    def analyze(self, article: str | Article) -> Report:
        """Analyse one article (blocking). Inside a running event loop use `aanalyze`."""
        return asyncio.run(self.aanalyze(article))

    async def aanalyze(self, article: str | Article) -> Report:
        art = self._article(article)
        ctx = RunContext(settings=self.settings, use_cache=self.use_cache)
        timings: dict[str, float] = {}
        started = time.perf_counter()

        t = time.perf_counter()
        extraction = await self.stages.extractor.extract(art, ctx)
        timings["extract"] = _since(t)

        t = time.perf_counter()
        raw_pairs = await self.stages.pairer.pair(art, extraction, ctx)
        pairs = _valid_pairs(raw_pairs, extraction, ctx)
        timings["pair"] = _since(t)

        t = time.perf_counter()
        scored = await self.stages.scorer.score(art, extraction, pairs, ctx) if pairs else []
        contradictions = self._finish_scores(scored, pairs, ctx)
        timings["score"] = _since(t)
        timings["total"] = _since(started)

        n = len(extraction.claims)
        return Report(
            article=ArticleInfo(
                id=art.id, title=art.title, url=art.url, language=art.language, chars=len(art.text)
            ),
            backend=self.backend,
            model=self.model,
            actors=extraction.actors,
            claims=extraction.claims,
            contradictions=contradictions,
            pairing=PairingStats(claims=n, candidates=len(pairs), all_pairs=n * (n - 1) // 2),
            calibrated=self.calibration is not None,
            prompts=dict(sorted(ctx.prompts.items())),
            usage=ctx.usage,
            warnings=ctx.warnings,
            timings=timings,
        )

    # -- batches -----------------------------------------------------------------
    def analyze_many(
        self,
        articles: Iterable[str | Article],
        concurrency: int | None = None,
        progress: ProgressCallback | None = None,
        return_exceptions: bool = False,
    ) -> list[Report | BaseException]:
        """Analyse many articles with at most `concurrency` in flight, in input order."""
        return asyncio.run(self.aanalyze_many(articles, concurrency, progress, return_exceptions))

    async def aanalyze_many(
        self,
        articles: Iterable[str | Article],
        concurrency: int | None = None,
        progress: ProgressCallback | None = None,
        return_exceptions: bool = False,
    ) -> list[Report | BaseException]:
        items: Sequence[str | Article] = list(articles)
        limit = asyncio.Semaphore(concurrency or self.settings.concurrency)
        done = 0

        async def one(item: str | Article) -> Report | BaseException:
            nonlocal done
            async with limit:
                try:
                    result: Report | BaseException = await self.aanalyze(item)
                except Exception as exc:
                    if not return_exceptions:
                        raise
                    result = exc
            done += 1
            if progress is not None:
                progress(done, len(items), result)
            return result

        return list(await asyncio.gather(*(one(a) for a in items)))

    # -- helpers -------------------------------------------------------------------
    def _article(self, article: str | Article) -> Article:
        if isinstance(article, Article):
            article_from_text(article.text, article.id or "<article>", self.settings.max_chars)
            return article
        return article_from_text(article, "<text>", self.settings.max_chars)

    def _finish_scores(
        self, scored: list[Contradiction], pairs: list[CandidatePair], ctx: RunContext
    ) -> list[Contradiction]:
        wanted = {frozenset((p.a, p.b)) for p in pairs}
        seen: set[frozenset[str]] = set()
        out: list[Contradiction] = []
        raw_of: dict[frozenset[str], float] = {}
        dropped = 0
        for c in scored:
            key = frozenset((c.a, c.b))
            if key not in wanted or key in seen:
                dropped += 1
                continue
            seen.add(key)
            raw = min(1.0, max(0.0, c.score))
            score = self.calibration.apply(raw) if self.calibration is not None else raw
            raw_of[key] = raw
            out.append(c.model_copy(update={"score": score}))
        if dropped:
            ctx.warn(f"dropped {dropped} scored pair(s) that were not among the candidates")
        missing = len(wanted - seen)
        if missing:
            ctx.warn(f"{missing} candidate pair(s) got no score")
        # Calibration is monotone but flattens: the raw score still orders ties.
        out.sort(key=lambda c: (-c.score, -raw_of[frozenset((c.a, c.b))], c.a, c.b))
        return out


def _valid_pairs(
    pairs: list[CandidatePair], extraction: Extraction, ctx: RunContext
) -> list[CandidatePair]:
    ids = {c.id for c in extraction.claims}
    seen: set[frozenset[str]] = set()
    out: list[CandidatePair] = []
    unknown = 0
    for p in pairs:
        key = frozenset((p.a, p.b))
        if p.a not in ids or p.b not in ids or p.a == p.b:
            unknown += 1
            continue
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    if unknown:
        ctx.warn(f"dropped {unknown} pair(s) naming unknown claims")
    return out


def _since(t: float) -> float:
    return round(time.perf_counter() - t, 4)


def analyze(article: str | Article, **kwargs: object) -> Report:
    """One-call convenience: `analyze(text)` with the configured backend."""
    return Detector(**kwargs).analyze(article)  # type: ignore[arg-type]
