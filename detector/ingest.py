"""Turn bytes, files and stdin into an `Article`, refusing what is not text.

Every refusal is an `InputError` naming the source and the problem, so the
CLI, the eval harness and the Slack bot report bad input the same way.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import Any

from detector.errors import InputError
from detector.models import Article

DEFAULT_MAX_CHARS = 200_000
# Share of control characters above which input is treated as binary.
_BINARY_CONTROL_SHARE = 0.02


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: looks like a binary file (it contains NUL bytes), not text")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert it first, e.g. `iconv -f latin1 -t utf-8`"
        ) from None


def check_text(text: str, source: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Refuse empty, binary-looking or oversized text; the text itself is kept as is,
    because claim offsets index the exact string the user gave."""
    if not text.strip():
        raise InputError(f"{source}: the article is empty")
    if len(text) > max_chars:
        raise InputError(
            f"{source}: the article has {len(text):,} characters, over the limit of "
            f"{max_chars:,} (set DETECTOR_MAX_CHARS to raise it)"
        )
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t")
    if controls > max(8, _BINARY_CONTROL_SHARE * len(text)):
        raise InputError(f"{source}: looks like binary data ({controls} control characters)")
    return text


def article_from_text(
    text: str, source: str = "<text>", max_chars: int = DEFAULT_MAX_CHARS, **meta: str | None
) -> Article:
    clean = check_text(text, source, max_chars)
    fields = {k: v for k, v in meta.items() if v is not None}
    return Article(text=clean, **fields)


def read_article(path: str, max_chars: int = DEFAULT_MAX_CHARS) -> Article:
    """Read a file, or stdin for `-`. The byte limit guards memory before decoding."""
    if path == "-":
        data = sys.stdin.buffer.read(max_chars * 4 + 1)
        source = "<stdin>"
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path}: is a directory, not an article file")
        with p.open("rb") as fh:
            data = fh.read(max_chars * 4 + 1)
        source = path
    if len(data) > max_chars * 4:
        raise InputError(f"{source}: the file is too large (over {max_chars * 4:,} bytes)")
    text = decode(data, source)
    return article_from_text(text, source, max_chars, id=None if path == "-" else Path(path).stem)


def is_url(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def article_from_url(
    url: str, allow: list[str], max_chars: int = DEFAULT_MAX_CHARS, **fetch_options: Any
) -> Article:
    """Fetch a page safely (see `detector.fetch`) and take its main text as the article."""
    from detector.fetch import fetch_page

    page = fetch_page(url, allow, **fetch_options)
    return article_from_text(page.text, page.url, max_chars, title=page.title, url=page.url)
