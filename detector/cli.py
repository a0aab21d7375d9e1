"""The `detector` command line: analyze, eval, slack.

Every user-facing failure is one line on stderr and a non-zero exit code:
2 for bad input or configuration, 3 for a failed LLM service, 1 otherwise.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from detector.errors import DetectorError
from detector.settings import Settings

app = typer.Typer(
    name="detector",
    help="Find who said what in a news article and where they contradict each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    json = "json"
    markdown = "markdown"
    table = "table"


class BackendOpt(StrEnum):
    auto = "auto"
    llm = "llm"
    offline = "offline"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one clear line on stderr; the caller raises the returned Exit."""
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def settings_from_options(
    backend: BackendOpt | None, model: str | None, no_cache: bool
) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:  # a bad environment variable or config file value
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise fail(f"invalid configuration ({problems})") from None
    return settings.with_overrides(
        backend=backend.value if backend else None,
        model=model,
        cache=False if no_cache else None,
    )


def announce_backend(settings: Settings) -> None:
    """Say so on stderr when `auto` fell back to the offline backend."""
    if settings.backend == "auto" and settings.resolved_backend() == "offline":
        from detector.pipeline import NO_LLM_HINT

        err.print(
            "[dim]detector: using the offline backend (classical NLP, no LLM): "
            f"{NO_LLM_HINT}.[/dim]",
            highlight=False,
            soft_wrap=True,
        )


BackendOption = Annotated[
    BackendOpt | None,
    typer.Option(
        "--backend", help="auto | llm | offline (env DETECTOR_BACKEND)", show_default=False
    ),
]
ModelOption = Annotated[
    str | None, typer.Option("--model", help="Chat model name (env DETECTOR_MODEL)")
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Bypass the on-disk LLM reply cache")
]


@app.command()
def analyze(
    path: Annotated[
        str, typer.Argument(help="Article file (plain text), - for stdin, or an http(s) URL")
    ],
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="json | markdown | table (table on a terminal)"),
    ] = None,
    backend: BackendOption = None,
    model: ModelOption = None,
    no_cache: NoCacheOption = False,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Hide pairs scored below this")
    ] = 0.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress")] = False,
) -> None:
    """Analyse one article: actors, claims per actor, and scored contradictions."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr)
    from detector.ingest import article_from_url, is_url, read_article
    from detector.pipeline import Detector
    from detector.render import print_table, to_markdown

    settings = settings_from_options(backend, model, no_cache)
    try:
        if is_url(path):
            article = article_from_url(
                path,
                settings.fetch_allow_list,
                settings.max_chars,
                max_bytes=settings.fetch_max_bytes,
                timeout=settings.fetch_timeout,
            )
        else:
            article = read_article(path, settings.max_chars)
        announce_backend(settings)
        report = Detector(settings=settings).analyze(article)
    except DetectorError as exc:
        raise fail(str(exc), exc.exit_code) from None
    if min_score > 0:
        report = report.model_copy(update={"contradictions": report.top(min_score)})

    chosen = format or (Format.table if sys.stdout.isatty() else Format.json)
    if chosen is Format.json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    elif chosen is Format.markdown:
        sys.stdout.write(to_markdown(report, min_score))
    else:
        print_table(report, Console(), min_score)


@app.callback()
def _root() -> None:
    """Find who said what in a news article and where they contradict each other."""


# -- sub-commands registered by their own modules (keep one line each) ----------
from detector.evaluation.cli import eval_app  # noqa: E402

app.add_typer(eval_app, name="eval")
from detector.slackbot.cli import slack  # noqa: E402

app.command("slack")(slack)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
