"""`detector eval`: run, compare and calibrate against labeled samples.

`detector eval DATASET...` runs an eval (the default command);
`detector eval compare RUN_A RUN_B` and `detector eval calibrate DATASET`
are sub-commands.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from detector.errors import DetectorError

err = Console(stderr=True, soft_wrap=True)


class _DefaultRun(TyperGroup):
    """Routes `detector eval DATASET` to the `run` command."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


eval_app = typer.Typer(
    cls=_DefaultRun,
    help="Measure the detector on labeled samples (eval-format JSONL).",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/bold red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _backend(value: str | None) -> Any:
    from detector.cli import BackendOpt

    try:
        return BackendOpt(value) if value else None
    except ValueError:
        raise _fail(f"--backend {value!r}: choose auto, llm or offline") from None


def _parse_gates(gates: list[str]) -> list[tuple[str, float]]:
    out = []
    for gate in gates:
        name, sep, value = gate.partition("=")
        try:
            out.append((name.strip(), float(value)))
        except ValueError:
            raise _fail(
                f"--fail-under {gate!r}: expected METRIC=NUMBER, e.g. pairs.f1=0.6"
            ) from None
        if not sep or not name.strip():
            raise _fail(f"--fail-under {gate!r}: expected METRIC=NUMBER, e.g. pairs.f1=0.6")
    return out


def print_summary(results: dict[str, Any], console: Console) -> None:
    p, c, f, cal, cost = (
        results["pairs"],
        results["claims"],
        results["articles_flagged"],
        results["calibration"],
        results["cost"],
    )
    table = Table(title=f"detector eval · {results['dataset']}", show_header=True)
    table.add_column("metric")
    table.add_column("value", justify="right")
    rows = [
        ("backend / model", f"{results['backend']} / {results['model'] or '-'}"),
        ("articles", str(results["articles"])),
        ("threshold", f"{results['threshold']:.2f}"),
        ("pairs P / R / F1", f"{p['precision']:.3f} / {p['recall']:.3f} / {p['f1']:.3f}"),
        ("pairs tp / fp / fn", f"{p['tp']} / {p['fp']} / {p['fn']}"),
        ("tension found", f"{results['tension']['found']} / {results['tension']['total']}"),
        ("claims recall", f"{c['recall']:.3f} ({c['matched']}/{c['gold']})"),
        ("attribution accuracy", f"{c['attribution_accuracy']:.3f}"),
        ("articles flagged accuracy", f"{f['accuracy']:.3f} ({f['false_alarms']} false alarms)"),
        ("calibration Brier / ECE", f"{cal['brier']:.3f} / {cal['ece']:.3f}"),
        (
            "cost",
            f"{cost['llm_calls']} calls, {cost['prompt_tokens']}+{cost['completion_tokens']} tokens, "
            + ("unknown USD" if cost["usd"] is None else f"${cost['usd']:.4f}"),
        ),
        ("seconds", f"{results['seconds']:.2f}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
    print_articles(results, console)
    print_errors(results, console)


def print_articles(results: dict[str, Any], console: Console) -> None:
    """The per-article breakdown; articles scored perfectly are counted, not listed."""
    rows = [a for a in results.get("per_article", []) if not _perfect(a)]
    if not rows:
        return
    table = Table(title="Articles with a miss, a false alarm or a lost claim")
    for name in ("article", "gold", "tp", "fp", "fn", "flagged", "claims"):
        table.add_column(name, justify="left" if name == "article" else "right")
    for a in rows:
        table.add_row(
            a["id"],
            str(a["gold_contradictions"]),
            str(a["tp"]),
            str(a["fp"]),
            str(a["fn"]),
            ("yes" if a["flagged"] else "no") + ("" if a["correct"] else " ✗"),
            "failed" if a.get("error") else f"{a['claims_matched']}/{a['claims_gold']}",
        )
    console.print(table)
    perfect = len(results.get("per_article", [])) - len(rows)
    console.print(f"{perfect} other article(s) scored without a fault.", highlight=False)


def _perfect(a: dict[str, Any]) -> bool:
    return (
        not a.get("error")
        and a["fp"] == 0
        and a["fn"] == 0
        and a["correct"]
        and a["claims_matched"] == a["claims_gold"]
    )


def print_errors(results: dict[str, Any], console: Console, limit: int = 40) -> None:
    errors = results.get("errors", [])
    if not errors:
        return
    console.print(f"[bold]Misses and false alarms[/bold] ({len(errors)}):")
    for e in errors[:limit]:
        if e["type"] == "failed":
            console.print(
                f"  [red]FAILED[/] {e['article']}: {e['why']}", highlight=False, soft_wrap=True
            )
            continue
        a, b = e["a"], e["b"]
        kind = "MISS" if e["type"] == "miss" else f"FALSE ALARM {e.get('score', 0):.2f}"
        console.print(
            f"  [{'yellow' if e['type'] == 'miss' else 'red'}]{kind}[/] {e['article']}: "
            f"{a.get('actor')}: “{_cut(a.get('quote'))}”  ⟷  "
            f"{b.get('actor')}: “{_cut(b.get('quote'))}”\n      why: {e['why']}",
            highlight=False,
            soft_wrap=True,
        )
    if len(errors) > limit:
        console.print(
            f"  ... and {len(errors) - limit} more (all of them: --json, or --out DIR for report.html)",
            highlight=False,
        )


def _cut(text: str | None, n: int = 90) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


@eval_app.command("run")
def run(
    datasets: Annotated[list[str], typer.Argument(help="JSONL files in the eval format")],
    backend: Annotated[str | None, typer.Option("--backend", help="auto | llm | offline")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Chat model name")] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0)] = 0.5,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the results object on stdout")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Save the run in this directory")
    ] = None,
    resume: Annotated[
        Path | None, typer.Option("--resume", help="Continue an interrupted run saved in DIR")
    ] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", min=1, max=64)] = None,
    fail_under: Annotated[
        list[str] | None,
        typer.Option("--fail-under", help="METRIC=MIN, e.g. pairs.f1=0.6 (repeatable)"),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
    no_calibration: Annotated[
        bool, typer.Option("--raw-scores", help="Do not apply a fitted calibration")
    ] = False,
) -> None:
    """Run the detector over labeled samples and score it (the default command)."""
    from detector.cli import announce_backend, settings_from_options
    from detector.evaluation.runner import metric, run_eval
    from detector.pipeline import Detector

    gates = _parse_gates(fail_under or [])
    settings = settings_from_options(_backend(backend), model, no_cache)
    if resume is not None and out is not None and resume.resolve() != out.resolve():
        raise _fail("--out and --resume name different directories: a resumed run stays in its own")
    run_dir = resume or out
    try:
        announce_backend(settings)
        detector = Detector(settings=settings, calibrate=not no_calibration)
        with Progress(
            TextColumn("evaluating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar:
            task = bar.add_task("eval", total=None)
            results, _ = asyncio.run(
                run_eval(
                    datasets,
                    detector,
                    threshold=threshold,
                    out_dir=run_dir,
                    resume=resume is not None,
                    concurrency=concurrency,
                    progress=lambda d, t: bar.update(task, completed=d, total=t),
                )
            )
    except DetectorError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except KeyboardInterrupt:
        where = f"; continue with --resume {run_dir}" if run_dir else ""
        raise _fail(f"interrupted{where}", 130) from None
    if run_dir is not None:
        from detector.evaluation.report_html import write_html

        write_html(results, run_dir / "report.html")
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")
    else:
        print_summary(results, Console())
    failed = []
    for name, minimum in gates:
        try:
            value = metric(results, name)
        except KeyError:
            raise _fail(f"--fail-under: no numeric metric {name!r} in the results") from None
        if value < minimum:
            failed.append(f"{name} = {value:.4f} < {minimum}")
    if failed:
        err.print(
            "[bold red]regression gate failed:[/bold red] " + "; ".join(failed), highlight=False
        )
        raise typer.Exit(1)


@eval_app.command("compare")
def compare(
    run_a: Annotated[Path, typer.Argument(help="Run directory (or its results.json)")],
    run_b: Annotated[Path, typer.Argument(help="Run directory (or its results.json)")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Metric deltas between two saved runs, and the articles whose outcome changed."""
    from detector.evaluation.compare import compare_runs, load_run

    try:
        a, b = load_run(run_a), load_run(run_b)
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    diff = compare_runs(a, b)
    if as_json:
        sys.stdout.write(json.dumps(diff, ensure_ascii=False) + "\n")
        return
    console = Console()
    table = Table(title=f"{run_a} → {run_b}")
    table.add_column("metric")
    table.add_column("A", justify="right")
    table.add_column("B", justify="right")
    table.add_column("Δ", justify="right")
    for row in diff["metrics"]:
        delta = row["delta"]
        style = "green" if delta > 0 else "red" if delta < 0 else ""
        table.add_row(
            row["metric"],
            f"{row['a']:.4f}",
            f"{row['b']:.4f}",
            f"[{style}]{delta:+.4f}[/]" if style else "0",
        )
    console.print(table)
    for note in diff["notes"]:
        err.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    changed = diff["changed_articles"]
    console.print(f"{len(changed)} article(s) changed outcome", highlight=False)
    for change in changed:
        console.print(f"  {change['id']}: {change['a']} → {change['b']}", highlight=False)


@eval_app.command("calibrate")
def calibrate(
    datasets: Annotated[list[str], typer.Argument(help="JSONL files in the eval format")],
    backend: Annotated[str | None, typer.Option("--backend")] = None,
    model: Annotated[str | None, typer.Option("--model")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Directory to save in (default: user data dir)")
    ] = None,
) -> None:
    """Fit an isotonic calibration of scores for a backend and model, and save it."""
    from detector.calibration import save_calibration
    from detector.cli import settings_from_options
    from detector.evaluation.calibrate import fit_calibration
    from detector.evaluation.metrics import brier, calibration_points, ece
    from detector.evaluation.runner import run_eval
    from detector.pipeline import Detector

    settings = settings_from_options(_backend(backend), model, False)
    try:
        detector = Detector(settings=settings, calibrate=False)
        _, results = asyncio.run(run_eval(datasets, detector))
    except DetectorError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    points = calibration_points([r.match for r in results if r.match is not None])
    if len(points) < 5:
        raise _fail(f"only {len(points)} scored pairs match the gold: too few to calibrate")
    cal = fit_calibration(
        points, backend=detector.backend, model=detector.model, dataset=", ".join(datasets)
    )
    path = save_calibration(cal, output or settings.calibration_dir)
    fitted = [(cal.apply(s), y) for s, y in points]
    err.print(
        f"saved calibration from {len(points)} pairs to {path}\n"
        f"on the fitting set: Brier {brier(points):.3f} → {brier(fitted):.3f}, "
        f"ECE {ece(points):.3f} → {ece(fitted):.3f} (check it on another split with `detector eval`)",
        highlight=False,
    )


@eval_app.command("convert")
def convert(
    source: Annotated[Path, typer.Argument(help="Input file in a public dataset layout")],
    output: Annotated[Path, typer.Argument(help="Output JSONL in the eval format")],
    layout: Annotated[
        str, typer.Option("--from", help="Input layout: snli (also MultiNLI)")
    ] = "snli",
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Stop after N samples")
    ] = None,
) -> None:
    """Convert a public contradiction/NLI dataset into the eval format."""
    from detector.evaluation.convert import convert_snli

    if layout.lower() not in ("snli", "mnli", "multinli"):
        raise _fail(f"--from {layout!r}: supported layouts are snli and multinli")
    try:
        stats = convert_snli(source, output, limit)
    except DetectorError as exc:
        raise _fail(str(exc)) from None
    err.print(
        f"wrote {stats.written} samples to {output} ({stats.read} read, {stats.skipped} skipped)",
        highlight=False,
    )
