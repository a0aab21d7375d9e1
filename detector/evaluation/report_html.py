"""A saved eval run as one self-contained HTML page: plots as inline SVG, no scripts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

_TEMPLATES = Path(__file__).parent / "templates"
W, H, PAD = 360, 240, 36


def _x(v: float) -> float:
    return PAD + v * (W - 2 * PAD)


def _y(v: float) -> float:
    return H - PAD - v * (H - 2 * PAD)


def _axes(title: str, xlabel: str, ylabel: str) -> list[str]:
    return [
        f'<text x="{W / 2}" y="16" text-anchor="middle" class="t">{title}</text>',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" class="ax"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" class="ax"/>',
        f'<text x="{W / 2}" y="{H - 6}" text-anchor="middle">{xlabel}</text>',
        f'<text x="10" y="{H / 2}" transform="rotate(-90 10 {H / 2})" text-anchor="middle">{ylabel}</text>',
        f'<text x="{PAD}" y="{H - PAD + 14}" text-anchor="middle">0</text>',
        f'<text x="{W - PAD}" y="{H - PAD + 14}" text-anchor="middle">1</text>',
        f'<text x="{PAD - 6}" y="{PAD + 4}" text-anchor="end">1</text>',
    ]


def _svg(parts: list[str], name: str) -> str:
    body = "".join(parts)
    return f'<svg class="plot" id="{name}" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img">{body}</svg>'


def reliability_svg(points: list[list[float]], bins: int = 10) -> str:
    parts = _axes("Reliability diagram", "predicted score", "observed frequency")
    parts.append(f'<line x1="{_x(0)}" y1="{_y(0)}" x2="{_x(1)}" y2="{_y(1)}" class="diag"/>')
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [y for s, y in points if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if not inside:
            continue
        freq = sum(inside) / len(inside)
        parts.append(
            f'<rect class="bar" x="{_x(lo) + 1}" y="{_y(freq)}" width="{_x(hi) - _x(lo) - 2}" '
            f'height="{_y(0) - _y(freq)}"><title>{lo:.1f}-{hi:.1f}: {freq:.2f} of {len(inside)}</title></rect>'
        )
    return _svg(parts, "reliability")


def histogram_svg(points: list[list[float]], bins: int = 10) -> str:
    parts = _axes("Scores of true and false pairs", "score", "share of pairs")
    for label, cls, offset in ((1, "pos", 0.0), (0, "neg", 0.5)):
        scores = [s for s, y in points if y == label]
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            count = sum(1 for s in scores if lo <= s < hi or (b == bins - 1 and s == 1.0))
            share = count / len(scores) if scores else 0.0
            width = (_x(hi) - _x(lo)) / 2 - 1
            parts.append(
                f'<rect class="{cls}" x="{_x(lo) + offset * (_x(hi) - _x(lo))}" y="{_y(share)}" '
                f'width="{width}" height="{_y(0) - _y(share)}"><title>{count}</title></rect>'
            )
    parts.append(
        f'<text x="{W - PAD}" y="{PAD}" text-anchor="end" class="pos-t">true contradictions</text>'
    )
    parts.append(
        f'<text x="{W - PAD}" y="{PAD + 14}" text-anchor="end" class="neg-t">other pairs</text>'
    )
    return _svg(parts, "histogram")


def pr_curve(
    points: list[list[float]], gold: int, steps: int = 20
) -> list[tuple[float, float, float]]:
    out = []
    for i in range(steps + 1):
        t = i / steps
        tp = sum(1 for s, y in points if y == 1 and s >= t)
        fp = sum(1 for s, y in points if y == 0 and s >= t)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / gold if gold else 0.0
        out.append((t, precision, recall))
    return out


def threshold_svg(points: list[list[float]], gold: int, chosen: float | None = None) -> str:
    parts = _axes("Precision and recall against the threshold", "threshold", "value")
    if chosen is not None:
        parts.append(
            f'<line class="chosen" x1="{_x(chosen)}" y1="{_y(0)}" x2="{_x(chosen)}" y2="{_y(1)}">'
            f"<title>threshold of this run: {chosen:.2f}</title></line>"
        )
    curve = pr_curve(points, gold)
    for idx, cls in ((1, "pline"), (2, "rline")):
        path = " ".join(f"{_x(row[0]):.1f},{_y(row[idx]):.1f}" for row in curve)
        parts.append(f'<polyline class="{cls}" points="{path}"/>')
    parts.append(f'<text x="{W - PAD}" y="{PAD}" text-anchor="end" class="pos-t">precision</text>')
    parts.append(f'<text x="{W - PAD}" y="{PAD + 14}" text-anchor="end" class="r-t">recall</text>')
    return _svg(parts, "threshold")


def render_html(results: dict[str, Any]) -> str:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html"]))
    points = results.get("pair_scores", [])
    gold = int(results.get("gold_contradictions", 0))
    return env.get_template("report.html").render(
        r=results,
        reliability=reliability_svg(points),
        histogram=histogram_svg(points),
        threshold=threshold_svg(points, gold, results.get("threshold")),
    )


def write_html(results: dict[str, Any], path: Path) -> Path:
    path.write_text(render_html(results), encoding="utf-8")
    return path
