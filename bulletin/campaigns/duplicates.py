"""Two campaigns with one issue's title: which one is the issue's, and which go.

A create whose answer was lost can land after a re-run made its own; two computers with the
same project (no shared `.bulletin/`) can push at once. The title is the key they share, so
whoever sees more than one keeps the same campaign (the oldest; one that is scheduled or sent
before any draft) and deletes the other drafts. A campaign that is scheduled or sent is never
deleted: it is reported, for a person to look at in Mailchimp.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DRAFT = "save"


@dataclass(frozen=True)
class Titled:
    """The campaigns titled for one issue, sorted out."""

    title: str
    keep: dict[str, Any] | None
    drafts: list[dict[str, Any]] = field(default_factory=list)  # extra drafts: to delete
    booked: list[dict[str, Any]] = field(default_factory=list)  # extra, not drafts: to report

    @property
    def extra(self) -> list[dict[str, Any]]:
        return [*self.drafts, *self.booked]

    def deleted_note(self) -> str:
        assert self.keep is not None
        ids = ", ".join(c["id"] for c in self.drafts)
        return (
            f"Mailchimp held {len(self.extra) + 1} campaigns titled '{self.title}': kept "
            f"{self.keep['id']} ({_why(self.keep)}) and deleted the duplicate draft "
            f"{'s' * (len(self.drafts) > 1)}{ids}"
        )

    def booked_note(self) -> str:
        assert self.keep is not None
        held = ", ".join(f"{c['id']} ('{c.get('status')}')" for c in self.booked)
        return (
            f"Mailchimp also holds {held} titled '{self.title}', beside this issue's campaign "
            f"{self.keep['id']}: bulletin never deletes a scheduled or sent campaign; look at "
            "it in Mailchimp"
        )

    def report(self, path: object) -> str:
        """What `status` says of duplicates (it changes nothing in Mailchimp)."""
        assert self.keep is not None
        ids = ", ".join(f"{c['id']} ('{c.get('status')}')" for c in self.extra)
        fix = (
            f": bulletin push {path} keeps {self.keep['id']} and deletes the extra drafts"
            if self.drafts
            else ""
        )
        return f"Mailchimp holds duplicates of '{self.title}' beside {self.keep['id']}: {ids}{fix}"


def sort_out(title: str, found: list[dict[str, Any]]) -> Titled:
    """`found` (oldest first) as the campaign to keep, and the others."""
    if not found:
        return Titled(title, None)
    booked = [c for c in found if c.get("status") != DRAFT]
    keep = booked[0] if booked else found[0]
    others = [c for c in found if c is not keep]
    return Titled(
        title,
        keep,
        [c for c in others if c.get("status") == DRAFT],
        [c for c in others if c.get("status") != DRAFT],
    )


def _why(campaign: dict[str, Any]) -> str:
    return "the oldest" if campaign.get("status") == DRAFT else f"'{campaign.get('status')}'"
