"""Who a speaker phrase is: names, titles, pronouns and organisations resolved.

"Revolutionary Guard spokesman Ramzan Sharif" is a person speaking for an
organisation; "the spokesman" and "he" point back to the most recent
compatible actor; "a statement from the terrorist group" is the group;
"Baghdad" in "criticism from Baghdad" is Iraq's government.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detector.models import ActorKind
from detector.offline.lexicon import (
    CAPITALS,
    DEMONYMS,
    GROUP_PRONOUNS,
    HONORIFICS,
    ORG_ANAPHORS,
    ORG_WORDS,
    PERSON_ANAPHORS,
    PERSON_PRONOUNS,
    ROLE_WORDS,
)

_COUNTRIES = {c.casefold(): c for c in set(CAPITALS.values()) | set(DEMONYMS.values())}
_TITLE_MODIFIERS = frozenset(
    [
        "foreign",
        "home",
        "prime",
        "defence",
        "defense",
        "finance",
        "health",
        "interior",
        "deputy",
        "vice",
        "chief",
        "senior",
        "former",
        "then",
        "acting",
        "assistant",
        "associate",
        "general",
        "executive",
        "head",
        "lead",
        "junior",
        "shadow",
        "first",
        "second",
        "education",
        "trade",
        "justice",
        "culture",
        "energy",
        "transport",
        "environment",
        "economy",
        "labour",
        "labor",
    ]
)
# Nouns too vague to name an actor on their own ("the group"), unlike "the police".
_GENERIC_NOUNS = frozenset(
    [
        "group",
        "company",
        "firm",
        "organisation",
        "organization",
        "statement",
        "text",
        "agency",
        "service",
        "office",
        "board",
        "network",
        "trust",
        "fund",
        "movement",
        "front",
        "alliance",
        "coalition",
        "union",
        "association",
    ]
)
_STATEMENT = re.compile(r"\b(statement|text|communiqu[eé]|release|letter|report|note)\b", re.I)
_OWNER_SPLIT = re.compile(r"\s+(?:from|of|for|by)\s+", re.I)
_LEADING_DET = re.compile(r"^(?:the|a|an|this|that|its|his|her|their)\s+", re.I)
_NAME_CHUNK = re.compile(
    r"(?<![\w'’])(?:[A-Z]\.|[A-Z][\w'’&-]*)(?:[ \t]+(?:(?:of|for|the|and|de|al|bin|van|von)[ \t]+)*"
    r"(?:[A-Z]\.|[A-Z][\w'’&-]*))*"
)
_SENTENCE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "after",
        "before",
        "during",
        "since",
        "until",
        "while",
        "when",
        "where",
        "however",
        "but",
        "and",
        "or",
        "so",
        "then",
        "subsequently",
        "meanwhile",
        "also",
        "both",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "his",
        "her",
        "their",
        "our",
        "there",
        "here",
        "what",
        "which",
        "who",
        "some",
        "many",
        "most",
        "several",
        "according",
        "last",
        "next",
        "earlier",
        "later",
        "yesterday",
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "as",
        "if",
        "despite",
        "although",
        "though",
        "because",
        "of",
    ]
)


@dataclass
class Speaker:
    """A resolved speaker: the canonical name and what the article calls them."""

    name: str
    kind: ActorKind
    aliases: list[str] = field(default_factory=list)
    affiliation: str | None = None
    role: str | None = None


@dataclass
class _Entity:
    pos: int
    speaker: Speaker
    spoke: bool = False
    via_statement: bool = False
    subject: bool = True  # named where a sentence begins, as its subject usually is


def _tokens(phrase: str) -> list[str]:
    return phrase.split()


def _strip_name(name: str) -> str:
    """Drop what precedes a name in a sentence: "But the", "In March", "Then-"."""
    name = name.strip(" ,.;:'\"’‘“”")
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(",.") in _SENTENCE_WORDS:
        words = words[1:]
    name = " ".join(words)
    name = re.sub(r"^(?:[Tt]hen|[Ff]ormer|[Ee]x)[- ]", "", name)
    name = _LEADING_DET.sub("", name)
    return name.strip(" ,.;:'\"’‘“”")


def classify(name: str) -> ActorKind:
    """Person, organisation or government, from the words of a name alone."""
    words = [w.strip(".,").lower() for w in name.split()]
    if not words:
        return "other"
    if words[0] in HONORIFICS:
        return "person"
    key = " ".join(words)
    if key in CAPITALS or key in _COUNTRIES:
        return "government"
    if any(w in ("government", "ministry", "administration", "cabinet", "kremlin") for w in words):
        return "government"
    if any(w in ORG_WORDS for w in words):
        return "organization"
    if key.isupper() or (len(words) == 1 and name.isupper() and len(name) <= 6):
        return "organization"
    if 2 <= len(words) <= 4 and all(w[:1].isalpha() for w in words):
        return "person"
    return "other"


def split_role(phrase: str) -> Speaker | None:
    """Split "Org role Person" / "role Person" / "Mr Person" into a Speaker.

    The person is the capitalised run after the last role word: "Revolutionary
    Guard spokesman Ramzan Sharif", "Foreign Secretary Jack Straw", "chief
    executive Laura Mendes".
    """
    words = _tokens(_strip_name(phrase))
    if not words:
        return None
    lower = [w.lower().strip(".,") for w in words]
    if lower[0] in HONORIFICS and len(words) > 1:
        name = " ".join(words[1:])
        return Speaker(name=name, kind="person", aliases=[" ".join(words)])
    roles = [i for i, w in enumerate(lower[:-1]) if w in ROLE_WORDS]
    if not roles:
        return None
    role_at = roles[-1]
    person = words[role_at + 1 :]
    if not person or not all(p[:1].isupper() for p in person):
        return None
    if person[0].lower().strip(".,") in HONORIFICS and len(person) > 1:
        person = person[1:]
    # Title words before the role belong to the title: "Foreign Secretary", "chief executive".
    start = role_at
    while start > 0 and (lower[start - 1] in _TITLE_MODIFIERS or lower[start - 1] in ROLE_WORDS):
        start -= 1
    left = words[:start]
    org = " ".join(left).strip() or None
    if org and org[:1].islower():
        org = None
    if org and org.lower() in DEMONYMS:
        org = DEMONYMS[org.lower()]
    elif org and "-" in org and org.split("-")[-1].lower() in DEMONYMS:
        org = DEMONYMS[org.split("-")[-1].lower()]
    if "of" in person:  # "Dr Amira Shah of Eastbrook University"
        cut = person.index("of")
        if 0 < cut < len(person) - 1 and not org:
            org = " ".join(person[cut + 1 :])
        person = person[:cut] or person
    name = " ".join(person)
    role = " ".join(words[start : role_at + 1])
    alias = " ".join(words[start:])
    return Speaker(name=name, kind="person", aliases=[alias], affiliation=org, role=role.lower())


class Resolver:
    """Resolves speaker phrases in text order, remembering who was named where."""

    def __init__(self, text: str, quoted: list[tuple[int, int]]) -> None:
        self.text = text
        self.entities: list[_Entity] = []
        self._seed_entities(quoted)

    # -- history ------------------------------------------------------------------
    def _seed_entities(self, quoted: list[tuple[int, int]]) -> None:
        """Named mentions outside quotes, so "the group" can find a group named earlier."""
        chunks: list[tuple[int, str]] = []
        for m in _NAME_CHUNK.finditer(self.text):
            if any(a <= m.start() < b for a, b in quoted):
                continue
            words = m.group(0).split()
            while words and words[0].lower().strip(".,") in _SENTENCE_WORDS:
                words = words[1:]
            if not words:
                continue
            chunk = " ".join(words)
            if len(words) == 1 and chunk.lower() in DEMONYMS:
                continue  # "the Iranian version" names no actor by itself
            chunks.append((m.start(), chunk))
        for pos, chunk in chunks:
            speaker = split_role(chunk) or self._named(chunk)
            self.entities.append(_Entity(pos, speaker, subject=self._starts_sentence(pos)))
        self.entities.sort(key=lambda e: e.pos)

    def _starts_sentence(self, pos: int) -> bool:
        """Whether only sentence openers ("But", "On Monday,") stand before `pos` in its sentence."""
        start = max(
            self.text.rfind("\n", 0, pos),
            self.text.rfind(". ", 0, pos),
            self.text.rfind("? ", 0, pos),
            self.text.rfind("! ", 0, pos),
            self.text.rfind("\u201d ", 0, pos),
            self.text.rfind('" ', 0, pos),
        )
        lead = self.text[start + 1 : pos].replace(",", " ").split()
        # openers, titles and roles may precede the name: "But structural engineer David Okoro"
        if len(lead) <= 3 and (not lead or lead[0][:1].isupper()):
            return True
        return all(
            w.lower().strip('"\u201c\u201d') in _SENTENCE_WORDS | ROLE_WORDS | _TITLE_MODIFIERS
            or w[:1].isupper()
            or w[:1].isdigit()
            for w in lead
        )

    def _named(self, phrase: str) -> Speaker:
        name = _strip_name(phrase)
        words = name.split()
        if "of" in words and words[0].lower().strip(".") in HONORIFICS:
            cut = words.index("of")
            org = " ".join(words[cut + 1 :])
            person = words[1:cut]
            if person and org and classify(org) != "person":
                return Speaker(
                    name=" ".join(person), kind="person", aliases=[name], affiliation=org
                )
        key = name.lower()
        if key in CAPITALS:
            return Speaker(name=CAPITALS[key], kind="government", aliases=[name])
        return Speaker(name=name, kind=classify(name))

    def _recent(self, pos: int, want: set[str], role: str | None = None) -> _Entity | None:
        best: _Entity | None = None
        for ent in self.entities:
            if ent.pos >= pos:
                break
            if ent.speaker.kind in want or ("other" in want and ent.speaker.kind == "other"):
                if role and not _same_role(role, ent.speaker.role):
                    continue
                best = ent
        return best

    def _recent_named(self, pos: int, head: str) -> _Entity | None:
        """ "the ministry" → the latest actor whose name has "ministry" in it."""
        best = None
        for ent in self.entities:
            if ent.pos >= pos:
                break
            if ent.speaker.kind != "person" and head in ent.speaker.name.lower().split():
                best = ent
        return best

    def _last_speaker(self, pos: int) -> _Entity | None:
        spoke = [e for e in self.entities if e.spoke and e.pos < pos]
        return spoke[-1] if spoke else None

    # -- resolution -----------------------------------------------------------------
    def resolve(self, phrase: str, pos: int) -> Speaker | None:
        phrase = phrase.strip()
        # "The Iranian Revolutionary Guard He stated": a name glued to a pronoun.
        words = phrase.split()
        if len(words) > 1 and words[-1].lower() in PERSON_PRONOUNS | GROUP_PRONOUNS:
            phrase = " ".join(words[:-1])
        speaker = self._resolve(phrase, pos)
        if speaker is not None:
            via_statement = bool(_STATEMENT.search(phrase))
            self.entities.append(_Entity(pos, speaker, spoke=True, via_statement=via_statement))
            self.entities.sort(key=lambda e: e.pos)
            if phrase not in speaker.aliases and phrase != speaker.name:
                speaker = Speaker(
                    speaker.name,
                    speaker.kind,
                    [*speaker.aliases, phrase],
                    speaker.affiliation,
                    speaker.role,
                )
        return speaker

    def _resolve(self, phrase: str, pos: int) -> Speaker | None:
        low = phrase.lower()
        if low in PERSON_PRONOUNS:
            # The latest person named wins, unless the latest speaker came after
            # every such mention (then "he" continues that speaker, even an
            # organisation in translated copy: "the text stressed ... he said").
            last = self._last_speaker(pos)
            person = self._recent(pos, {"person"})
            # a person only mentioned mid-sentence ("highlighted that Moussavi, killed
            # in ...") does not take "he" from the person who was speaking
            if person and last and last.speaker.kind == "person" and not person.subject:
                person = None
            if person and (last is None or person.pos > last.pos):
                return person.speaker
            if last is not None:
                return last.speaker
            return person.speaker if person else None
        if low in GROUP_PRONOUNS or low == "we":
            last = self._last_speaker(pos)
            if last and last.speaker.kind != "person":
                return last.speaker
            org = self._recent(pos, {"organization", "government", "group", "other"})
            return org.speaker if org else None
        # "a statement from X", "a spokesman for the ministry"
        parts = _OWNER_SPLIT.split(phrase, maxsplit=1)
        if len(parts) == 2 and _LEADING_DET.match(parts[0]):
            return self._resolve(parts[1], pos)
        spokes = _org_spokes(phrase)
        if spokes is not None:
            org_name, lowercase = spokes
            if not lowercase:
                return self._known(self._named(org_name), pos)
            named = self._recent_named(pos, org_name.lower().split()[-1]) if org_name else None
            if named is not None:
                return named.speaker
            ent = self._recent(pos, {"organization", "government", "group", "other"})
            return ent.speaker if ent else None
        role = split_role(phrase)
        if role is not None and role.affiliation is None:
            head = next(
                (
                    w.lower()
                    for w in _strip_name(phrase).split()
                    if w.islower() and w.lower() in ORG_WORDS
                ),
                None,
            )
            named = self._recent_named(pos, head) if head else None
            if named is not None:
                role.affiliation = named.speaker.name
        lowercase_rest = not any(w[:1].isupper() for w in phrase.split()[1:])
        if role is None and _LEADING_DET.match(phrase) and lowercase_rest:
            found = self._anaphor(phrase, pos)
            if found is not None:
                return found
        if role is None and lowercase_rest and _LEADING_DET.match(phrase):
            # "the county fire service": an organisation named by description
            words = _LEADING_DET.sub("", phrase).split()
            generic = words[-1].lower() in _GENERIC_NOUNS if words else True
            if words and words[-1].lower() in ORG_WORDS and (len(words) >= 2 or not generic):
                named = self._recent_named(pos, words[-1].lower())
                if named is not None:
                    return named.speaker
                return Speaker(name=" ".join(words), kind="organization")
        if role is None and _LEADING_DET.sub("", phrase)[:1].islower():
            return None
        if role is not None:
            return self._known(role, pos)
        return self._known(self._named(phrase), pos)

    def _anaphor(self, phrase: str, pos: int) -> Speaker | None:
        if _STATEMENT.search(phrase):
            stated = [e for e in self.entities if e.spoke and e.via_statement and e.pos < pos]
            if stated:
                return stated[-1].speaker
            last = self._last_speaker(pos)
            return last.speaker if last else None
        m = PERSON_ANAPHORS.match(phrase)
        if m:
            role = m.group(1).lower()
            ent = self._recent(pos, {"person"}, role=role)
            if ent is None:
                last = self._last_speaker(pos)
                ent = last if last and last.speaker.kind == "person" else None
            possessive = phrase.lower().startswith(("its ", "their "))
            if ent is None and possessive:
                # "its chief executive" with nobody named yet: the organisation speaks
                ent = self._recent(pos, {"organization", "government", "group", "other"})
            ent = ent or self._recent(pos, {"person"})
            return ent.speaker if ent else None
        org_match = ORG_ANAPHORS.match(phrase)
        if org_match:
            head = org_match.group(1).lower()
            named = self._recent_named(pos, head)
            if named is not None:
                return named.speaker
        if org_match or phrase.lower().startswith(("its ", "their ", "a ", "an ")):
            # "its chief executive" with no executive named yet: the organisation speaks.
            ent = self._recent(pos, {"organization", "government", "group", "other"})
            return ent.speaker if ent else None
        return None

    def _known(self, speaker: Speaker, pos: int) -> Speaker:
        """Reuse an earlier fuller name: "Sharif" after "Ramzan Sharif"."""
        key = speaker.name.lower()
        for ent in reversed(self.entities):
            if ent.pos > pos:
                continue
            full = ent.speaker.name.lower()
            if full == key:
                return _merge(ent.speaker, speaker)
            if (
                speaker.kind in ("person", "other")
                and ent.speaker.kind == "person"
                and full.split()[-1:] == key.split()[-1:]
                and len(full) > len(key)
            ):
                return _merge(ent.speaker, speaker)
        return speaker


_SPOKES = re.compile(
    r"^(?:a|an|one)\s+(?P<org>(?:[\w'’&.-]+\s+){0,4}?)(?:spokes(?:man|woman|person)|official|"
    r"source|representative|statement|spokesmen|officials)(?:\s+for\s+(?P<for>.+))?$",
    re.I,
)


def _org_spokes(phrase: str) -> tuple[str, bool] | None:
    """ "a Vantor spokesman" → ("Vantor", False); "a spokeswoman" → ("", True)."""
    m = _SPOKES.match(phrase.strip())
    if not m:
        return None
    org = (m.group("for") or m.group("org") or "").strip()
    org = _LEADING_DET.sub("", org)
    lowercase = not any(w[:1].isupper() for w in org.split())
    return org, lowercase


def _same_role(wanted: str, role: str | None) -> bool:
    if not role:
        return False
    if wanted.startswith("spokes"):
        return "spokes" in role
    return wanted in role


def _merge(known: Speaker, seen: Speaker) -> Speaker:
    aliases = list(dict.fromkeys([*known.aliases, *seen.aliases, seen.name]))
    aliases = [a for a in aliases if a != known.name]
    return Speaker(
        known.name,
        known.kind if known.kind != "other" else seen.kind,
        aliases,
        known.affiliation or seen.affiliation,
        known.role or seen.role,
    )
