"""Running the detector over a labeled set, resumably, and scoring it.

Each finished article is appended to the run directory at once, so an
interrupted eval keeps its work and `--resume` picks up where it stopped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from detector.errors import DetectorError, InputError
from detector.evaluation.dataset import DatasetError, Sample, load_dataset
from detector.evaluation.metrics import ArticleResult, score_article, summarize
from detector.models import Report
from detector.pipeline import Detector

PREDICTIONS = "predictions.jsonl"
RESULTS = "results.json"

logger = logging.getLogger(__name__)


def load_samples(paths: list[str]) -> list[Sample]:
    samples: list[Sample] = []
    seen: dict[str, str] = {}
    for path in paths:
        for sample in load_dataset(path):
            if sample.id in seen:
                raise DatasetError(f"{path}: field 'id': {sample.id!r} also in {seen[sample.id]}")
            seen[sample.id] = path
            samples.append(sample)
    return samples


def read_predictions(run_dir: Path) -> dict[str, dict[str, Any]]:
    """Finished articles of an earlier run: id → {report, error}."""
    path = run_dir / PREDICTIONS
    done: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return done
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut by an interruption: that article runs again
        if isinstance(row, dict) and "id" in row:
            done[row["id"]] = row
    return done


async def run_eval(
    paths: list[str],
    detector: Detector,
    *,
    threshold: float = 0.5,
    out_dir: Path | None = None,
    resume: bool = False,
    concurrency: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, Any], list[ArticleResult]]:
    samples = load_samples(paths)
    previous: dict[str, dict[str, Any]] = {}
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        if resume:
            previous = read_predictions(out_dir)
        else:
            (out_dir / PREDICTIONS).write_text("", encoding="utf-8")
    started = time.perf_counter()
    limit = asyncio.Semaphore(concurrency or detector.settings.concurrency)
    lock = asyncio.Lock()
    done = 0
    results: dict[str, ArticleResult] = {}

    for sample in samples:
        row = previous.get(sample.id)
        if row is None or not row.get("report"):
            continue  # not done, or failed (an outage): it runs again
        report = _saved_report(row, out_dir)
        _check_same_detector(report, detector, out_dir)
        results[sample.id] = score_article(sample, report, threshold)
    todo = [s for s in samples if s.id not in results]
    total = len(samples)
    done = len(results)
    if progress:
        progress(done, total)

    async def one(sample: Sample) -> None:
        nonlocal done
        async with limit:
            report: Report | None = None
            error: str | None = None
            try:
                report = await detector.aanalyze(sample.to_article())
            except DetectorError as exc:
                error = str(exc)
            except Exception as exc:  # one broken article must not sink a long run
                logger.warning("article %s failed", sample.id, exc_info=True)
                error = f"{type(exc).__name__}: {exc}"
            result = (
                score_article(sample, report, threshold)
                if report is not None
                else ArticleResult(sample, None, None, error)
            )
            results[sample.id] = result
            if out_dir is not None:
                row = {
                    "id": sample.id,
                    "report": report.model_dump(mode="json") if report else None,
                    "error": error,
                }
                async with lock:
                    with (out_dir / PREDICTIONS).open("a", encoding="utf-8") as fh:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            done += 1
            if progress:
                progress(done, total)

    await asyncio.gather(*(one(s) for s in todo))
    ordered = [results[s.id] for s in samples]
    summary = summarize(
        ordered,
        dataset=", ".join(paths),
        backend=detector.backend,
        model=detector.model,
        threshold=threshold,
        seconds=time.perf_counter() - started,
    )
    if out_dir is not None:
        (out_dir / RESULTS).write_text(
            json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return summary, ordered


def _saved_report(row: dict[str, Any], run_dir: Path | None) -> Report:
    try:
        return Report.model_validate(row["report"])
    except ValidationError as exc:
        raise InputError(
            f"{run_dir}/{PREDICTIONS}: the saved report of {row['id']!r} is not a valid report "
            f"({exc.error_count()} problem(s)); start a new run with --out"
        ) from None


def _check_same_detector(report: Report, detector: Detector, run_dir: Path | None) -> None:
    """Refuse to mix two detectors' predictions in one run's numbers."""
    if (report.backend, report.model) != (detector.backend, detector.model):
        raise InputError(
            f"--resume {run_dir}: that run used backend {report.backend!r} and model "
            f"{report.model!r}, this one {detector.backend!r} and {detector.model!r}; "
            "resume with the same --backend and --model, or start a new run with --out"
        )


def metric(results: dict[str, Any], path: str) -> float:
    """`pairs.f1` → results["pairs"]["f1"]; a clear error for an unknown path."""
    node: Any = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    if not isinstance(node, int | float) or isinstance(node, bool):
        raise KeyError(path)
    return float(node)
