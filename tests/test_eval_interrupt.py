"""An interrupted eval keeps what it finished, `--resume` continues it honestly, concurrency is bounded."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from openai_stub import OpenAIStub, Reply, completion

from detector.evaluation.dataset import load_dataset
from detector.evaluation.runner import PREDICTIONS, run_eval
from detector.interfaces import RunContext
from detector.models import Article, CandidatePair, Contradiction, Extraction
from detector.offline import OfflineExtractor, OfflinePairer, OfflineScorer
from detector.pipeline import Detector
from detector.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "evals" / "datasets" / "dev.jsonl"
EVAL = [sys.executable, "-m", "detector.cli", "eval"]


class CountingExtractor:
    """The offline extractor, counting the articles it is asked for."""

    def __init__(self) -> None:
        self.inner = OfflineExtractor()
        self.seen: list[str] = []

    async def extract(self, article: Article, ctx: RunContext) -> Extraction:
        self.seen.append(article.id or "")
        return await self.inner.extract(article, ctx)


class HeldScorer:
    """The offline scorer, except that the held articles never finish."""

    def __init__(self, hold: set[str]) -> None:
        self.inner = OfflineScorer()
        self.hold = hold

    async def score(
        self,
        article: Article,
        extraction: Extraction,
        pairs: list[CandidatePair],
        ctx: RunContext,
    ) -> list[Contradiction]:
        if article.id in self.hold:
            await asyncio.Event().wait()
        return await self.inner.score(article, extraction, pairs, ctx)


def detector(scorer: Any = None, extractor: Any = None) -> Detector:
    return Detector(
        settings=Settings(backend="offline"),
        extractor=extractor or OfflineExtractor(),
        pairer=OfflinePairer(),
        scorer=scorer or OfflineScorer(),
    )


def saved_ids(run: Path) -> list[str]:
    return [json.loads(x)["id"] for x in (run / PREDICTIONS).read_text().splitlines()]


def test_cancelled_run_keeps_finished_articles_and_resume_runs_only_the_rest(
    tmp_path: Path,
) -> None:
    ids = [s.id for s in load_dataset(DEV)]
    held = {ids[2], ids[7]}
    run = tmp_path / "run"

    async def interrupted() -> None:
        task = asyncio.create_task(
            run_eval([str(DEV)], detector(HeldScorer(held)), out_dir=run, concurrency=3)
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            path = run / PREDICTIONS
            if path.is_file() and len(path.read_text().splitlines()) == len(ids) - len(held):
                break
            await asyncio.sleep(0.02)
        task.cancel()  # what Ctrl-C does to the running eval
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    assert sorted(saved_ids(run)) == sorted(set(ids) - held)
    assert not (run / "results.json").exists()

    counting = CountingExtractor()
    resumed, _ = asyncio.run(
        run_eval([str(DEV)], detector(extractor=counting), out_dir=run, resume=True)
    )
    assert sorted(counting.seen) == sorted(held)  # nothing done twice
    assert sorted(saved_ids(run)) == sorted(ids)
    full, _ = asyncio.run(run_eval([str(DEV)], detector()))
    for key in ("pairs", "tension", "claims", "articles_flagged", "calibration"):
        assert resumed[key] == full[key], key
    assert json.loads((run / "results.json").read_text())["pairs"] == full["pairs"]


def test_failed_articles_run_again_on_resume(tmp_path: Path) -> None:
    ids = [s.id for s in load_dataset(DEV)]
    run = tmp_path / "run"
    run.mkdir()
    rows = [{"id": ids[0], "report": None, "error": "LLM service unavailable (HTTP 503)"}]
    (run / PREDICTIONS).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    counting = CountingExtractor()
    summary, _ = asyncio.run(
        run_eval([str(DEV)], detector(extractor=counting), out_dir=run, resume=True)
    )
    assert ids[0] in counting.seen and summary["failed_articles"] == 0


# -- the command line ---------------------------------------------------------------


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EVAL, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env or {**os.environ},
    )


def test_resume_refuses_another_backend_or_model(tmp_path: Path) -> None:
    run = tmp_path / "run"
    first = cli(str(DEV), "--backend", "offline", "--out", str(run), "--json")
    assert first.returncode == 0, first.stderr
    lines = (run / PREDICTIONS).read_text().splitlines()
    row = json.loads(lines[0])
    row["report"]["backend"], row["report"]["model"] = "llm", "gpt-4o-mini"
    (run / PREDICTIONS).write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = cli(str(DEV), "--backend", "offline", "--resume", str(run))
    assert result.returncode == 2
    assert "'llm'" in result.stderr and "'gpt-4o-mini'" in result.stderr
    assert "Traceback" not in result.stderr

    row["report"] = {"backend": "offline", "claims": "not a list"}
    (run / PREDICTIONS).write_text(json.dumps(row) + "\n", encoding="utf-8")
    broken = cli(str(DEV), "--backend", "offline", "--resume", str(run))
    assert broken.returncode == 2 and "not a valid report" in broken.stderr

    elsewhere = cli(str(DEV), "--resume", str(run), "--out", str(tmp_path / "other"))
    assert elsewhere.returncode == 2 and "--out and --resume" in elsewhere.stderr


def test_ctrl_c_exits_130_and_says_how_to_resume(tmp_path: Path) -> None:
    """A real SIGINT while every LLM request hangs on a loopback server."""
    release = threading.Event()

    def hang(body: dict[str, Any]) -> Reply:
        release.wait(60)
        return completion("{}")

    run = tmp_path / "run"
    with OpenAIStub(hang) as stub:
        env = {
            **os.environ,
            "OPENAI_BASE_URL": stub.base_url,
            "OPENAI_API_KEY": "sk-test-not-a-real-key",
            "DETECTOR_CACHE": "false",
        }
        proc = subprocess.Popen(
            [*EVAL, str(DEV), "--backend", "llm", "--out", str(run), "--json"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not stub.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            assert stub.requests, "the eval never reached the LLM server"
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 130, err
    assert f"interrupted; continue with --resume {run}" in err
    assert "Traceback" not in err and out == ""
    assert (run / PREDICTIONS).is_file()


class TrackingExtractor:
    """The offline extractor, recording how many articles are in flight at once."""

    def __init__(self) -> None:
        self.inner = OfflineExtractor()
        self.now = 0
        self.peak = 0

    async def extract(self, article: Article, ctx: RunContext) -> Extraction:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            await asyncio.sleep(0.005)  # let the other articles start, if they may
            return await self.inner.extract(article, ctx)
        finally:
            self.now -= 1


@pytest.mark.parametrize("limit", [1, 3])
def test_concurrency_is_bounded(limit: int) -> None:
    tracking = TrackingExtractor()
    seen: list[tuple[int, int]] = []
    summary, _ = asyncio.run(
        run_eval(
            [str(DEV)],
            detector(extractor=tracking),
            concurrency=limit,
            progress=lambda done, total: seen.append((done, total)),
        )
    )
    assert tracking.peak == limit
    total = summary["articles"]
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == list(range(total + 1))
