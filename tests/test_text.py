"""Grounding and segmentation: offsets always index the exact input string."""

from __future__ import annotations

import itertools

import pytest

from detector.text import Grounder, chunks, locate, normalize, paragraphs, sentences

ARTICLE = (
    "The minister said on Tuesday that \u201cthe budget is balanced\u201d and   that\n"
    "\u201cno cuts are planned\u201d. The opposition leader, Ms Grey, said:\n"
    "\u201cThe budget is not balanced, and cuts are planned for next year.\u201d\n"
    "Later the minister repeated that the budget is balanced."
)


def _check(text: str, quote: str, hint: int | None = None) -> tuple[str, str]:
    found = locate(text, quote, hint)
    assert found is not None, quote
    return text[found.start : found.end], found.method


def test_exact_quote_keeps_offsets() -> None:
    span, method = _check(ARTICLE, "the budget is balanced")
    assert span == "the budget is balanced"
    assert method == "exact"


def test_straight_quotes_and_spacing_repair_to_the_verbatim_span() -> None:
    span, method = _check(ARTICLE, '"the budget is balanced" and that "no cuts are planned"')
    # quotation marks that open and close inside the quote are kept, balanced
    assert span == "\u201cthe budget is balanced\u201d and   that\n\u201cno cuts are planned\u201d"
    assert method == "normalized"


def test_case_and_curly_apostrophes() -> None:
    text = "She said it wasn\u2019t the council\u2019s decision."
    span, _ = _check(text, "It wasn't the Council's decision")
    assert span == "it wasn\u2019t the council\u2019s decision"


def test_ellipsis_spans_from_first_to_last_part() -> None:
    span, method = _check(ARTICLE, "The budget is not balanced ... planned for next year")
    assert span == "The budget is not balanced, and cuts are planned for next year"
    assert method == "ellipsis"
    span, _ = _check(ARTICLE, "The budget is not balanced\u2026 next year")
    assert span.startswith("The budget is not balanced") and span.endswith("next year")


def test_dropped_word_is_repaired_by_fuzzy_match() -> None:
    span, method = _check(ARTICLE, "The budget is not balanced, and cuts are planned for year")
    assert method == "fuzzy"
    assert span == "The budget is not balanced, and cuts are planned for next year"


def test_changed_word_within_tolerance_only() -> None:
    assert locate(ARTICLE, "The budget is not balanced, and cuts are planned for next decade")
    assert locate(ARTICLE, "The spending plan was approved by parliament on Friday") is None


def test_repeated_phrase_prefers_the_hint_and_unused_spans() -> None:
    g = Grounder(ARTICLE)
    first = g.locate("the budget is balanced")
    assert first is not None
    last = g.locate("the budget is balanced", hint=len(ARTICLE))
    assert last is not None and last.start > first.start
    again = g.locate("the budget is balanced", used={(first.start, first.end)})
    assert again is not None and again.start != first.start


def test_surrounding_quote_marks_and_whitespace_are_stripped() -> None:
    span, _ = _check(ARTICLE, "  \u201cno cuts are planned\u201d ")
    assert span == "no cuts are planned"


@pytest.mark.parametrize("quote", ["", "  ", "a", "\u201c\u201d"])
def test_degenerate_quotes_are_not_grounded(quote: str) -> None:
    assert locate(ARTICLE, quote) is None


def test_seed_quotes_ground(seed_text: str) -> None:
    span, _ = _check(seed_text, "one of the revenges for the assassination of Soleimani")
    assert span == "one of the revenges for the assassination of Soleimani"
    span, _ = _check(
        seed_text,
        '"We deny the validity of what was stated by the spokesman of the Iranian '
        "Revolutionary Guard, Ramzan Sharif, regarding the 'Al Aqsa Flood' operation,\"",
    )
    assert span.startswith("We deny the validity") and span.endswith("operation")


def test_normalize_is_the_contract_form() -> None:
    assert normalize("\u201cA\u201d  b\n\tc \u2019d\u2019") == "\"A\" b c 'd'"


def test_paragraphs_and_sentences_have_exact_offsets(seed_text: str) -> None:
    for seg in paragraphs(seed_text) + sentences(seed_text):
        assert seed_text[seg.start : seg.end] == seg.text
    assert len(sentences("Mr. Smith said no. Dr. Jones said yes.")) == 2


def test_chunks_cover_the_text_with_overlap() -> None:
    text = "\n".join(f"Paragraph {i} " + "word " * 60 for i in range(40))
    parts = chunks(text, max_chars=1500, overlap=300)
    assert len(parts) > 3
    assert parts[0].start == 0 and parts[-1].end == len(text.rstrip())
    for prev, nxt in itertools.pairwise(parts):
        assert nxt.start < prev.end  # overlap
        assert nxt.start > prev.start  # progress
    for part in parts:
        assert text[part.start : part.end] == part.text
        assert len(part.text) <= 1500


def test_one_huge_paragraph_is_cut_at_spaces() -> None:
    text = "word " * 2000
    parts = chunks(text, max_chars=1000, overlap=100)
    assert all(len(p.text) <= 1000 for p in parts)
    assert parts[-1].end >= len(text.rstrip())
