"""The writer's order: a section's content as an ordered list of typed blocks; and tables.

Partners' originals put things where they belong: a flyer under its story, a booking part that
reads "instruction, link, steps, then 'if you have any problems, contact ...'". The order of
the list is the order of the email. Each block is a mapping with one key, its kind:

    - text: Markdown paragraphs
    - image: {src, alt, width, caption, link, beside: left or right}
    - button: {text, url}
    - table: {caption, columns, rows}
    - steps: [Markdown, ...]            (a numbered list)
    - contact: {lead_in, name, role, organisation, email, phone}

A Markdown string where blocks are taken is one text block, so a field that took text takes
blocks too, and what was written before stays valid. A `Table` is also the `table` section's.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from bulletin.document.fields import (
    Image,
    Link,
    Markdown,
    Person,
    StrictModel,
    Text,
    field_error,
)

KINDS = ("text", "image", "button", "table", "steps", "contact")


class PlacedImage(Image):
    """An image where it was written, full width; or beside the text block after it."""

    beside: Annotated[
        Literal["left", "right"] | None,
        Field(description="Put the image left or right of the text block after it"),
    ] = None


class Row(StrictModel):
    """One row: its `label` (the row's heading), then its `cells`; or, for "a label with a
    list", a `lead` sentence, a `body` and `points` that make its one other cell."""

    label: Annotated[Text | None, Field(description="The row's heading, its first cell")] = None
    cells: Annotated[list[Markdown], Field(description="The other cells, in Markdown")] = []
    lead: Annotated[Text | None, Field(description="A bold first sentence")] = None
    body: Annotated[Markdown | None, Field(description="Text after the lead")] = None
    points: Annotated[list[Markdown], Field(description="A bullet list after the body")] = []

    @model_validator(mode="after")
    def _one_form(self) -> Row:
        if self.cells and (self.lead or self.body or self.points):
            raise field_error(
                "cells", "a row has `cells`, or `lead`, `body` and `points` for one cell: not both"
            )
        if not (self.label or self.cells or self.lead or self.body or self.points):
            raise field_error("cells", "an empty row: give its `label` and `cells`")
        return self

    @property
    def has_list_cell(self) -> bool:
        return bool(self.lead or self.body or self.points)

    @property
    def width(self) -> int:
        """How many columns the row fills, its label included."""
        return bool(self.label) + (1 if self.has_list_cell else len(self.cells))


class Table(StrictModel):
    """A data table: column headings, rows, and a caption saying what it shows."""

    caption: Annotated[Text | None, Field(description="What the table shows")] = None
    columns: Annotated[
        list[Text], Field(description="The column headings, the label column's first")
    ] = []
    rows: Annotated[list[Row], Field(min_length=1, description="The rows, in order")]

    @model_validator(mode="after")
    def _fits(self) -> Table:
        if not self.columns and not all(row.label for row in self.rows):
            raise field_error(
                "columns",
                "a table needs column headings (`columns`) or a `label` on every row, "
                "so each cell can be told what it is",
            )
        if self.columns:
            for i, row in enumerate(self.rows):
                if row.width != len(self.columns):
                    raise field_error(
                        "rows",
                        f"row {i + 1} has {row.width} cell{'s' * (row.width != 1)} (its label "
                        f"counts) but the table has {len(self.columns)} columns: "
                        + ", ".join(self.columns),
                        i,
                    )
        return self


class ContactCard(Person):
    """A contact with the sentence that introduces them: "If you have any problems, contact"."""

    lead_in: Annotated[
        Markdown | None, Field(description="The sentence before the contact's details")
    ] = None


class Block(StrictModel):
    """One block of a section's content: exactly one of its fields."""

    text: Annotated[Markdown | None, Field(description="Paragraphs, in Markdown")] = None
    image: Annotated[PlacedImage | None, Field(description="An image with its alt text")] = None
    button: Annotated[Link | None, Field(description="A button: its text and url")] = None
    table: Annotated[Table | None, Field(description="A data table")] = None
    steps: Annotated[
        list[Markdown] | None, Field(description="A numbered list of steps", min_length=1)
    ] = None
    contact: Annotated[
        ContactCard | None, Field(description="A contact card with its lead-in sentence")
    ] = None

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        given = [kind for kind in KINDS if getattr(self, kind) is not None]
        if not given:
            raise ValueError(f"an empty block: give one of {', '.join(KINDS)}")
        if len(given) > 1:
            raise ValueError(
                f"a block holds one thing, and this one has {' and '.join(given)}: "
                "make each its own item (`- text: ...`, `- image: ...`)"
            )
        return self

    @property
    def kind(self) -> str:
        return next(kind for kind in KINDS if getattr(self, kind) is not None)


def _as_blocks(value: Any) -> Any:
    """Plain Markdown where blocks are taken is one text block."""
    return [{"text": value}] if isinstance(value, str) else value


class OrMarkdown:
    """In the JSON Schema, blocks may also be written as one Markdown string."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        blocks = handler(core_schema)
        text = {"type": "string", "description": "Markdown: one text block"}
        return {"anyOf": [text, blocks]}


def _beside_text(blocks: list[Block]) -> list[Block]:
    for i, block in enumerate(blocks):
        if block.image and block.image.beside:
            after = blocks[i + 1] if i + 1 < len(blocks) else None
            if after is None or after.text is None:
                raise ValueError(
                    f"block {i + 1} is an image beside the text, but no text block follows it; "
                    "put a `- text: ...` after it, or leave out `beside`"
                )
    return blocks


Blocks = Annotated[
    list[Block], BeforeValidator(_as_blocks), AfterValidator(_beside_text), OrMarkdown()
]


def plain_text(blocks: list[Block] | None) -> str | None:
    """The Markdown of blocks that are one text block (the simple form), else None."""
    if blocks and len(blocks) == 1 and blocks[0].text is not None:
        return blocks[0].text
    return None
