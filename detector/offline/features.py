"""Cue features of a claim pair, shared by the offline scorer and its fitting script.

Each feature is a number in [0, 1] with a name, so the fitted weights file is
readable and the rationale can name the cues that fired.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from detector.models import Claim
from detector.offline.lexicon import ANTONYM_PAIRS, CAUSE_WORDS, DENIAL_WORDS, NEGATIONS, STOPWORDS

FEATURES: tuple[str, ...] = (
    "explicit_response",
    "denial_answers",
    "denial_names",
    "denial_present",
    "negation_mismatch",
    "antonym",
    "number_conflict",
    "date_conflict",
    "cause_conflict",
    "overlap",
    "same_actor",
    "same_actor_reversal",
    "agent_swap",
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d[\d,.]*%?", re.UNICODE)
_DATE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"june|july|august|september|october|november|december|(?:19|20)\d\d)\b",
    re.I,
)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    return [w.lower().strip("'’") for w in _WORD.findall(text)]


# News synonyms folded to one stem, so "layoffs" and "jobs cut" share a topic.
SYNONYMS = {
    "layoff": "cut",
    "redund": "cut",
    "axe": "cut",
    "sack": "dismiss",
    "oust": "dismiss",
    "kill": "die",
    "dead": "die",
    "death": "die",
    "fatal": "die",
    "increas": "rise",
    "rose": "rise",
    "grew": "grow",
    "fell": "fall",
    "decreas": "fall",
    "drop": "fall",
    "declin": "fall",
    "deliber": "arson",
    "purpos": "arson",
    "troop": "soldier",
    "deploy": "move",
}


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stem = _stemmer().stemWord(word)
    return SYNONYMS.get(stem, stem)


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    content = [w for w in words(text) if w not in STOPWORDS and not w[0].isdigit() and len(w) > 2]
    return frozenset(_stem(w) for w in content)


def stems(text: str) -> set[str]:
    """Content-word stems: the topic of a claim, robust to inflection and common synonyms."""
    return set(_stems(text))


def overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / ((len(a) * len(b)) ** 0.5)


_QUANTITY = re.compile(
    r"(?P<cur>[£$€])?\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<unit>%|per ?cent|percent|million|billion|bn|m\b|[a-z]+)?",
    re.I,
)


def _quantities(text: str) -> dict[str, set[str]]:
    """Numbers by what they count: "£60,000" (money), "2,000 people", "12%"."""
    out: dict[str, set[str]] = {}
    for m in _QUANTITY.finditer(text):
        raw = m.group("num")
        if re.fullmatch(r"(?:19|20)\d\d", raw):
            continue  # a year
        value = raw.replace(",", "")
        unit = (m.group("unit") or "").lower()
        if m.group("cur"):
            unit = "money:" + unit
        elif unit in ("per cent", "percent", "percent"):
            unit = "%"
        elif unit and unit not in ("%", "million", "billion", "bn", "m"):
            unit = _stem(unit)
        out.setdefault(unit, set()).add(value)
    return out


def _numbers_conflict(a: str, b: str) -> bool:
    """Different values for the same kind of quantity, and none in common."""
    qa, qb = _quantities(a), _quantities(b)
    shared = set(qa) & set(qb)
    return any(not (qa[u] & qb[u]) for u in shared)


def _negations(ws: list[str]) -> int:
    return sum(1 for w in ws if w in NEGATIONS or w.endswith("n't"))


def pair_features(
    a: Claim, b: Claim, a_context: str = "", b_context: str = "", same_actor: bool = False
) -> dict[str, float]:
    """The cue vector of one pair (contexts are the claims' sentences, if known)."""
    wa, wb = words(a.quote), words(b.quote)
    sa, sb = stems(a.quote + " " + a_context), stems(b.quote + " " + b_context)
    ov = overlap(stems(a.quote), stems(b.quote))
    ov_ctx = overlap(sa, sb)
    topical = max(ov, ov_ctx)
    response = 1.0 if a.responds_to == b.id or b.responds_to == a.id else 0.0
    a_denies = a.kind == "denial" or any(w in DENIAL_WORDS for w in wa[:8])
    b_denies = b.kind == "denial" or any(w in DENIAL_WORDS for w in wb[:8])
    answers = (a_denies and a.responds_to == b.id) or (b_denies and b.responds_to == a.id)
    names = not answers and (a_denies or b_denies) and not same_actor and topical >= 0.15
    neg_mismatch = 0.0
    if topical >= 0.15 and (_negations(wa) > 0) != (_negations(wb) > 0):
        neg_mismatch = 1.0
    set_a, set_b = set(wa), set(wb)
    antonym = 0.0
    for x in set_a:
        for y in set_b:
            if x != y and frozenset((x, y)) in ANTONYM_PAIRS:
                antonym = 1.0
                break
    number_conflict = 1.0 if topical >= 0.15 and _numbers_conflict(a.quote, b.quote) else 0.0
    da = {d.lower() for d in _DATE.findall(a.quote)}
    db = {d.lower() for d in _DATE.findall(b.quote)}
    date_conflict = 1.0 if da and db and not (da & db) and topical >= 0.1 else 0.0
    cause = 1.0 if (set_a & CAUSE_WORDS) and (set_b & CAUSE_WORDS) and not same_actor else 0.0
    return {
        "explicit_response": response,
        "denial_answers": 1.0 if answers else 0.0,
        "denial_names": 1.0 if names else 0.0,
        "denial_present": 1.0 if (a_denies or b_denies) else 0.0,
        "negation_mismatch": neg_mismatch,
        "antonym": antonym,
        "number_conflict": number_conflict,
        "date_conflict": date_conflict,
        "cause_conflict": cause,
        "overlap": round(min(1.0, topical), 4),
        "same_actor": 1.0 if same_actor else 0.0,
        "same_actor_reversal": 1.0 if same_actor and (neg_mismatch or antonym) else 0.0,
        "agent_swap": 1.0 if topical >= 0.2 and _agents_differ(a.quote, b.quote) else 0.0,
    }


_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")


def _agents_differ(a: str, b: str) -> bool:
    """Each claim names someone the other does not: "Hallam fans started it" vs
    "Redmoor supporters started it"."""
    ea = set(_CAPITALISED.findall(a)) | set(re.findall(r"^[A-Z][a-z]{2,}", a))
    eb = set(_CAPITALISED.findall(b)) | set(re.findall(r"^[A-Z][a-z]{2,}", b))
    ea -= _COMMON_CAPS
    eb -= _COMMON_CAPS
    return bool(ea) and bool(eb) and not (ea & eb)


_COMMON_CAPS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "They",
        "We",
        "Our",
        "It",
        "Its",
        "He",
        "She",
        "His",
        "Her",
        "Our",
        "Your",
        "You",
        "And",
        "But",
        "Nobody",
        "Everything",
        "Every",
        "Some",
        "Any",
        "All",
        "No",
        "Not",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Sir",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
