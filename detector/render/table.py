"""A Report as rich tables on a terminal: contradictions with both quotes side by side."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from detector.models import Report
from detector.render.markdown import _who


def print_table(report: Report, console: Console | None = None, min_score: float = 0.0) -> None:
    console = console or Console()
    model = f" · model {report.model}" if report.model else ""
    console.print(
        Text.assemble(
            ("detector ", "bold"),
            (
                f"backend {report.backend}{model} · {len(report.claims)} claims · "
                f"{len(report.actors)} actors · {report.pairing.candidates}/"
                f"{report.pairing.all_pairs} pairs judged",
                "dim",
            ),
        )
    )
    top = report.top(min_score, include_consistent=False)
    hidden = len(report.top(min_score)) - len(top)
    table = Table(title="Contradictions", show_lines=True, expand=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Label", width=13)
    table.add_column("Score", justify="right", width=5)
    table.add_column("Claim A", ratio=3)
    table.add_column("Claim B", ratio=3)
    table.add_column("Why", ratio=2)
    style = {"contradiction": "bold red", "tension": "yellow", "consistent": "green"}
    for n, c in enumerate(top, 1):
        a, b = report.claim(c.a), report.claim(c.b)
        if a is None or b is None:
            continue
        table.add_row(
            str(n),
            Text(c.label, style=style.get(c.label, "")),
            f"{c.score:.2f}",
            Text.assemble((_who(report, a) + "\n", "bold"), f"\u201c{a.quote}\u201d"),
            Text.assemble((_who(report, b) + "\n", "bold"), f"\u201c{b.quote}\u201d"),
            c.rationale,
        )
    if top:
        console.print(table)
    else:
        console.print(f"No contradictions at or above score {min_score:.2f}.")

    if hidden:
        console.print(
            f"[dim]{hidden} other candidate pair(s) judged consistent are not shown.[/dim]"
        )
    claims = Table(title="Claims by actor", expand=True)
    claims.add_column("Actor", ratio=1)
    claims.add_column("Kind", width=10)
    claims.add_column("Quote", ratio=4)
    for actor in report.actors:
        for claim in report.claims_by_actor().get(actor.id, []):
            claims.add_row(actor.name, claim.kind, claim.quote)
    if report.claims:
        console.print(claims)
    u = report.usage
    cost = "unknown" if u.cost_usd is None else f"${u.cost_usd:.4f}"
    console.print(
        f"[dim]LLM calls {u.llm_calls} · tokens {u.prompt_tokens}+{u.completion_tokens} · "
        f"cost {cost} · cache hits {u.cache_hits} · {report.timings.get('total', 0):.2f}s[/dim]"
    )
    for w in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
