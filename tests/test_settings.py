"""Configuration: environment, TOML file, overrides, backend choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.settings import Settings


def test_auto_backend_follows_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().resolved_backend() == "offline"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    assert Settings().resolved_backend() == "llm"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://x.openai.azure.com")
    assert Settings().resolved_backend() == "llm"
    monkeypatch.setenv("DETECTOR_BACKEND", "offline")
    assert Settings().resolved_backend() == "offline"


def test_toml_file_and_environment_precedence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "detector.toml"
    config.write_text(
        'model = "gpt-4.1-mini"\nconcurrency = 2\nfetch_allow = "cms.local, 10.0.0.0/8"\n'
    )
    monkeypatch.setenv("DETECTOR_CONFIG", str(config))
    settings = Settings()
    assert settings.model == "gpt-4.1-mini" and settings.concurrency == 2
    assert settings.fetch_allow_list == ["cms.local", "10.0.0.0/8"]
    monkeypatch.setenv("DETECTOR_MODEL", "gpt-4o")
    assert Settings().model == "gpt-4o"  # the environment wins over the file
    assert Settings().with_overrides(model="llama3", backend=None).model == "llama3"


def test_the_key_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-xyz")
    settings = Settings()
    assert "sk-secret-value-xyz" not in repr(settings) and "sk-secret-value-xyz" not in str(
        settings.model_dump()
    )


def test_bad_configuration_is_a_clear_cli_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge is safe.", encoding="utf-8")
    env = {"DETECTOR_CONCURRENCY": "lots", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "detector.cli", "analyze", str(article)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2 and "invalid configuration" in result.stderr
    assert "Traceback" not in result.stderr
