"""Labeled samples in the project's JSON Lines contract, loaded strictly.

A violation is an error naming the file, the line and the field, never a
silent skip: a dataset that loads is a dataset whose numbers mean something.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from detector.errors import InputError
from detector.models import Article, ClaimKind
from detector.text import normalize

GoldLabel = Literal["contradiction", "tension"]


class DatasetError(InputError):
    """A dataset line breaks the contract."""


class GoldActor(BaseModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)


class GoldClaim(BaseModel):
    id: str
    actor: str
    quote: str
    kind: ClaimKind | None = None


class GoldPair(BaseModel):
    a: str
    b: str
    label: GoldLabel
    note: str | None = None


class Sample(BaseModel):
    id: str
    text: str
    title: str | None = None
    source: str | None = None
    language: str = "en"
    actors: list[GoldActor] = Field(default_factory=list)
    claims: list[GoldClaim] = Field(default_factory=list)
    contradictions: list[GoldPair] = Field(default_factory=list)

    def to_article(self) -> Article:
        return Article(
            text=self.text, title=self.title, url=None, language=self.language, id=self.id
        )

    def actor(self, actor_id: str) -> GoldActor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def claim(self, claim_id: str) -> GoldClaim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    @property
    def has_contradiction(self) -> bool:
        return any(p.label == "contradiction" for p in self.contradictions)


def quote_in_text(quote: str, text: str) -> bool:
    """The contract's test: verbatim after white-space and quote-mark normalisation."""
    needle = normalize(quote)
    return bool(needle) and needle in normalize(text)


def _where(path: str, line: int, field: str) -> str:
    return f"{path}:{line}: field '{field}'"


def _unique(ids: list[str], field: str, path: str, line: int) -> None:
    first: dict[str, int] = {}
    for i, value in enumerate(ids):
        if value in first:
            raise DatasetError(
                f"{_where(path, line, f'{field}[{i}].id')}: {value!r} already used by "
                f"{field}[{first[value]}] (ids must be unique)"
            )
        first[value] = i


_KNOWN_KEYS: dict[str, set[str]] = {
    "": set(Sample.model_fields),
    "actors": set(GoldActor.model_fields),
    "claims": set(GoldClaim.model_fields),
    "contradictions": set(GoldPair.model_fields),
}


def _misspelt_keys(data: dict[str, Any], path: str, line: int) -> None:
    """Extra keys are allowed (metadata), but a near-miss of a known one is a typo.

    A misspelt `contradictions` would otherwise turn a positive sample into a
    negative one without a word.
    """
    objects: list[tuple[str, str, Any]] = [("", "", data)]
    for list_key in ("actors", "claims", "contradictions"):
        items = data.get(list_key)
        if isinstance(items, list):
            objects += [(list_key, f"{list_key}[{i}].", item) for i, item in enumerate(items)]
    for kind, prefix, obj in objects:
        if not isinstance(obj, dict):
            continue
        known = _KNOWN_KEYS[kind]
        for key in obj:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            if close:
                raise DatasetError(
                    f"{_where(path, line, prefix + key)}: unknown field; did you mean {close[0]!r}?"
                )


def _check(sample: Sample, path: str, line: int) -> None:
    if not sample.text.strip():
        raise DatasetError(f"{_where(path, line, 'text')}: must not be empty")
    actor_ids = [a.id for a in sample.actors]
    _unique(actor_ids, "actors", path, line)
    claim_ids = [c.id for c in sample.claims]
    _unique(claim_ids, "claims", path, line)
    for i, claim in enumerate(sample.claims):
        if claim.actor not in actor_ids:
            raise DatasetError(
                f"{_where(path, line, f'claims[{i}].actor')}: {claim.actor!r} is not an actors[].id"
            )
        if not quote_in_text(claim.quote, sample.text):
            raise DatasetError(
                f"{_where(path, line, f'claims[{i}].quote')}: quote of {claim.id!r} does not occur "
                f"verbatim in text: {claim.quote[:80]!r}"
            )
    for i, pair in enumerate(sample.contradictions):
        for side in ("a", "b"):
            ref = getattr(pair, side)
            if ref not in claim_ids:
                raise DatasetError(
                    f"{_where(path, line, f'contradictions[{i}].{side}')}: {ref!r} is not a claims[].id"
                )
        if pair.a == pair.b:
            raise DatasetError(
                f"{_where(path, line, f'contradictions[{i}]')}: a and b must differ ({pair.a!r})"
            )


def parse_line(raw: str, path: str, line: int) -> Sample:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"{path}:{line}: not valid JSON ({exc.msg} at column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise DatasetError(f"{path}:{line}: each line must be a JSON object")
    _misspelt_keys(data, path, line)
    try:
        sample = Sample.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(line)"
        raise DatasetError(f"{_where(path, line, field)}: {first['msg']}") from None
    _check(sample, path, line)
    return sample


def load_dataset(path: str | Path) -> list[Sample]:
    """Every sample of a JSONL file, or a DatasetError naming the first violation."""
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"{path}: no such dataset file")
    samples: list[Sample] = []
    seen: dict[str, int] = {}
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: not valid UTF-8") from None
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        sample = parse_line(raw, str(path), n)
        if sample.id in seen:
            raise DatasetError(
                f"{_where(str(path), n, 'id')}: {sample.id!r} already used on line {seen[sample.id]}"
            )
        seen[sample.id] = n
        samples.append(sample)
    if not samples:
        raise DatasetError(f"{path}: the dataset has no samples")
    return samples
