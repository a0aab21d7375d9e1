"""Score calibration: a monotone map from raw scores to observed frequencies.

`detector eval calibrate` fits one per backend and model on a labeled set and
saves it where `load_calibration` finds it; the pipeline then applies it and
marks the report `calibrated: true`. A user's fitted file overrides one the
package ships.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, Field

PACKAGED_DIR = Path(__file__).parent / "data" / "calibration"


class Calibration(BaseModel):
    """Piecewise-linear map through (x, y) knots, fitted by isotonic regression."""

    backend: str
    model: str | None = None
    method: str = "isotonic"
    x: list[float] = Field(default_factory=list)
    y: list[float] = Field(default_factory=list)
    dataset: str | None = None
    samples: int = 0

    def apply(self, score: float) -> float:
        if not self.x:
            return score
        if score <= self.x[0]:
            return round(self.y[0], 4)
        if score >= self.x[-1]:
            return round(self.y[-1], 4)
        i = bisect.bisect_right(self.x, score)
        x0, x1, y0, y1 = self.x[i - 1], self.x[i], self.y[i - 1], self.y[i]
        t = 0.0 if x1 == x0 else (score - x0) / (x1 - x0)
        return round(min(1.0, max(0.0, y0 + t * (y1 - y0))), 4)


def calibration_filename(backend: str, model: str | None) -> str:
    name = backend if backend == "offline" or not model else f"{backend}__{model}"
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name) + ".json"


def user_calibration_dir(configured: Path | None = None) -> Path:
    return configured or Path(user_data_dir("detector")) / "calibration"


def load_calibration(
    backend: str, model: str | None, directory: Path | None = None
) -> Calibration | None:
    """The user's fitted calibration, else the packaged one, else None."""
    filename = calibration_filename(backend, model)
    for folder in (user_calibration_dir(directory), PACKAGED_DIR):
        path = folder / filename
        if path.is_file():
            return Calibration.model_validate_json(path.read_text(encoding="utf-8"))
    return None


def save_calibration(calibration: Calibration, directory: Path | None = None) -> Path:
    folder = user_calibration_dir(directory)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / calibration_filename(calibration.backend, calibration.model)
    path.write_text(calibration.model_dump_json(indent=2), encoding="utf-8")
    return path
