"""Two saved runs side by side: metric deltas and articles whose outcome changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from detector.errors import InputError
from detector.evaluation.runner import RESULTS, metric

COMPARED = (
    "pairs.precision",
    "pairs.recall",
    "pairs.f1",
    "tension.found",
    "claims.recall",
    "claims.attribution_accuracy",
    "articles_flagged.accuracy",
    "articles_flagged.false_alarms",
    "calibration.brier",
    "calibration.ece",
    "cost.llm_calls",
    "cost.prompt_tokens",
    "cost.completion_tokens",
    "seconds",
)


def load_run(path: Path) -> dict[str, Any]:
    file = path / RESULTS if path.is_dir() else path
    if not file.is_file():
        raise InputError(
            f"{path}: no {RESULTS} here (save a run with `detector eval ... --out DIR`)"
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{file}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or "pairs" not in data:
        raise InputError(f"{file}: not a detector eval results file")
    return data


def _outcome(row: dict[str, Any]) -> str:
    if row.get("error"):
        return "error"
    return f"tp={row['tp']} fp={row['fp']} fn={row['fn']}" + (" flagged" if row["flagged"] else "")


def compare_runs(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    metrics = []
    for name in COMPARED:
        try:
            va, vb = metric(a, name), metric(b, name)
        except KeyError:
            continue
        metrics.append({"metric": name, "a": va, "b": vb, "delta": round(vb - va, 6)})
    rows_a = {r["id"]: r for r in a.get("per_article", [])}
    rows_b = {r["id"]: r for r in b.get("per_article", [])}
    changed = []
    for article_id in sorted(set(rows_a) | set(rows_b)):
        oa = _outcome(rows_a[article_id]) if article_id in rows_a else "absent"
        ob = _outcome(rows_b[article_id]) if article_id in rows_b else "absent"
        if oa != ob:
            changed.append({"id": article_id, "a": oa, "b": ob})
    return {"metrics": metrics, "changed_articles": changed, "notes": _notes(a, b, rows_a, rows_b)}


def _notes(
    a: dict[str, Any], b: dict[str, Any], rows_a: dict[str, Any], rows_b: dict[str, Any]
) -> list[str]:
    """What makes the two runs less than comparable; the deltas are shown regardless."""
    notes = []
    if a.get("dataset") != b.get("dataset"):
        notes.append(f"different datasets: {a.get('dataset')!r} and {b.get('dataset')!r}")
    only_a, only_b = len(set(rows_a) - set(rows_b)), len(set(rows_b) - set(rows_a))
    if only_a or only_b:
        notes.append(f"{only_a} article(s) only in A, {only_b} only in B")
    if a.get("threshold") != b.get("threshold"):
        notes.append(f"different thresholds: {a.get('threshold')} and {b.get('threshold')}")
    return notes
