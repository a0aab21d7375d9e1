"""The pydantic vocabulary every stage speaks.

Stages exchange these models and nothing else, so an LLM stage and an offline
stage are interchangeable, and `Report.model_dump_json()` is the public JSON
format (versioned by `schema_version`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.0"

ClaimKind = Literal["assertion", "denial", "accusation", "threat", "prediction", "other"]
CLAIM_KINDS: tuple[ClaimKind, ...] = (
    "assertion",
    "denial",
    "accusation",
    "threat",
    "prediction",
    "other",
)
Label = Literal["contradiction", "tension", "consistent"]
LABELS: tuple[Label, ...] = ("contradiction", "tension", "consistent")
ActorKind = Literal["person", "organization", "government", "group", "other"]
Backend = Literal["llm", "offline"]


class Article(BaseModel):
    """An article as the pipeline sees it: the exact text that offsets index."""

    text: str
    title: str | None = None
    url: str | None = None
    language: str = "en"
    id: str | None = None


class Span(BaseModel):
    """Half-open character offsets into `Article.text` (Python str indices)."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self


class Actor(BaseModel):
    """A canonical actor; `aliases` are every other way the article names it."""

    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind = "other"
    affiliation: str | None = Field(
        default=None,
        description="Actor id of the organisation this actor speaks for "
        "(a spokesman's organisation), if any.",
    )


class ClaimDraft(BaseModel):
    """A claim before grounding: what an extractor believes it read.

    The quote may still be slightly altered (curly quotes, spacing, a dropped
    word); grounding repairs it to a verbatim span or drops it.
    """

    actor: str = Field(description="Canonical name of who makes the claim")
    actor_kind: ActorKind = "other"
    actor_aliases: list[str] = Field(
        default_factory=list,
        description="Other mentions of the actor: titles, pronouns, short names",
    )
    affiliation: str | None = Field(
        default=None, description="Organisation the actor speaks for, by name"
    )
    speaker: str | None = Field(
        default=None, description="The mention as it appears at the claim, e.g. 'he'"
    )
    quote: str = Field(description="Verbatim evidence copied from the article")
    paraphrase: str = ""
    kind: ClaimKind = "assertion"
    responds_to: int | None = Field(
        default=None, description="Index of the draft this claim answers, if any"
    )
    hint: int | None = Field(
        default=None,
        description="Approximate character offset, used to pick among repeated phrases",
    )


class Claim(BaseModel):
    """A grounded claim: `article.text[span.start:span.end] == quote` always holds."""

    id: str
    actor: str = Field(description="An Actor id")
    quote: str
    span: Span
    paraphrase: str = ""
    kind: ClaimKind = "assertion"
    responds_to: str | None = Field(default=None, description="A Claim id")
    speaker: str | None = None


class Extraction(BaseModel):
    """Stage 1's output: canonical actors and their grounded claims."""

    actors: list[Actor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)


class CandidatePair(BaseModel):
    """Stage 2's output: two claims worth judging, and why they were paired."""

    a: str
    b: str
    reason: str = Field(default="", description="e.g. explicit_response, topical_overlap")
    overlap: float = Field(default=0.0, ge=0.0, le=1.0)


class Contradiction(BaseModel):
    """Stage 3's output for one pair."""

    a: str
    b: str
    label: Label
    score: float = Field(ge=0.0, le=1.0)
    rationale: str = ""


class PairingStats(BaseModel):
    """How much work pairing saved against judging every pair."""

    claims: int = 0
    candidates: int = 0
    all_pairs: int = 0


class Usage(BaseModel):
    """Every LLM call is accounted for; `cost_usd` is None when the price is unknown."""

    llm_calls: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    cache_hits: int = 0

    def add(self, other: Usage) -> None:
        self.llm_calls += other.llm_calls
        self.retries += other.retries
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.cache_hits += other.cache_hits
        if self.cost_usd is None or other.cost_usd is None:
            self.cost_usd = None
        else:
            self.cost_usd = round(self.cost_usd + other.cost_usd, 8)


class ArticleInfo(BaseModel):
    id: str | None = None
    title: str | None = None
    url: str | None = None
    language: str = "en"
    chars: int = 0


class Report(BaseModel):
    """Everything the detector found in one article, and what it cost."""

    schema_version: str = SCHEMA_VERSION
    article: ArticleInfo = Field(default_factory=ArticleInfo)
    backend: Backend
    model: str | None = None
    actors: list[Actor] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    pairing: PairingStats = Field(default_factory=PairingStats)
    calibrated: bool = False
    prompts: dict[str, str] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def claims_by_actor(self) -> dict[str, list[Claim]]:
        grouped: dict[str, list[Claim]] = {a.id: [] for a in self.actors}
        for claim in self.claims:
            grouped.setdefault(claim.actor, []).append(claim)
        return grouped

    def top(self, min_score: float = 0.0, include_consistent: bool = True) -> list[Contradiction]:
        """Pairs at or above `min_score`, highest first."""
        return [
            c
            for c in self.contradictions
            if c.score >= min_score and (include_consistent or c.label != "consistent")
        ]
