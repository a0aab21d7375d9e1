"""Why each miss and false alarm happened, repeated gold quotes, and the NLI converter layouts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from detector.evaluation.dataset import Sample, load_dataset
from detector.evaluation.diagnose import article_errors
from detector.evaluation.matching import match_claims, match_pairs
from detector.evaluation.metrics import score_article, summarize
from detector.models import Actor, Claim, Contradiction, Report, Span

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

TEXT = (
    "The mayor, Jane Hill, said the bridge is safe and will stay open. "
    "Engineer Tom Okoro said the bridge is not safe at all. "
    "Resident Ann Price said she likes the bridge."
)


def sample(**overrides: Any) -> Sample:
    data: dict[str, Any] = {
        "id": "s1",
        "text": TEXT,
        "actors": [
            {"id": "hill", "name": "Jane Hill", "aliases": ["the mayor"]},
            {"id": "okoro", "name": "Tom Okoro"},
            {"id": "price", "name": "Ann Price"},
        ],
        "claims": [
            {"id": "g1", "actor": "hill", "quote": "the bridge is safe and will stay open"},
            {"id": "g2", "actor": "okoro", "quote": "the bridge is not safe at all"},
            {"id": "g3", "actor": "price", "quote": "she likes the bridge"},
        ],
        "contradictions": [{"a": "g1", "b": "g2", "label": "contradiction", "note": "safe or not"}],
    }
    data.update(overrides)
    return Sample.model_validate(data)


def claim(cid: str, actor: str, quote: str, text: str = TEXT, nth: int = 0) -> Claim:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Claim(id=cid, actor=actor, quote=quote, span=Span(start=start, end=start + len(quote)))


ACTORS = [
    Actor(id="a1", name="Jane Hill"),
    Actor(id="a2", name="Tom Okoro"),
    Actor(id="a3", name="Ann Price"),
]


def report(claims: list[Claim], pairs: list[tuple[str, str, float, str]]) -> Report:
    return Report(
        backend="offline",
        actors=ACTORS,
        claims=claims,
        contradictions=[Contradiction(a=a, b=b, label=lab, score=s) for a, b, s, lab in pairs],
    )


HILL = claim("p1", "a1", "the bridge is safe and will stay open")
OKORO = claim("p2", "a2", "the bridge is not safe at all")
PRICE = claim("p3", "a3", "she likes the bridge")


def errors_of(s: Sample, r: Report, threshold: float = 0.5) -> list[dict[str, Any]]:
    return article_errors(s, r, match_pairs(s, r, threshold), None, threshold)


# -- misses ------------------------------------------------------------------------


def test_miss_names_the_gold_speakers_and_a_claim_never_extracted() -> None:
    (miss,) = errors_of(sample(), report([HILL], []))
    assert miss["type"] == "miss" and miss["note"] == "safe or not"
    assert miss["a"] == {
        "id": "g1",
        "actor": "Jane Hill",
        "quote": "the bridge is safe and will stay open",
    }
    assert miss["b"]["actor"] == "Tom Okoro"
    assert miss["why"] == "gold g2 not extracted"


def test_miss_because_the_claim_went_to_the_wrong_speaker() -> None:
    wrong = claim("p2", "a3", "the bridge is not safe at all")
    alarm, miss = errors_of(sample(), report([HILL, wrong], [("p1", "p2", 0.9, "contradiction")]))
    assert miss["why"] == "gold g2 extracted but attributed to Ann Price"
    assert alarm["why"] == "predicted p2 matches no gold claim"


def test_miss_because_never_paired_or_scored_low() -> None:
    (never,) = errors_of(sample(), report([HILL, OKORO, PRICE], [("p1", "p3", 0.1, "consistent")]))
    assert never["why"] == "both claims extracted but never paired"
    (low,) = errors_of(sample(), report([HILL, OKORO], [("p2", "p1", 0.3, "tension")]), 0.4)
    assert low["why"] == "paired, but scored 0.30 (tension) below the threshold 0.40"


# -- false alarms ----------------------------------------------------------------------


def test_false_alarm_reasons() -> None:
    r = report([HILL, OKORO, PRICE], [("p1", "p3", 0.8, "contradiction")])
    negative = errors_of(sample(contradictions=[]), r)
    assert [e["why"] for e in negative] == ["the gold has no contradiction in this article"]
    alarm, miss = errors_of(sample(), r)
    assert alarm["type"] == "false_alarm" and miss["type"] == "miss"
    assert alarm["why"] == "the gold claims g1 and g3 are not a gold pair"
    assert alarm["a"] == {
        "id": "p1",
        "actor": "Jane Hill",
        "quote": "the bridge is safe and will stay open",
        "gold": "g1",
    }
    stray = claim("p9", "a3", "Resident Ann Price said")
    (unmatched, _) = errors_of(
        sample(), report([HILL, OKORO, stray], [("p9", "p1", 0.7, "contradiction")])
    )
    assert unmatched["why"] == "predicted p9 matches no gold claim"
    assert unmatched["a"]["gold"] is None


def test_second_prediction_of_one_gold_pair_is_a_false_alarm_saying_so() -> None:
    r = report(
        [HILL, OKORO],
        [("p1", "p2", 0.9, "contradiction"), ("p2", "p1", 0.8, "contradiction")],
    )
    (dup,) = errors_of(sample(), r)
    assert dup["why"] == "duplicate of a prediction already matched to gold pair g1-g2"


def test_failed_article_is_listed_with_its_error_and_counted_as_misses() -> None:
    s = sample()
    from detector.evaluation.metrics import ArticleResult

    summary = summarize(
        [ArticleResult(s, None, None, "LLM service unavailable")],
        dataset="d",
        backend="llm",
        model="m",
        threshold=0.5,
        seconds=0.0,
    )
    assert summary["errors"] == [
        {"article": "s1", "type": "failed", "why": "LLM service unavailable", "misses": 1}
    ]
    assert summary["pairs"]["fn"] == 1 and summary["failed_articles"] == 1
    assert summary["per_article"][0]["error"] == "LLM service unavailable"


def test_summary_errors_come_from_every_article() -> None:
    r = report([HILL, OKORO, PRICE], [("p1", "p3", 0.8, "contradiction")])
    results = [score_article(sample(), r, 0.5), score_article(sample(id="s2"), r, 0.5)]
    summary = summarize(
        results, dataset="d", backend="offline", model=None, threshold=0.5, seconds=0.0
    )
    assert [(e["article"], e["type"]) for e in summary["errors"]] == [
        ("s1", "false_alarm"),
        ("s1", "miss"),
        ("s2", "false_alarm"),
        ("s2", "miss"),
    ]


# -- matching: a quote that occurs more than once ------------------------------------


def test_repeated_gold_quote_matches_at_any_occurrence() -> None:
    text = 'Kim said "we will win". Later, at the rally, Kim again said "we will win" twice.'
    s = Sample.model_validate(
        {
            "id": "r",
            "text": text,
            "actors": [{"id": "kim", "name": "Kim"}],
            "claims": [{"id": "g1", "actor": "kim", "quote": "we will win"}],
            "contradictions": [],
        }
    )
    r = Report(
        backend="offline",
        actors=[Actor(id="k", name="Kim")],
        claims=[claim("p1", "k", "we will win", text, nth=1)],
    )
    assert match_claims(s, r).by_actor == {"p1": "g1"}


# -- converter layouts -------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "detector.cli", "eval", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ},
    )


def test_convert_hugging_face_nli_layout(tmp_path: Path) -> None:
    out = tmp_path / "nli.jsonl"
    result = cli("convert", "--from", "multinli", str(DATA / "hf-nli-sample.jsonl"), str(out))
    assert result.returncode == 0, result.stderr
    assert "wrote 3 samples" in result.stderr and "1 skipped" in result.stderr
    samples = load_dataset(out)
    assert [[p.label for p in s.contradictions] for s in samples] == [["contradiction"], [], []]
    first = samples[0]
    assert [c.quote for c in first.claims] == [
        "The council voted to close the library in March.",
        "The library will stay open.",
    ]
    assert first.actor(first.claims[0].actor) != first.actor(first.claims[1].actor)


def test_convert_limit_and_layout_errors(tmp_path: Path) -> None:
    out = tmp_path / "few.jsonl"
    ok = cli("convert", str(DATA / "snli-sample.jsonl"), str(out), "--limit", "2")
    assert ok.returncode == 0 and len(load_dataset(out)) == 2
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"question": "q", "answer": "a"}) + "\n", encoding="utf-8")
    bad = cli("convert", str(wrong), str(tmp_path / "x.jsonl"))
    assert bad.returncode == 2 and "not an SNLI/MultiNLI layout" in bad.stderr
    assert not (tmp_path / "x.jsonl").exists()
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"premise": "x"\n', encoding="utf-8")
    res = cli("convert", str(broken), str(tmp_path / "y.jsonl"))
    assert res.returncode == 2 and f"{broken}:1: not valid JSON" in res.stderr
    layout = cli("convert", "--from", "fever", str(broken), str(tmp_path / "z.jsonl"))
    assert layout.returncode == 2 and "supported layouts" in layout.stderr


@pytest.mark.parametrize("args", [["--help"], []])
def test_eval_group_help(args: list[str]) -> None:
    result = cli(*args)
    text = result.stdout + result.stderr
    assert "compare" in text and "calibrate" in text and "convert" in text
