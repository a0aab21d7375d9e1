"""From claim drafts to grounded claims and canonical actors.

Both backends end stage 1 here, so grounding, alias merging and claim ids
behave identically whichever produced the drafts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from detector.models import Actor, ActorKind, Article, Claim, ClaimDraft, Extraction, Span
from detector.text import Grounder

# Mentions that never identify an actor on their own: merging on them would
# fuse different people who were both called "he".
PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "it",
        "him",
        "her",
        "them",
        "his",
        "hers",
        "its",
        "their",
        "theirs",
        "we",
        "us",
        "our",
        "i",
        "me",
        "you",
        "who",
        "which",
        "this",
        "that",
        "these",
        "those",
    ]
)
_GENERIC_HEAD = re.compile(
    r"^(the )?(spokes(man|woman|person)|official|officials|minister|ministry|statement|"
    r"text|group|organization|organisation|government|president|agency|source|sources|"
    r"terrorist group|militia|army|police|company|firm|report|leader|chief|director)$"
)
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """The contract's normal form of a name: case-folded, no punctuation, no leading 'the'."""
    key = _PUNCT.sub(" ", name.casefold().replace("\u2019", "'"))
    key = re.sub(r"^\s*the\s+", "", " ".join(key.split()))
    return key.strip()


@lru_cache(maxsize=16384)
def is_generic(mention: str) -> bool:
    """Pronouns and bare titles ("the spokesman") are aliases, never merge keys."""
    key = " ".join(_PUNCT.sub(" ", mention.casefold()).split())
    return key in PRONOUNS or bool(_GENERIC_HEAD.match(key))


def contains_words(longer: str, shorter: str) -> bool:
    """True when `shorter` occurs in `longer` as whole words (both keys)."""
    if not shorter or not longer:
        return False
    return f" {shorter} " in f" {longer} "


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name_key(name)).strip("-")
    return s[:48] or "actor"


class _Group:
    def __init__(self, draft: ClaimDraft) -> None:
        self.names: list[str] = [draft.actor]
        self.aliases: list[str] = []
        self.kinds: list[ActorKind] = [draft.actor_kind]
        self.affiliations: list[str] = []
        self.add(draft)

    def add(self, draft: ClaimDraft) -> None:
        if draft.actor not in self.names:
            self.names.append(draft.actor)
        self.kinds.append(draft.actor_kind)
        for alias in [*draft.actor_aliases, *([draft.speaker] if draft.speaker else [])]:
            if alias and alias not in self.aliases and alias not in self.names:
                self.aliases.append(alias)
        if draft.affiliation:
            self.affiliations.append(draft.affiliation)

    def merge_keys(self) -> set[str]:
        keys = {name_key(n) for n in self.names}
        keys |= {name_key(a) for a in self.aliases if not is_generic(a)}
        return {k for k in keys if k}

    @property
    def kind(self) -> ActorKind:
        specific: list[ActorKind] = [k for k in self.kinds if k != "other"]
        if not specific:
            return "other"
        return max(sorted(set(specific)), key=specific.count)

    @property
    def name(self) -> str:
        # The fullest proper name wins: "Ramzan Sharif" over "Sharif".
        proper = [n for n in self.names if not is_generic(n)] or self.names
        return max(proper, key=lambda n: (len(n.split()), len(n)))


def _compatible(a: _Group, b: _Group) -> bool:
    person_a, person_b = a.kind == "person", b.kind == "person"
    return person_a == person_b or "other" in (a.kind, b.kind)


@lru_cache(maxsize=16384)
def _singular(key: str) -> str:
    """ "revolutionary guards" → "revolutionary guard", for merging only."""
    head, _, last = key.rpartition(" ")
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}".strip()


def _same_actor(a: _Group, b: _Group) -> bool:
    ka = {_singular(k) for k in a.merge_keys()}
    kb = {_singular(k) for k in b.merge_keys()}
    if ka & kb:
        return True
    if not _compatible(a, b):
        return False
    return any(contains_words(x, y) or contains_words(y, x) for x in ka for y in kb)


