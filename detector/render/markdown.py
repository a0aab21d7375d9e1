"""A Report as Markdown: for pasting into a CMS, a ticket or a chat."""

from __future__ import annotations

from detector.models import Claim, Report


def _quote(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _who(report: Report, claim: Claim) -> str:
    actor = report.actor(claim.actor)
    if actor is None:
        return claim.actor
    if actor.affiliation:
        org = report.actor(actor.affiliation)
        if org is not None:
            return f"{actor.name} ({org.name})"
    return actor.name


def to_markdown(report: Report, min_score: float = 0.0) -> str:
    lines: list[str] = []
    title = report.article.title or report.article.id or "Article"
    lines.append(f"# Contradictions: {title}")
    lines.append("")
    model = f", model `{report.model}`" if report.model else ""
    lines.append(
        f"Backend `{report.backend}`{model}; {len(report.claims)} claims by "
        f"{len(report.actors)} actors; {report.pairing.candidates} of "
        f"{report.pairing.all_pairs} possible pairs judged."
    )
    lines.append("")
    top = report.top(min_score, include_consistent=False)
    hidden = len(report.top(min_score)) - len(top)
    lines.append("## Contradictions")
    lines.append("")
    if not top:
        lines.append(f"None at or above score {min_score:.2f}.")
    for n, c in enumerate(top, 1):
        a, b = report.claim(c.a), report.claim(c.b)
        if a is None or b is None:
            continue
        lines.append(f"{n}. **{c.label}** (score {c.score:.2f}): {c.rationale}")
        lines.append(
            f"   - {_who(report, a)}: \u201c{_quote(a.quote)}\u201d "
            f"(chars {a.span.start}\u2013{a.span.end})"
        )
        lines.append(
            f"   - {_who(report, b)}: \u201c{_quote(b.quote)}\u201d "
            f"(chars {b.span.start}\u2013{b.span.end})"
        )
    if hidden:
        lines.append(f"\n_{hidden} other candidate pair(s) judged consistent are not shown._")
    lines.append("")
    lines.append("## Claims by actor")
    lines.append("")
    for actor in report.actors:
        claims = report.claims_by_actor().get(actor.id, [])
        if not claims:
            continue
        aka = f" (also: {', '.join(actor.aliases)})" if actor.aliases else ""
        lines.append(f"### {actor.name}{aka}")
        for claim in claims:
            lines.append(f"- [{claim.id}, {claim.kind}] \u201c{_quote(claim.quote)}\u201d")
        lines.append("")
    u = report.usage
    cost = "unknown" if u.cost_usd is None else f"${u.cost_usd:.4f}"
    lines.append(
        f"_LLM calls {u.llm_calls}, tokens {u.prompt_tokens}+{u.completion_tokens}, "
        f"cost {cost}, cache hits {u.cache_hits}._"
    )
    if report.warnings:
        lines.append("")
        lines.append("## Warnings")
        lines.extend(f"- {w}" for w in report.warnings)
    return "\n".join(lines) + "\n"
