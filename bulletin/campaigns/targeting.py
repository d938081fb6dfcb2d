"""Who a campaign goes to: a partner list and preference groups, as Mailchimp segment options.

`bulletin push --audience NAME [--tag T] [--interest GROUP ...]` sends to the audience's
readers in partner list T (a tag, or a saved segment) who chose at least one of the groups
(within a category; all categories named must match). Names come from audiences.yaml and the
ids they stand for are looked up in Mailchimp, so a typo fails here, not as a campaign sent
to nobody (or everybody). Mailchimp counts the recipients itself once the campaign has these
options.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bulletin.document.audiences import Audience
from bulletin.errors import BulletinError
from bulletin.mailchimp import audiences as lists
from bulletin.mailchimp.client import Mailchimp


@dataclass(frozen=True)
class Target:
    """`segment_opts` for the campaign's `recipients` (None: the whole audience)."""

    list_id: str
    segment_opts: dict[str, Any] | None
    description: str

    @property
    def recipients(self) -> dict[str, Any]:
        """The campaign's `recipients` object, for campaigns.create and campaigns.update."""
        found: dict[str, Any] = {"list_id": self.list_id}
        if self.segment_opts is not None:
            found["segment_opts"] = self.segment_opts
        return found


def build_target(
    mc: Mailchimp, audience: Audience, *, tag: str | None = None, interests: Sequence[str] = ()
) -> Target:
    """Segment options for `tag` (a partner list's name) and `interests` (`Group` or
    `Category:Group`), with the ids Mailchimp has for them; BulletinError if any is unknown."""
    chosen: dict[str, list[str]] = {}
    for text in interests:
        try:
            category, group = audience.find_group(text)
        except LookupError as err:
            raise BulletinError(f"--interest {text}: {err}") from None
        names = chosen.setdefault(category.category, [])
        if group.name not in names:
            names.append(group.name)
    conditions: list[dict[str, Any]] = []
    described: list[str] = []
    saved: int | None = None
    if tag is not None:
        conditions, saved, text = _partner(mc, audience, tag, bool(chosen))
        described.append(text)
    if chosen:
        conditions += _interests(mc, audience, chosen)
        described += [f"chose {' or '.join(groups)} ({title})" for title, groups in chosen.items()]
    if saved is not None and not conditions:
        return Target(audience.list_id, {"saved_segment_id": saved}, described[0])
    if not conditions:
        return Target(audience.list_id, None, f"everyone subscribed to {audience.name}")
    description = f"readers of {audience.name} " + " and ".join(described)
    return Target(audience.list_id, {"match": "all", "conditions": conditions}, description)


def _partner(
    mc: Mailchimp, audience: Audience, name: str, combined: bool
) -> tuple[list[dict[str, Any]], int | None, str]:
    """(conditions, saved segment id, description) for a partner list."""
    try:
        partner = audience.partner_list(name)
    except BulletinError as err:
        raise BulletinError(f"--tag {name}: {err}") from None
    kind = "static" if partner.kind == "tag" else "saved"
    segment = lists.segment_named(mc, audience.list_id, name, kind)
    if segment is None:
        raise BulletinError(
            f"--tag {name}: Mailchimp's audience {audience.name} has no {partner.kind} of that "
            "name: run `bulletin audiences sync`"
        )
    segment_id = int(segment["id"])
    if partner.kind == "tag":
        condition = {
            "condition_type": "StaticSegment",
            "field": "static_segment",
            "op": "static_is",
            "value": segment_id,
        }
        return [condition], None, f"tagged {name}"
    if not combined:
        return [], segment_id, f"readers of {audience.name} in the segment {name}"
    options = segment.get("options") or {}
    own = list(options.get("conditions") or [])
    if options.get("match", "all") != "all" and len(own) > 1:
        raise BulletinError(
            f"--tag {name}: the saved segment matches any of its conditions, so it cannot be "
            "narrowed to preference groups: make it a tag, or add the groups to the segment"
        )
    return own, None, f"in the segment {name}"


def _interests(
    mc: Mailchimp, audience: Audience, chosen: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """One `interestcontains` condition per category: any of its chosen groups."""
    have = lists.interest_ids(mc, audience.list_id)
    conditions = []
    for title, groups in chosen.items():
        missing = [g for g in groups if (title, g) not in have]
        if missing:
            known = any(category == title for category, _ in have)
            what = f"group '{missing[0]}' in '{title}'" if known else f"category '{title}'"
            raise BulletinError(
                f"Mailchimp's audience {audience.name} has no interest {what}: "
                "run `bulletin audiences sync`"
            )
        ids = [have[(title, g)] for g in groups]
        conditions.append(
            {
                "condition_type": "Interests",
                "field": f"interests-{ids[0][0]}",
                "op": "interestcontains",
                "value": [interest for _, interest in ids],
            }
        )
    return conditions
