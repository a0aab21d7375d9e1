"""Reports as Slack Block Kit messages, within Slack's limits.

Limits honoured: 50 blocks a message, 3,000 characters in a section's text,
2,000 in a field, 150 in a header. Longer content is clipped with an
ellipsis or split over several messages.
"""

from __future__ import annotations

from typing import Any

from detector.models import Claim, Report

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_HEADER = 150
QUOTE_CHARS = 700

Block = dict[str, Any]

_LABEL = {
    "contradiction": ":red_circle: Contradiction",
    "tension": ":large_orange_circle: Tension",
    "consistent": ":white_circle: Consistent",
}


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so article text cannot ping @channel or fake links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, MAX_SECTION)}]}


def _who(report: Report, claim: Claim) -> str:
    actor = report.actor(claim.actor)
    if actor is None:
        return claim.actor
    org = report.actor(actor.affiliation) if actor.affiliation else None
    return f"{actor.name} ({org.name})" if org else actor.name


def _quote_field(report: Report, claim: Claim) -> Block:
    quote = escape(clip(" ".join(claim.quote.split()), QUOTE_CHARS))
    return {"type": "mrkdwn", "text": clip(f"*{escape(_who(report, claim))}*\n>{quote}", MAX_FIELD)}


def summary_line(report: Report) -> str:
    u = report.usage
    cost = "cost unknown" if u.cost_usd is None else f"${u.cost_usd:.4f}"
    model = f" · model `{report.model}`" if report.model else ""
    calibrated = "calibrated" if report.calibrated else "uncalibrated"
    return (
        f"Backend *{report.backend}*{model} · {len(report.claims)} claims by "
        f"{len(report.actors)} actors · {report.pairing.candidates}/{report.pairing.all_pairs} "
        f"pairs judged · {u.llm_calls} LLM calls, {cost} · scores {calibrated}"
    )


def result_blocks(
    report: Report, top: int = 5, min_score: float = 0.0, source: str | None = None
) -> list[Block]:
    found = [c for c in report.contradictions if c.score >= min_score and c.label != "consistent"]
    shown = found[:top]
    title = (
        f"{len(found)} possible contradiction{'s' if len(found) != 1 else ''} found"
        if found
        else "No contradictions found"
    )
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(title, MAX_HEADER)}}
    ]
    if source:
        blocks.append(context(f"Article: {escape(source)}"))
    blocks.append(context(summary_line(report)))
    for n, c in enumerate(shown, 1):
        a, b = report.claim(c.a), report.claim(c.b)
        if a is None or b is None:
            continue
        blocks.append(
            section(
                f"*{n}. {_LABEL.get(c.label, c.label)}* · score *{c.score:.2f}*\n_{escape(c.rationale)}_"
            )
        )
        blocks.append(
            {"type": "section", "fields": [_quote_field(report, a), _quote_field(report, b)]}
        )
    if len(found) > len(shown):
        blocks.append(context(f"{len(found) - len(shown)} more pair(s) not shown."))
    blocks.append({"type": "divider"})
    per_actor = report.claims_by_actor()
    lines = [
        f"• *{escape(actor.name)}*: {len(per_actor.get(actor.id, []))} claim(s)"
        for actor in report.actors
        if per_actor.get(actor.id)
    ]
    blocks.append(
        section(
            "*Claims by actor*\n" + ("\n".join(lines) if lines else "No attributed claims found.")
        )
    )
    if report.claims:
        blocks.append(context("The full claim list is in this thread."))
    if report.warnings:
        blocks.append(
            context(
                f":warning: {len(report.warnings)} warning(s): "
                + escape("; ".join(report.warnings[:3]))
            )
        )
    return blocks[:MAX_BLOCKS]


def claim_messages(report: Report, per_block: int = 8) -> list[list[Block]]:
    """The full claim list as thread replies, split within Slack's limits."""
    blocks: list[Block] = []
    for actor in report.actors:
        claims = report.claims_by_actor().get(actor.id, [])
        for start in range(0, len(claims), per_block):
            chunk = claims[start : start + per_block]
            head = f"*{escape(actor.name)}*" + (" (cont.)" if start else "")
            lines = [
                f"`{c.id}` _{c.kind}_ >{escape(clip(' '.join(c.quote.split()), 300))}"
                for c in chunk
            ]
            blocks.append(section(head + "\n" + "\n".join(lines)))
    return [blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)] or [
        [section("No attributed claims found.")]
    ]


def fallback_text(report: Report) -> str:
    found = [c for c in report.contradictions if c.label != "consistent"]
    return f"detector: {len(found)} possible contradiction(s), {len(report.claims)} claims"


def error_blocks(message: str) -> list[Block]:
    return [section(f":warning: {escape(message)}")]


def working_blocks(what: str) -> list[Block]:
    return [context(f":hourglass_flowing_sand: Checking {escape(what)} for contradictions\u2026")]
