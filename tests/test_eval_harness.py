"""The eval harness: contract loader, matching rules, metrics, CLI, saved runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from detector.evaluation.calibrate import isotonic
from detector.evaluation.dataset import DatasetError, GoldActor, Sample, load_dataset, parse_line
from detector.evaluation.matching import actor_matches, match_claims, match_pairs, span_overlap
from detector.evaluation.metrics import brier, ece, prf, score_article, summarize
from detector.models import Actor, Claim, Contradiction, Report, Span

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "evals" / "datasets" / "dev.jsonl"

TEXT = (
    "The mayor, Jane Hill, said the bridge is safe and will stay open. "
    "Engineer Tom Okoro said the bridge is not safe at all. "
    "Resident Ann Price said she likes the bridge."
)


def gold(**overrides: Any) -> Sample:
    data: dict[str, Any] = {
        "id": "s1",
        "text": TEXT,
        "actors": [
            {"id": "hill", "name": "Jane Hill", "aliases": ["the mayor", "Mayor Hill"]},
            {"id": "okoro", "name": "Tom Okoro", "aliases": ["Engineer Tom Okoro"]},
            {"id": "price", "name": "Ann Price", "aliases": []},
        ],
        "claims": [
            {"id": "g1", "actor": "hill", "quote": "the bridge is safe and will stay open"},
            {"id": "g2", "actor": "okoro", "quote": "the bridge is not safe at all"},
            {"id": "g3", "actor": "price", "quote": "she likes the bridge"},
        ],
        "contradictions": [{"a": "g1", "b": "g2", "label": "contradiction"}],
    }
    data.update(overrides)
    return Sample.model_validate(data)


def claim(cid: str, actor: str, quote: str, text: str = TEXT) -> Claim:
    start = text.index(quote)
    return Claim(id=cid, actor=actor, quote=quote, span=Span(start=start, end=start + len(quote)))


def report(
    contradictions: list[tuple[str, str, float]], claims: list[Claim] | None = None
) -> Report:
    return Report(
        backend="offline",
        actors=[
            Actor(id="a1", name="Jane Hill"),
            Actor(id="a2", name="Okoro"),
            Actor(id="a3", name="Ann Price"),
            Actor(id="a4", name="Millbrook Council"),
        ],
        claims=claims
        or [
            claim("c1", "a1", "the bridge is safe"),
            claim("c2", "a2", "the bridge is not safe at all"),
            claim("c3", "a3", "she likes the bridge"),
        ],
        contradictions=[
            Contradiction(a=a, b=b, label="contradiction" if s >= 0.5 else "consistent", score=s)
            for a, b, s in contradictions
        ],
    )


# -- matching rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        ("Jane Hill", True),
        ("jane hill.", True),
        ("The Mayor", True),  # alias, leading "the" dropped
        ("Hill", True),  # contained as a whole word
        ("Mayor Jane Hill of Millbrook", True),  # contains the gold name
        ("Hil", False),  # not a whole word
        ("Tom Okoro", False),
    ],
)
def test_actor_matching(pred: str, expected: bool) -> None:
    assert (
        actor_matches(pred, GoldActor(id="hill", name="Jane Hill", aliases=["the mayor"]))
        is expected
    )


def test_half_span_overlap_in_either_direction() -> None:
    gold_span = (
        TEXT.index("the bridge is safe"),
        TEXT.index("the bridge is safe") + len("the bridge is safe and will stay open"),
    )
    short = (gold_span[0], gold_span[0] + len("the bridge is safe"))  # 4 of 8 gold tokens
    assert span_overlap(TEXT, short, gold_span) == 1.0  # gold covers all of the prediction
    tiny = (gold_span[0], gold_span[0] + len("the bridge"))
    assert span_overlap(TEXT, tiny, gold_span) == 1.0
    far = (TEXT.index("Resident"), TEXT.index("Resident") + 20)
    assert span_overlap(TEXT, far, gold_span) == 0.0
    wide = (0, len(TEXT))  # covers every gold token
    assert span_overlap(TEXT, wide, gold_span) == 1.0


def test_claim_needs_actor_and_span() -> None:
    wrong_actor = report([], [claim("c1", "a3", "the bridge is safe and will stay open")])
    m = match_claims(gold(), wrong_actor)
    assert m.by_actor == {} and m.by_span == {"c1": "g1"}
    assert m.attributed == {"g1": False}


def test_affiliation_counts_for_the_organisation() -> None:
    sample = gold(
        actors=[
            {"id": "council", "name": "Millbrook Council", "aliases": []},
            {"id": "okoro", "name": "Tom Okoro", "aliases": []},
            {"id": "price", "name": "Ann Price", "aliases": []},
        ],
        claims=[{"id": "g1", "actor": "council", "quote": "the bridge is safe and will stay open"}],
        contradictions=[],
    )
    pred = report([])
    pred.actors[0].affiliation = "a4"
    assert match_claims(sample, pred).by_actor == {"c1": "g1"}


def test_pairs_are_unordered_and_matched_once() -> None:
    pred = report([("c2", "c1", 0.9), ("c1", "c2", 0.8)])
    result = match_pairs(gold(), pred)
    assert len(result.tp) == 1 and len(result.fp) == 1 and result.fn == []


def test_below_threshold_is_a_miss_not_a_false_alarm() -> None:
    result = match_pairs(gold(), report([("c1", "c2", 0.4)]), threshold=0.5)
    assert result.tp == [] and result.fp == [] and len(result.fn) == 1


def test_tension_pairs_are_neutral() -> None:
    sample = gold(contradictions=[{"a": "g1", "b": "g2", "label": "tension"}])
    hit = match_pairs(sample, report([("c1", "c2", 0.9)]))
    assert hit.tp == [] and hit.fp == [] and hit.fn == [] and len(hit.tension_found) == 1
    miss = match_pairs(sample, report([]))
    assert miss.fn == [] and miss.tension_total == 1 and miss.tension_found == []


def test_negative_sample_counts_false_alarms() -> None:
    sample = gold(contradictions=[])
    res = score_article(sample, report([("c1", "c3", 0.7)]), 0.5)
    assert len(res.match.fp) == 1 and res.flagged  # type: ignore[union-attr]
    summary = summarize(
        [res], dataset="x", backend="offline", model=None, threshold=0.5, seconds=0.1
    )
    assert summary["articles_flagged"] == {"accuracy": 0.0, "false_alarms": 1}


# -- metrics ---------------------------------------------------------------------


def test_metrics_on_hand_computed_cases() -> None:
    assert prf(3, 1, 2) == {
        "tp": 3,
        "fp": 1,
        "fn": 2,
        "precision": 0.75,
        "recall": 0.6,
        "f1": 0.6667,
    }
    assert prf(0, 0, 0)["f1"] == 0.0
    assert brier([(1.0, 1), (0.0, 0)]) == 0.0
    assert brier([(0.8, 1), (0.4, 0)]) == pytest.approx((0.04 + 0.16) / 2)
    # two bins: [0.8,0.9) holds 0.85/1 and 0.85/0 → |0.5-0.85|; [0.1,0.2) holds 0.1/0 → 0.1
    assert ece([(0.85, 1), (0.85, 0), (0.1, 0)]) == pytest.approx(
        round(2 / 3 * 0.35 + 1 / 3 * 0.1, 4)
    )


def test_summary_has_every_contract_key() -> None:
    res = score_article(gold(), report([("c1", "c2", 0.9), ("c1", "c3", 0.2)]), 0.5)
    s = summarize(
        [res], dataset="d.jsonl", backend="offline", model=None, threshold=0.5, seconds=1.234
    )
    for key in (
        "dataset",
        "backend",
        "model",
        "articles",
        "threshold",
        "pairs",
        "tension",
        "claims",
        "articles_flagged",
        "calibration",
        "cost",
        "seconds",
    ):
        assert key in s
    assert s["pairs"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert set(s["claims"]) >= {"gold", "matched", "recall", "attribution_accuracy"}
    assert s["claims"]["gold"] == 3 and s["claims"]["matched"] == 3
    assert set(s["cost"]) >= {"llm_calls", "prompt_tokens", "completion_tokens", "usd"}
    assert s["calibration"]["brier"] == pytest.approx(((0.9 - 1) ** 2 + 0.2**2) / 2, abs=1e-4)


def test_isotonic_is_monotone() -> None:
    xs, ys = isotonic([(0.1, 0), (0.2, 1), (0.3, 0), (0.6, 1), (0.9, 1)])
    assert xs == sorted(xs) and ys == sorted(ys)
    assert ys[0] < ys[-1] == 1.0


# -- loader ----------------------------------------------------------------------

GOOD = json.loads(gold().model_dump_json())


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(text="  "), "text"),
        (lambda d: d.pop("text"), "text"),
        (lambda d: d["claims"][1].update(quote="the bridge is perfectly fine"), "claims[1].quote"),
        (lambda d: d["claims"][0].update(actor="nobody"), "claims[0].actor"),
        (lambda d: d["contradictions"][0].update(b="g9"), "contradictions[0].b"),
        (lambda d: d["contradictions"][0].update(b="g1"), "contradictions[0]"),
        (lambda d: d["contradictions"][0].update(label="maybe"), "contradictions.0.label"),
        (lambda d: d["claims"][0].update(kind="rumour"), "claims.0.kind"),
        (lambda d: d["actors"].append(dict(d["actors"][0])), "actors[3].id"),
        (lambda d: d["claims"][2].update(id="g1"), "claims[2].id"),
        (lambda d: d.update(contradiction=d.pop("contradictions")), "contradiction'"),
        (lambda d: d["claims"][0].update(qoute=d["claims"][0].pop("quote")), "claims[0].qoute"),
        (lambda d: d["contradictions"][0].update(lable="contradiction"), "contradictions[0].lable"),
    ],
)
def test_loader_names_line_and_field(tmp_path: Path, mutate: Any, field: str) -> None:
    bad = json.loads(json.dumps(GOOD))
    mutate(bad)
    path = tmp_path / "set.jsonl"
    path.write_text(
        json.dumps(GOOD).replace('"s1"', '"ok"') + "\n" + json.dumps(bad) + "\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    assert f"{path}:2" in str(info.value) and field in str(info.value)


def test_loader_accepts_normalised_quotes_and_rejects_duplicates(tmp_path: Path) -> None:
    text = "He said \u201cit\u2019s   over\u201d today."
    row = {
        "id": "q",
        "text": text,
        "actors": [{"id": "x", "name": "X"}],
        "claims": [{"id": "c", "actor": "x", "quote": '"it\'s over"'}],
        "contradictions": [],
    }
    parse_line(json.dumps(row), "f", 1)
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"dup\.jsonl:2: field 'id'"):
        load_dataset(path)
    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"broken\.jsonl:1: not valid JSON"):
        load_dataset(tmp_path / "broken.jsonl")


def test_project_datasets_follow_the_contract() -> None:
    dev = load_dataset(DEV)
    test = load_dataset(ROOT / "evals" / "datasets" / "test.jsonl")
    assert len(dev) + len(test) - 1 >= 40  # besides the seed article
    negatives = [s for s in dev + test if not s.contradictions]
    assert len(negatives) >= 12
    assert dev[0].id == "seed-irgc-hamas"
    assert not {s.id for s in dev} & {s.id for s in test}


# -- CLI, saved runs -------------------------------------------------------------


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "detector.cli", "eval", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ},
    )


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "dev"
    result = cli(str(DEV), "--backend", "offline", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    return out


def test_json_results_on_stdout(saved_run: Path) -> None:
    data = json.loads((saved_run / "results.json").read_text())
    assert data["backend"] == "offline" and data["model"] is None
    assert data["articles"] == len(load_dataset(DEV))
    assert data["cost"]["llm_calls"] == 0 and data["cost"]["usd"] == 0.0
    lines = (saved_run / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == data["articles"]
    assert (saved_run / "report.html").is_file()


def test_fail_under_gate(saved_run: Path) -> None:
    ok = cli(str(DEV), "--backend", "offline", "--fail-under", "claims.recall=0.1")
    assert ok.returncode == 0
    bad = cli(
        str(DEV),
        "--backend",
        "offline",
        "--fail-under",
        "pairs.f1=1.01",
        "--fail-under",
        "claims.recall=0.1",
    )
    assert (
        bad.returncode == 1
        and "pairs.f1" in bad.stderr
        and "claims.recall" not in bad.stderr.split("failed:")[1]
    )
    typo = cli(str(DEV), "--backend", "offline", "--fail-under", "pairs.fone=0.5")
    assert typo.returncode == 2 and "pairs.fone" in typo.stderr
    malformed = cli(str(DEV), "--fail-under", "pairs.f1")
    assert malformed.returncode == 2


def test_bad_dataset_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": ""}\n', encoding="utf-8")
    result = cli(str(path))
    assert result.returncode == 2 and f"{path}:1: field 'text'" in result.stderr
    assert "Traceback" not in result.stderr


def test_compare_shows_deltas_and_changed_articles(saved_run: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(saved_run, other)
    data = json.loads((other / "results.json").read_text())
    data["pairs"]["f1"] = data["pairs"]["f1"] + 0.1
    data["per_article"][0]["tp"] += 1
    (other / "results.json").write_text(json.dumps(data))
    result = cli("compare", str(saved_run), str(other), "--json")
    assert result.returncode == 0
    diff = json.loads(result.stdout)
    f1 = next(m for m in diff["metrics"] if m["metric"] == "pairs.f1")
    assert f1["delta"] == pytest.approx(0.1)
    assert [c["id"] for c in diff["changed_articles"]] == [data["per_article"][0]["id"]]
    assert diff["notes"] == []
    table = cli("compare", str(saved_run), str(other / "results.json"))
    assert table.returncode == 0 and "pairs.f1" in table.stdout and "+0.1000" in table.stdout
    assert "1 article(s) changed outcome" in table.stdout
    assert f"{data['per_article'][0]['id']}: tp=" in table.stdout
    data["dataset"], data["threshold"] = "other.jsonl", 0.7
    del data["per_article"][1]
    (other / "results.json").write_text(json.dumps(data))
    noted = json.loads(cli("compare", str(saved_run), str(other), "--json").stdout)["notes"]
    assert len(noted) == 3 and "1 article(s) only in A, 0 only in B" in noted
    missing = cli("compare", str(saved_run), str(tmp_path / "nope"))
    assert missing.returncode == 2 and "results.json" in missing.stderr


def test_resume_continues_an_interrupted_run(saved_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "partial"
    run.mkdir()
    lines = (saved_run / "predictions.jsonl").read_text().splitlines()
    kept = lines[:5]
    # a cut-off last line, as an interruption leaves it
    (run / "predictions.jsonl").write_text("\n".join(kept) + "\n" + lines[5][:40], encoding="utf-8")
    result = cli(str(DEV), "--backend", "offline", "--resume", str(run), "--json")
    assert result.returncode == 0, result.stderr
    resumed = json.loads(result.stdout)
    full = json.loads((saved_run / "results.json").read_text())
    assert resumed["pairs"] == full["pairs"] and resumed["claims"] == full["claims"]
    rows = [json.loads(x) for x in (run / "predictions.jsonl").read_text().splitlines()[:5]]
    assert [r["id"] for r in rows] == [json.loads(x)["id"] for x in kept]


def test_calibrate_saves_a_calibration_the_detector_loads(tmp_path: Path) -> None:
    result = cli("calibrate", str(DEV), "--backend", "offline", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    saved = json.loads((tmp_path / "offline.json").read_text())
    assert saved["backend"] == "offline" and saved["x"] and saved["samples"] > 5
    from detector import Detector, Settings

    report = Detector(settings=Settings(backend="offline", calibration_dir=tmp_path)).analyze(
        (ROOT / "examples" / "seed-article.txt").read_text(encoding="utf-8")
    )
    assert report.calibrated is True


def test_convert_snli_layout(tmp_path: Path) -> None:
    out = tmp_path / "snli.jsonl"
    result = cli(
        "convert", "--from", "snli", str(ROOT / "tests" / "data" / "snli-sample.jsonl"), str(out)
    )
    assert result.returncode == 0, result.stderr
    assert "wrote 4 samples" in result.stderr and "1 skipped" in result.stderr
    samples = load_dataset(out)
    labels = {s.id: [p.label for p in s.contradictions] for s in samples}
    assert labels == {
        "snli-p1": ["contradiction"],
        "snli-p2": [],
        "snli-p3": [],
        "snli-p5": ["contradiction"],
    }
    assert samples[0].claims[0].quote == "A man is playing a guitar on a stage."


# -- the HTML report in a real browser --------------------------------------------


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def test_html_report_renders_in_a_browser(saved_run: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is required under CI (installed by .ci/run)")
        pytest.skip("chromium not installed")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    url = (saved_run / "report.html").resolve().as_uri()
    dom = subprocess.run(
        [browser, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    for plot in ('id="reliability"', 'id="histogram"', 'id="threshold"'):
        assert plot in html
    assert 'id="errors"' in html and "Missed contradiction" in html
    assert "Why: " in html and 'class="chosen"' in html  # each error says why; threshold marked
    assert "<script" not in html and "http" not in html.split("<body>")[0]  # no network assets
    assert "pairs precision / recall / F1" in html
    shot = tmp_path / "report.png"
    subprocess.run(
        [browser, *flags, f"--screenshot={shot}", "--window-size=1280,1600", url],
        capture_output=True,
        timeout=120,
    )
    assert shot.is_file() and shot.stat().st_size > 10_000
