"""`audiences.yaml`: who receives each publication, what they may choose, who reviews.

One file at the project's root describes every Mailchimp audience (list) once: its partner
lists (tags or saved segments), the readers' preferences (interest categories and groups),
the merge fields content may use, and the reviewers who get test sends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, model_validator

from bulletin import source
from bulletin.errors import ContentError
from bulletin.fields import Email, StrictModel, Text

FILE_NAME = "audiences.yaml"
# Mailchimp creates these in every audience.
DEFAULT_MERGE_FIELDS = ("FNAME", "LNAME", "ADDRESS", "PHONE", "BIRTHDAY")


class MergeField(StrictModel):
    tag: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{0,9}$", description="e.g. ORG")]
    name: Text
    type: Literal["text", "number", "address", "phone", "date", "url", "dropdown"] = "text"


class PartnerList(StrictModel):
    """A partner's mailing list inside an audience: a Mailchimp tag or a saved segment."""

    name: Text
    kind: Literal["tag", "segment"] = "tag"


class InterestCategory(StrictModel):
    """A question readers answer on their preferences page, e.g. "Topics"."""

    category: Text
    type: Literal["checkboxes", "dropdown", "radio", "hidden"] = "checkboxes"
    groups: Annotated[list[Text], Field(min_length=1)]


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


class Audiences(StrictModel):
    audiences: list[Audience]

    @model_validator(mode="after")
    def _unique_names(self) -> Audiences:
        names = [a.name for a in self.audiences]
        if len(names) != len(set(names)):
            raise ValueError("audience names must be unique")
        return self

    def for_publication(self, publication: str) -> list[Audience]:
        return [a for a in self.audiences if a.publication == publication]


def load_audiences(root: Path) -> Audiences | None:
    """The project's audiences, or None when it has no audiences.yaml (yet)."""
    path = root / FILE_NAME
    if not path.is_file():
        return None
    src = source.load(path)
    try:
        return Audiences.model_validate(src.data)
    except ValidationError as err:
        raise ContentError(source.validation_problems(src, err, Audiences)) from None


def merge_tags_for(root: Path, publication: str) -> frozenset[str]:
    """Merge fields every audience of `publication` has; Mailchimp's defaults if none."""
    audiences = load_audiences(root)
    chosen = audiences.for_publication(publication) if audiences else []
    if not chosen:
        return frozenset(DEFAULT_MERGE_FIELDS)
    return frozenset.intersection(*(a.merge_tags for a in chosen))
