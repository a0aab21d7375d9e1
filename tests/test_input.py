"""Bad input: one clear line naming the problem, exit code 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from detector.errors import InputError
from detector.ingest import article_from_text, decode, read_article


def run_cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "detector.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"   \n\t \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9 au lait said the minister".encode("latin-1"), "UTF-8"),
    ],
)
def test_cli_refuses_bad_files(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    result = run_cli("analyze", str(path), "--format", "json")
    assert result.returncode == 2
    err = result.stderr.decode()
    assert needle in err and str(path) in err
    assert "Traceback" not in err
    assert result.stdout == b""


def test_cli_missing_file_and_directory(tmp_path: Path) -> None:
    missing = run_cli("analyze", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and b"no such file" in missing.stderr
    folder = run_cli("analyze", str(tmp_path))
    assert folder.returncode == 2 and b"directory" in folder.stderr


def test_cli_huge_article_names_the_limit(tmp_path: Path) -> None:
    import os

    path = tmp_path / "big.txt"
    path.write_text("The mayor said the bridge is safe. " * 400, encoding="utf-8")
    env = {**os.environ, "DETECTOR_MAX_CHARS": "5000"}
    result = run_cli("analyze", str(path), env=env)
    assert result.returncode == 2
    assert b"over the limit of 5,000" in result.stderr


def test_cli_empty_stdin() -> None:
    result = run_cli("analyze", "-", stdin=b"")
    assert result.returncode == 2 and b"<stdin>: the article is empty" in result.stderr


def test_utf16_and_bom_are_decoded() -> None:
    assert decode("The mayor said".encode("utf-8-sig"), "x") == "The mayor said"
    assert decode("The mayor said".encode("utf-16"), "x") == "The mayor said"


def test_control_characters_mean_binary() -> None:
    with pytest.raises(InputError, match="binary"):
        article_from_text("abc\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e" * 3, "x")


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    raw = "Line one said \u201cyes\u201d.\r\nLine two.\r\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert read_article(str(path)).text == raw
