"""`audiences.yaml`: who receives each publication, what they may choose, who reviews.

One file at the project's root describes every Mailchimp audience (list) once: its partner
lists (tags or saved segments), the readers' preferences (interest categories and groups),
the merge fields content may use, and the reviewers who get test sends. Mistakes that the
field types cannot see (a group named twice, too many groups) are reported at their line too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, Field, field_validator, model_validator

from bulletin.document import source
from bulletin.document.fields import Email, StrictModel, Text
from bulletin.document.project import nearest_root
from bulletin.document.validation import validated
from bulletin.errors import BulletinError, ContentError, Problem, did_you_mean

FILE_NAME = "audiences.yaml"
# Mailchimp creates these in every audience.
DEFAULT_MERGE_FIELDS = ("FNAME", "LNAME", "ADDRESS", "PHONE", "BIRTHDAY")
# "You can create up to 60 group names across all group categories" in an audience (Mailchimp's
# help on groups); the API refuses the 61st.
MAX_GROUPS = 60
# `*|INTERESTED:Category:Group1,Group2|*` splits on these, and the HTML writes & and < as
# entities, which Mailchimp would then not match against the group's name.
_RESERVED = re.compile(r"[,:|*<>&]")


def _plain_name(value: str) -> str:
    bad = _RESERVED.search(value)
    if bad:
        raise ValueError(
            f"{bad[0]!r} cannot be used in a category or group name: Mailchimp's "
            f"*|INTERESTED:...|* blocks could not name it ({value!r}); write 'and' for '&'"
        )
    return value.strip()


PlainName = Annotated[Text, AfterValidator(_plain_name)]
InterestId = Annotated[str, Field(pattern=r"^[0-9a-f]{10}$", description="Mailchimp's id")]


class MergeField(StrictModel):
    tag: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{0,9}$", description="e.g. ORG")]
    name: Text
    type: Literal["text", "number", "address", "phone", "date", "url", "dropdown"] = "text"


class PartnerList(StrictModel):
    """A partner's mailing list inside an audience: a Mailchimp tag or a saved segment.

    A saved segment is a rule (`conditions`, as Mailchimp's API writes them); without them
    sync only checks that Mailchimp has it. `id` pins it across renames.
    """

    name: Text
    kind: Literal["tag", "segment"] = "tag"
    id: Annotated[int | None, Field(gt=0, description="Mailchimp's segment or tag id")] = None
    match: Literal["any", "all"] = "all"
    conditions: list[dict[str, Any]] = []

    @model_validator(mode="after")
    def _conditions_for_segments(self) -> PartnerList:
        if self.conditions and self.kind != "segment":
            raise ValueError("only a partner list of kind 'segment' has conditions")
        return self


class InterestGroup(StrictModel):
    """One choice readers can tick; `id` (Mailchimp's) keeps it the same group when renamed."""

    name: PlainName
    id: InterestId | None = None


class InterestCategory(StrictModel):
    """A question readers answer on their preferences page, e.g. "Topics"."""

    category: PlainName
    id: InterestId | None = None
    type: Literal["checkboxes", "dropdown", "radio", "hidden"] = "checkboxes"
    groups: Annotated[
        list[InterestGroup],
        Field(min_length=1, description="Group names, or {name, id} to keep a group's id"),
    ]

    @field_validator("groups", mode="before")
    @classmethod
    def _names_alone(cls, value: Any) -> Any:
        """A group may be written as just its name."""
        if isinstance(value, list):
            return [{"name": str(g)} if isinstance(g, str | int | float) else g for g in value]
        return value

    @property
    def group_names(self) -> list[str]:
        return [g.name for g in self.groups]


class Audience(StrictModel):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    list_id: Annotated[str, Field(pattern=r"^[0-9a-f]{10}$", description="Mailchimp list id")]
    publication: Text
    double_opt_in: bool = True
    merge_fields: list[MergeField] = []
    partner_lists: list[PartnerList] = []
    interests: list[InterestCategory] = []
    reviewers: list[Email] = []

    @property
    def merge_tags(self) -> frozenset[str]:
        return frozenset((*DEFAULT_MERGE_FIELDS, *(f.tag for f in self.merge_fields)))

    def partner_list(self, name: str) -> PartnerList:
        return _named(self.partner_lists, name, f"audience {self.name} has no partner list")

    def find_group(self, text: str) -> tuple[InterestCategory, InterestGroup]:
        """`Category:Group`, or `Group` alone when only one category has a group of that name.

        Raises LookupError with a message that says what would work.
        """
        category_name, colon, group_name = text.partition(":")
        if not colon:
            group_name, category_name = category_name, ""
        category_name, group_name = category_name.strip(), group_name.strip()
        every = [f"{c.category}:{g.name}" for c in self.interests for g in c.groups]
        hits = [
            (c, g)
            for c in self.interests
            if not colon or c.category == category_name
            for g in c.groups
            if g.name == group_name
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            choices = " or ".join(f"'{c.category}:{g.name}'" for c, g in hits)
            raise LookupError(f"'{text}' is a group in several categories: write {choices}")
        if colon and all(c.category != category_name for c in self.interests):
            titles = [c.category for c in self.interests]
            raise LookupError(
                f"audience {self.name} has no interest category '{category_name}'"
                + did_you_mean(category_name, titles)
            )
        names = every + [g for c in self.interests for g in c.group_names]
        hint = did_you_mean(text, names) or (
            f" (its groups: {', '.join(every)})" if every else " (it has no interest groups)"
        )
        raise LookupError(f"audience {self.name} has no interest group '{text}'{hint}")


class Audiences(StrictModel):
    audiences: list[Audience]

    def for_publication(self, publication: str) -> list[Audience]:
        return [a for a in self.audiences if a.publication == publication]

    def named(self, name: str) -> Audience | None:
        return next((a for a in self.audiences if a.name == name), None)

    def get(self, name: str) -> Audience:
        return _named(self.audiences, name, f"{FILE_NAME} has no audience")

    def chosen(self, name: str | None) -> list[Audience]:
        """The named audience, or all of them."""
        return [self.get(name)] if name else list(self.audiences)

    def receiving(self, publication: str, name: str | None) -> Audience:
        """The audience named, or the only one for the publication; never a guess between two."""
        if name is not None:
            named = self.named(name)
            if named is None:
                hint = did_you_mean(name, [a.name for a in self.audiences])
                raise BulletinError(f"--audience {name}: no such audience in {FILE_NAME}{hint}")
            if named.publication != publication:
                raise BulletinError(
                    f"--audience {name} receives '{named.publication}', not '{publication}': "
                    "choose one of this publication's audiences"
                )
            return named
        chosen = self.for_publication(publication)
        if not chosen:
            raise BulletinError(f"no audience in {FILE_NAME} receives publication '{publication}'")
        if len(chosen) > 1:
            names = ", ".join(a.name for a in chosen)
            raise BulletinError(
                f"'{publication}' goes to {len(chosen)} audiences ({names}): "
                "choose one with --audience"
            )
        return chosen[0]


def load_audiences(root: Path) -> Audiences | None:
    """The project's audiences, or None when it has no audiences.yaml (yet)."""
    path = root / FILE_NAME
    if not path.is_file():
        return None
    src = source.load(path)
    audiences = validated(src, Audiences)
    problems = list(_problems(src, audiences))
    if problems:
        raise ContentError(problems)
    return audiences


def audiences_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (the working folder) that has audiences.yaml."""
    here = (start or Path.cwd()).resolve()
    root = nearest_root(here, FILE_NAME)
    if root is None:
        raise BulletinError(f"no {FILE_NAME} in {here} or any folder above it")
    return root


def require_audiences(root: Path) -> Audiences:
    audiences = load_audiences(root)
    if audiences is None:
        raise BulletinError(f"no {FILE_NAME} in {root}")
    return audiences


def merge_tags_for(audiences: Audiences | None, publication: str) -> frozenset[str]:
    """Merge fields every audience of `publication` has; Mailchimp's defaults if none."""
    chosen = audiences.for_publication(publication) if audiences else []
    if not chosen:
        return frozenset(DEFAULT_MERGE_FIELDS)
    return frozenset.intersection(*(a.merge_tags for a in chosen))


def _problems(src: source.Source, audiences: Audiences) -> Iterator[Problem]:
    """What Mailchimp would refuse or confuse: names and ids used twice, too many groups."""
    yield from _twice(
        src, ("audiences",), [a.name for a in audiences.audiences], "name", "audience name"
    )
    yield from _twice(
        src, ("audiences",), [a.list_id for a in audiences.audiences], "list_id", "list id"
    )
    for i, audience in enumerate(audiences.audiences):
        here: source.Loc = ("audiences", i)
        yield from _twice(
            src,
            (*here, "merge_fields"),
            [f.tag for f in audience.merge_fields],
            "tag",
            "merge field",
        )
        partners = audience.partner_lists
        yield from _twice(
            src, (*here, "partner_lists"), [p.name for p in partners], "name", "partner list"
        )
        yield from _twice(src, (*here, "partner_lists"), [p.id for p in partners], "id", "id")
        yield from _twice(
            src,
            (*here, "interests"),
            [c.category for c in audience.interests],
            "category",
            "interest category",
        )
        yield from _twice(src, (*here, "interests"), [c.id for c in audience.interests], "id", "id")
        for j, category in enumerate(audience.interests):
            groups = (*here, "interests", j, "groups")
            yield from _twice(src, groups, category.group_names, "name", "group")
            yield from _twice(src, groups, [g.id for g in category.groups], "id", "id")
        total = sum(len(c.groups) for c in audience.interests)
        if total > MAX_GROUPS:
            yield src.problem(
                (*here, "interests"),
                f"{total} interest groups: Mailchimp allows {MAX_GROUPS} in an audience, "
                "across all its categories",
            )


def _twice(
    src: source.Source, items: source.Loc, values: list[Any], key: str, what: str
) -> Iterator[Problem]:
    """A problem at each repeat of a value (None, an id not given, never counts)."""
    counts = Counter(v for v in values if v is not None)
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value is None or counts[value] < 2:
            continue
        if value in seen:
            loc = (*items, index, key)
            if loc not in src.values:  # a group written as just its name
                loc = (*items, index)
            first = src.position((*items, values.index(value)))[0]
            yield src.problem(loc, f"{what} '{value}' appears twice (first at line {first})")
        seen.add(value)


_T = TypeVar("_T", PartnerList, "Audience")


def _named(items: Sequence[_T], name: str, missing: str) -> _T:
    """The item called `name`, or an error that says what there is (and what was meant)."""
    for item in items:
        if item.name == name:
            return item
    known = [item.name for item in items]
    hint = did_you_mean(name, known) or f" (it has: {', '.join(known) or 'none'})"
    raise BulletinError(f"{missing} '{name}'{hint}")
