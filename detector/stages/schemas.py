"""The JSON shapes the LLM is asked for, one per prompt (named by its `output`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from detector.models import ActorKind, ClaimKind, Label


class ExtractedClaim(BaseModel):
    actor: str = Field(description="Canonical name of the actor making the claim")
    actor_kind: ActorKind = "other"
    actor_aliases: list[str] = Field(
        default_factory=list, description="Other mentions of the actor"
    )
    affiliation: str | None = Field(default=None, description="Organisation the actor speaks for")
    speaker: str | None = Field(default=None, description="The mention at the claim, e.g. 'he'")
    quote: str = Field(description="Verbatim span of the article stating the claim")
    paraphrase: str = ""
    kind: ClaimKind = "assertion"
    responds_to: int | None = Field(default=None, description="0-based index of the claim answered")


class ExtractOutput(BaseModel):
    claims: list[ExtractedClaim] = Field(default_factory=list)


class ProposedPair(BaseModel):
    a: str
    b: str
    reason: str = ""


class PairOutput(BaseModel):
    pairs: list[ProposedPair] = Field(default_factory=list)


class Judgement(BaseModel):
    pair: str = Field(description="The pair id as given, e.g. p3")
    label: Label
    score: float = Field(ge=0.0, le=1.0)
    rationale: str = ""


class ScoreOutput(BaseModel):
    judgements: list[Judgement] = Field(default_factory=list)


OUTPUTS: dict[str, type[BaseModel]] = {
    "ExtractOutput": ExtractOutput,
    "PairOutput": PairOutput,
    "ScoreOutput": ScoreOutput,
}
