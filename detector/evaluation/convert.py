"""Converters from public contradiction/NLI layouts into the eval format.

SNLI and MultiNLI (JSON Lines with `sentence1`, `sentence2`, `gold_label`, as
distributed; or `premise`, `hypothesis` and an integer `label` 0/1/2, as in the
Hugging Face copies of SNLI, MultiNLI and ANLI) become one short pseudo-article
per pair: two people each make one statement. A `contradiction` label becomes
a gold contradiction pair; `entailment` and `neutral` become negative samples;
pairs without a consensus label (`-`, or -1) are skipped and counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from detector.evaluation.dataset import DatasetError, parse_line

# Speakers rotate so the pseudo-articles are not all alike.
_SPEAKERS = [
    ("Alex Morgan", "a local resident"),
    ("Sam Rivera", "a shop owner"),
    ("Priya Shah", "a council worker"),
    ("Tom Becker", "a teacher"),
    ("Lena Fischer", "a nurse"),
    ("Omar Haddad", "a taxi driver"),
]


@dataclass
class ConvertStats:
    read: int = 0
    written: int = 0
    skipped: int = 0


def _clean(sentence: str) -> str:
    return " ".join(sentence.replace("\u201c", '"').replace("\u201d", '"').split()).strip()


# The Hugging Face copies of SNLI, MultiNLI and ANLI store the label as an integer.
_HF_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}


def _label(row: dict[str, Any]) -> str:
    if "gold_label" in row:
        return str(row["gold_label"]).strip().lower()
    value = row.get("label")
    if isinstance(value, int) and not isinstance(value, bool):
        return _HF_LABELS.get(value, "")
    return str(value or "").strip().lower()


def _first(row: dict[str, Any], *keys: str) -> str:
    return next((_clean(str(row[k])) for k in keys if row.get(k) is not None), "")


def snli_sample(row: dict[str, Any], index: int, source: str) -> dict[str, Any] | None:
    label = _label(row)
    s1, s2 = _first(row, "sentence1", "premise"), _first(row, "sentence2", "hypothesis")
    if label not in ("contradiction", "entailment", "neutral") or not s1 or not s2:
        return None
    (name_a, role_a) = _SPEAKERS[index % len(_SPEAKERS)]
    (name_b, role_b) = _SPEAKERS[(index + 1) % len(_SPEAKERS)]
    text = (
        f"{name_a}, {role_a}, described what happened.\n\n"
        f"\u201c{s1}\u201d {name_a} said.\n\n"
        f"{name_b}, {role_b}, gave an account of the same scene.\n\n"
        f"\u201c{s2}\u201d {name_b} said."
    )
    pair_id = str(row.get("pairID") or row.get("pair_id") or row.get("uid") or index)
    return {
        "id": f"snli-{pair_id}",
        "text": text,
        "title": None,
        "source": f"{source} (converted from SNLI/MultiNLI layout; label {label})",
        "language": "en",
        "actors": [
            {"id": "a", "name": name_a, "aliases": [name_a.split()[-1]]},
            {"id": "b", "name": name_b, "aliases": [name_b.split()[-1]]},
        ],
        "claims": [
            {"id": "c1", "actor": "a", "quote": s1, "kind": "assertion"},
            {"id": "c2", "actor": "b", "quote": s2, "kind": "assertion"},
        ],
        "contradictions": (
            [{"a": "c1", "b": "c2", "label": "contradiction", "note": "NLI contradiction"}]
            if label == "contradiction"
            else []
        ),
    }


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise DatasetError(f"{path}:{n}: each line must be a JSON object")
            yield n, row


def convert_snli(src: Path, dst: Path, limit: int | None = None) -> ConvertStats:
    """SNLI/MultiNLI JSONL → eval-format JSONL; every written line is validated."""
    if not src.is_file():
        raise DatasetError(f"{src}: no such file")
    stats = ConvertStats()
    seen: set[str] = set()
    lines: list[str] = []
    for n, row in _rows(src):
        stats.read += 1
        sample = snli_sample(row, n, src.name)
        if sample is None or sample["id"] in seen:
            stats.skipped += 1
            continue
        seen.add(sample["id"])
        line = json.dumps(sample, ensure_ascii=False)
        parse_line(line, str(dst), len(lines) + 1)
        lines.append(line)
        stats.written += 1
        if limit is not None and stats.written >= limit:
            break
    if not lines:
        raise DatasetError(
            f"{src}: none of {stats.read} line(s) has sentence1/sentence2 (or premise/hypothesis) "
            "and a contradiction, entailment or neutral label: not an SNLI/MultiNLI layout"
        )
    dst.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return stats
