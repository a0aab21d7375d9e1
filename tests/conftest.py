"""Shared fixtures: the seed article and an isolated environment for every test.

Every test runs with a clean configuration (no LLM key, a temporary cache and
config dir), so a developer's own environment can neither leak into results
nor be touched by them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-article.txt"

_ENV_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_API_KEY",
    "DETECTOR_MODEL",
    "DETECTOR_BACKEND",
    "DETECTOR_CONFIG",
    "DETECTOR_CACHE",
    "DETECTOR_CONCURRENCY",
    "DETECTOR_MAX_CHARS",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DETECTOR_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("DETECTOR_CALIBRATION_DIR", str(home / "calibration"))
    monkeypatch.setenv("DETECTOR_CONFIG", str(home / "detector.toml"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