def merge_actors(drafts: Sequence[ClaimDraft]) -> tuple[list[_Group], list[int]]:
    """Group drafts by actor; returns the groups and each draft's group index."""
    groups: list[_Group] = []
    owner: list[int] = []
    for draft in drafts:
        probe = _Group(draft)
        for gi, group in enumerate(groups):
            if _same_actor(group, probe):
                group.add(draft)
                owner.append(gi)
                break
        else:
            groups.append(probe)
            owner.append(len(groups) - 1)
    return groups, owner


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def assemble(article: Article, drafts: Sequence[ClaimDraft], warnings: list[str]) -> Extraction:
    """Ground drafts, merge actors, drop duplicates; every drop is a warning."""
    grounder = Grounder(article.text)
    grounded: list[tuple[int, ClaimDraft, Span]] = []
    used: set[tuple[int, int]] = set()
    dropped = 0
    for index, draft in enumerate(drafts):
        found = grounder.locate(draft.quote, draft.hint, used)
        if found is None:
            dropped += 1
            warnings.append(
                f"dropped an ungrounded claim by {draft.actor!r}: quote not found in the "
                f"article: {_clip(draft.quote)!r}"
            )
            continue
        used.add((found.start, found.end))
        grounded.append((index, draft, Span(start=found.start, end=found.end)))

    # Duplicates (chunk overlap, repeated extraction): same actor and overlapping spans.
    kept: list[tuple[int, ClaimDraft, Span]] = []
    alias_of: dict[int, int] = {}
    for index, draft, span in grounded:
        dup = next(
            (
                k
                for k in kept
                if name_key(k[1].actor) == name_key(draft.actor) and _overlap(k[2], span) >= 0.5
            ),
            None,
        )
        if dup is not None:
            alias_of[index] = dup[0]
            continue
        kept.append((index, draft, span))
    if len(kept) < len(grounded):
        warnings.append(f"merged {len(grounded) - len(kept)} duplicate claim(s)")

    groups, owner = merge_actors([d for _, d, _ in kept])
    taken: set[str] = set()
    actor_ids = [_unique_id(slug(g.name), taken) for g in groups]
    actors = [
        Actor(id=aid, name=g.name, aliases=_aliases(g), kind=g.kind)
        for aid, g in zip(actor_ids, groups, strict=True)
    ]
    _link_affiliations(groups, actors, taken)

    order = sorted(range(len(kept)), key=lambda i: (kept[i][2].start, kept[i][2].end))
    claim_id = {kept[i][0]: f"c{n + 1}" for n, i in enumerate(order)}
    claims: list[Claim] = []
    for i in order:
        index, draft, span = kept[i]
        target = draft.responds_to
        if target is not None:
            target = alias_of.get(target, target)
        responds = claim_id.get(target) if target is not None else None
        if responds == claim_id[index]:
            responds = None
        claims.append(
            Claim(
                id=claim_id[index],
                actor=actors[owner[i]].id,
                quote=article.text[span.start : span.end],
                span=span,
                paraphrase=draft.paraphrase,
                kind=draft.kind,
                responds_to=responds,
                speaker=draft.speaker,
            )
        )
    used_actors = {c.actor for c in claims} | {a.affiliation for a in actors if a.affiliation}
    actors = [a for a in actors if a.id in used_actors]
    return Extraction(actors=actors, claims=claims)


def _aliases(group: _Group) -> list[str]:
    name = group.name
    out = [n for n in group.names if n != name]
    out += [a for a in group.aliases if a != name and a not in out]
    return out


def _link_affiliations(groups: list[_Group], actors: list[Actor], taken: set[str]) -> None:
    for group, actor in zip(list(groups), list(actors), strict=True):
        if not group.affiliations:
            continue
        org = group.affiliations[0]
        key = name_key(org)
        target = next(
            (
                a
                for g, a in zip(groups, actors, strict=True)
                if a is not actor
                and (
                    key in g.merge_keys()
                    or any(contains_words(k, key) or contains_words(key, k) for k in g.merge_keys())
                )
            ),
            None,
        )
        if target is None:
            target = Actor(id=_unique_id(slug(org), taken), name=org, kind="organization")
            actors.append(target)
            groups.append(_Group(ClaimDraft(actor=org, actor_kind="organization", quote="-")))
        actor.affiliation = target.id


def _overlap(a: Span, b: Span) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0:
        return 0.0
    return inter / max(1, min(a.end - a.start, b.end - b.start))


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def iter_pairs(ids: Iterable[str]) -> list[tuple[str, str]]:
    items = list(ids)
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]
