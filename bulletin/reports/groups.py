"""Readers counted by organisation and by partner list, so that no one can be picked out.

A group of fewer than `SMALLEST` people never appears by name: all such groups are merged
into one "other ..." row. Organisation names are what readers typed into the ORG merge
field, so spellings are gathered ("NHS Trust", "nhs trust ") and anything that looks like an
e-mail address is treated as no organisation at all: no output ever shows an address.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from bulletin.reports.figures import GroupRow

SMALLEST = 5  # the fewest people a named group may have
NOT_GIVEN = "organisation not given"
OTHER_ORGANISATIONS = "other organisations"
OTHER_LISTS = "other partner lists"
NO_LIST = "in no partner list"
_ADDRESS = re.compile(r"[^\s@<>]+@[^\s@<>]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def redact(text: str) -> str:
    """`text` with any e-mail address in it replaced (a URL may carry one in its query)."""
    return _ADDRESS.sub("[address]", text)


class Organisations:
    """Names typed by readers, gathered by their case-blind, space-blind spelling."""

    def __init__(self) -> None:
        self._spellings: dict[str, Counter[str]] = {}

    def key(self, raw: object) -> str:
        """The group a reader's ORG value puts them in; remembers the spelling."""
        text = " ".join(_CONTROL.sub(" ", str(raw or "")).split())[:80]
        if not text or _ADDRESS.search(text):
            return ""
        key = text.casefold()
        self._spellings.setdefault(key, Counter())[text] += 1
        return key

    def name(self, key: str) -> str:
        """The spelling most readers used (alphabetically first among equals)."""
        if not key:
            return NOT_GIVEN
        spellings = self._spellings[key]
        return min(spellings, key=lambda s: (-spellings[s], s))


@dataclass
class Person:
    """One recipient, while the report is counted: never stored, never shown."""

    __slots__ = ("clicked", "delivered", "opened", "organisation", "sections", "unsubscribed")

    organisation: str
    delivered: bool
    opened: bool
    clicked: bool
    unsubscribed: bool
    sections: frozenset[int]  # the sections whose own links they clicked


def group_rows(
    groups: Mapping[str, set[str]],
    people: Mapping[str, Person],
    *,
    other: str,
    opens: bool,
    clicks: bool,
    section_name: Callable[[int], str],
) -> list[GroupRow]:
    """A row per group of `SMALLEST` people or more, largest first; the rest merged, last."""
    named = {name: keys for name, keys in groups.items() if len(keys) >= SMALLEST}
    small = [keys for name, keys in groups.items() if name not in named and keys]
    rows = [
        _row(name, keys, people, opens, clicks, section_name)
        for name, keys in sorted(named.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    if small:
        merged = set().union(*small)
        row = _row(other, merged, people, opens, clicks, section_name)
        row.merged = len(small)
        rows.append(row)
    return rows


def _row(
    name: str,
    keys: Iterable[str],
    people: Mapping[str, Person],
    opens: bool,
    clicks: bool,
    section_name: Callable[[int], str],
) -> GroupRow:
    members = [people[k] for k in keys if k in people]
    used: Counter[int] = Counter(s for p in members for s in p.sections)
    top = min(used, key=lambda s: (-used[s], s)) if used else None
    return GroupRow(
        name=name,
        recipients=len(members),
        delivered=sum(p.delivered for p in members),
        opened=sum(p.opened for p in members) if opens else None,
        clicked=sum(p.clicked for p in members) if clicks else None,
        unsubscribed=sum(p.unsubscribed for p in members),
        top_section=section_name(top) if top is not None and clicks else "",
    )


def by_organisation(
    people: Mapping[str, Person],
    names: Organisations,
    *,
    opens: bool,
    clicks: bool,
    section_name: Callable[[int], str],
) -> tuple[list[GroupRow], int]:
    """Rows by organisation, and how many organisations were reached (named and delivered to)."""
    groups: dict[str, set[str]] = {}
    for key, person in people.items():
        groups.setdefault(names.name(person.organisation), set()).add(key)
    reached = {p.organisation for p in people.values() if p.delivered and p.organisation}
    rows = group_rows(
        groups,
        people,
        other=OTHER_ORGANISATIONS,
        opens=opens,
        clicks=clicks,
        section_name=section_name,
    )
    return rows, len(reached)


def by_partner_list(
    members: Mapping[str, set[str]],
    people: Mapping[str, Person],
    *,
    opens: bool,
    clicks: bool,
    section_name: Callable[[int], str],
) -> list[GroupRow]:
    """Rows by partner list (a reader may be in several), and those in none."""
    groups = {name: keys & people.keys() for name, keys in members.items()}
    if groups:
        anywhere = set().union(*groups.values())
        groups[NO_LIST] = set(people) - anywhere
    return group_rows(
        groups, people, other=OTHER_LISTS, opens=opens, clicks=clicks, section_name=section_name
    )
