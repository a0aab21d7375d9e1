"""The Detector's own guarantees, whatever stages it runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from detector import Detector, Report
from detector.assemble import assemble
from detector.calibration import Calibration, save_calibration
from detector.interfaces import RunContext
from detector.models import (
    SCHEMA_VERSION,
    Article,
    CandidatePair,
    ClaimDraft,
    Contradiction,
    Extraction,
)

TEXT = (
    "The mayor said the bridge is safe. The engineer said the bridge is not safe. "
    "The union said wages rose."
)


class QuoteExtractor:
    """Extracts the three sentences' claims with fixed actors (a real Extractor)."""

    async def extract(self, article: Article, ctx: RunContext) -> Extraction:
        drafts = [
            ClaimDraft(actor="Mayor", quote="the bridge is safe"),
            ClaimDraft(actor="Engineer", quote="the bridge is not safe", kind="denial"),
            ClaimDraft(actor="Union", quote="wages rose"),
        ]
        return assemble(article, drafts, ctx.warnings)


class AllPairs:
    async def pair(
        self, article: Article, extraction: Extraction, ctx: RunContext
    ) -> list[CandidatePair]:
        ids = [c.id for c in extraction.claims]
        pairs = [CandidatePair(a=a, b=b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
        return [*pairs, CandidatePair(a="c1", b="c99"), CandidatePair(a="c2", b="c1")]


class FixedScores:
    async def score(
        self, article: Article, extraction: Extraction, pairs: list[CandidatePair], ctx: RunContext
    ) -> list[Contradiction]:
        out = []
        for p in pairs:
            both = {p.a, p.b}
            value = 1.7 if both == {"c1", "c2"} else 0.1
            out.append(
                Contradiction(
                    a=p.a, b=p.b, label="consistent", score=min(value, 1.0), rationale="r"
                )
            )
        out.append(Contradiction(a="c1", b="c3", label="tension", score=0.9, rationale="dup"))
        return out


def _detector(**kw: object) -> Detector:
    return Detector(
        backend="offline", extractor=QuoteExtractor(), pairer=AllPairs(), scorer=FixedScores(), **kw
    )  # type: ignore[arg-type]


def test_report_is_checked_sorted_and_counted() -> None:
    report = _detector().analyze(TEXT)
    assert report.schema_version == SCHEMA_VERSION
    assert report.backend == "offline"
    assert next((c.a, c.b) for c in report.contradictions) == ("c1", "c2")
    assert [c.score for c in report.contradictions] == sorted(
        (c.score for c in report.contradictions), reverse=True
    )
    assert len(report.contradictions) == 3  # the duplicate scored pair is dropped
    assert any("unknown claims" in w for w in report.warnings)
    assert any("not among the candidates" in w for w in report.warnings)
    assert report.pairing.claims == 3 and report.pairing.all_pairs == 3
    assert report.pairing.candidates == 3
    assert set(report.timings) >= {"extract", "pair", "score", "total"}


def test_report_json_round_trips() -> None:
    report = _detector().analyze(TEXT)
    data = json.loads(report.model_dump_json())
    assert Report.model_validate(data) == report
    for claim in data["claims"]:
        assert TEXT[claim["span"]["start"] : claim["span"]["end"]] == claim["quote"]


def test_calibration_is_applied_when_present(tmp_path: Path) -> None:
    save_calibration(Calibration(backend="offline", x=[0.0, 1.0], y=[0.0, 0.5]), tmp_path)
    from detector.settings import Settings

    report = _detector(settings=Settings(calibration_dir=tmp_path)).analyze(TEXT)
    assert report.calibrated is True
    assert report.contradictions[0].score == 0.5
    raw = _detector(settings=Settings(calibration_dir=tmp_path), calibrate=False).analyze(TEXT)
    assert raw.calibrated is False and raw.contradictions[0].score == 1.0


def test_analyze_many_keeps_order_and_reports_progress() -> None:
    seen: list[tuple[int, int]] = []
    texts = [TEXT, TEXT.replace("mayor", "governor"), "", TEXT]
    results = _detector().analyze_many(
        texts, concurrency=2, progress=lambda d, t, r: seen.append((d, t)), return_exceptions=True
    )
    assert len(results) == 4
    assert isinstance(results[2], Exception)
    assert isinstance(results[1], Report) and results[1].actors
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_aanalyze_inside_a_running_loop() -> None:
    async def main() -> Report:
        return await _detector().aanalyze(Article(text=TEXT, id="a1", title="Bridge"))

    report = asyncio.run(main())
    assert report.article.id == "a1" and report.article.chars == len(TEXT)
