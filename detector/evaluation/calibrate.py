"""Isotonic calibration by pool-adjacent-violators: a monotone map score → frequency."""

from __future__ import annotations

from detector.calibration import Calibration


def isotonic(points: list[tuple[float, int]]) -> tuple[list[float], list[float]]:
    """PAV on (score, outcome) points; returns the knots of a non-decreasing step map."""
    ordered = sorted(points)
    blocks: list[list[float]] = []  # [sum_y, count, min_x, max_x]
    for x, y in ordered:
        blocks.append([float(y), 1.0, x, x])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c, lo, hi = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
            blocks[-1][3] = hi
    xs: list[float] = []
    ys: list[float] = []
    for s, c, lo, hi in blocks:
        value = round(s / c, 6)
        for x in (lo, hi) if hi > lo else (lo,):
            if xs and x <= xs[-1]:
                continue
            if len(ys) >= 2 and ys[-1] == ys[-2] == value:
                xs[-1] = round(x, 6)  # extend a flat run instead of adding a knot
                continue
            xs.append(round(x, 6))
            ys.append(value)
    return xs, ys


def fit_calibration(
    points: list[tuple[float, int]], *, backend: str, model: str | None, dataset: str
) -> Calibration:
    xs, ys = isotonic(points)
    return Calibration(
        backend=backend, model=model, x=xs, y=ys, dataset=dataset, samples=len(points)
    )
