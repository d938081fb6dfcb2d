"""`bulletin audiences sync`: make each Mailchimp audience match audiences.yaml.

It reads what Mailchimp has (merge fields, interest categories and groups, tags and saved
segments), plans the changes, then makes them: it creates what is missing, renames what was
renamed (sync_ids.py says which item is which), and reports what Mailchimp has that the file
does not; only `--prune` removes that, as removing a group or tag loses readers' choices.
With nothing to change it writes nothing, so a second run makes no write call at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.audiences.sync_ids import SyncIds, pair
from bulletin.document.audiences import (
    DEFAULT_MERGE_FIELDS,
    Audience,
    InterestCategory,
    PartnerList,
)
from bulletin.mailchimp import audiences as lists
from bulletin.mailchimp.client import Mailchimp


@dataclass
class Step:
    """One line of the report; `run` makes the change (None: only reported)."""

    text: str
    run: Callable[[], None] | None = None

    def line(self, dry_run: bool) -> str:
        if self.run is None:
            return self.text
        return f"would {self.text}" if dry_run else self.text


@dataclass
class SyncResult:
    lines: list[str] = field(default_factory=list)
    changes: int = 0
    extras: int = 0
    unsure: int = 0


def sync(
    mc: Mailchimp,
    audiences: Sequence[Audience],
    root: Path,
    *,
    dry_run: bool = False,
    prune: bool = False,
) -> SyncResult:
    """Plan and (unless `dry_run`) apply the changes for each audience, in order."""
    ids = SyncIds.load(root)
    result = SyncResult()
    for audience in audiences:
        plan = _Plan(mc, audience, ids, prune)
        steps = plan.steps()
        for step in steps:
            if step.run is not None and not dry_run:
                step.run()
            result.lines.append(f"{audience.name}: {step.line(dry_run)}")
        result.changes += sum(1 for s in steps if s.run is not None)
        result.extras += plan.extras
        result.unsure += plan.unsure
        if not any(s.run for s in steps):
            result.lines.append(f"{audience.name}: nothing to change")
        if not dry_run:
            ids.record(audience.list_id, plan.now)
    if not dry_run:
        ids.save()
    return result


class _Plan:
    """The steps for one audience; `now` collects each file entry's id as steps run."""

    def __init__(self, mc: Mailchimp, audience: Audience, ids: SyncIds, prune: bool) -> None:
        self.mc, self.audience, self.ids, self.prune = mc, audience, ids, prune
        self.list_id = audience.list_id
        self.now: dict[str, Any] = {"categories": {}, "groups": {}, "partners": {}}
        self.out: list[Step] = []
        self.extras = self.unsure = 0

    def steps(self) -> list[Step]:
        self._merge_fields(lists.merge_fields(self.mc, self.list_id))
        self._categories(lists.categories(self.mc, self.list_id))
        self._partners(lists.segments(self.mc, self.list_id))
        return self.out

    def _change(self, text: str, run: Callable[[], None]) -> None:
        self.out.append(Step(text, run))

    def _extra(self, what: str, remove: Callable[[], None]) -> None:
        if self.prune:
            self._change(f"remove {what}", remove)
        else:
            self.extras += 1
            self.out.append(Step(f"extra in Mailchimp: {what} (--prune removes it)"))

    def _note(self, text: str) -> None:
        self.unsure += 1
        self.out.append(Step(f"note: {text}"))

    # -- merge fields: matched by tag, which content uses; Mailchimp cannot change a type ---------

    def _merge_fields(self, have: list[dict[str, Any]]) -> None:
        by_tag = {f["tag"]: f for f in have}
        for wanted in self.audience.merge_fields:
            got = by_tag.get(wanted.tag)
            body = {"tag": wanted.tag, "name": wanted.name, "type": wanted.type}
            if got is None:
                self._change(
                    f"create merge field {wanted.tag} ('{wanted.name}', {wanted.type})",
                    self._call(lists.create_merge_field, body),
                )
            elif got.get("type") != wanted.type:
                self._note(
                    f"merge field {wanted.tag} is {got.get('type')} in Mailchimp, "
                    f"{wanted.type} in audiences.yaml (Mailchimp cannot change a field's type)"
                )
        known = {*DEFAULT_MERGE_FIELDS, *(f.tag for f in self.audience.merge_fields)}
        for tag, got in by_tag.items():
            if tag not in known:
                self._extra(
                    f"merge field {tag} ('{got.get('name', '')}')",
                    self._call(lists.delete_merge_field, str(got["merge_id"])),
                )

    # -- interest categories and their groups ------------------------------------------------------

    def _categories(self, have: list[lists.Category]) -> None:
        existing = {c.id: c.title for c in have}
        by_id = {c.id: c for c in have}
        recorded = self.ids.recorded(self.list_id, "categories")
        wanted = [(c, c.category, c.id) for c in self.audience.interests]
        found = pair(wanted, existing, recorded, "interest category", prune=self.prune)
        self._unsure(found.unsure)
        for category, category_id in found.matched:
            got = by_id[category_id]
            self.now["categories"][category_id] = category.category
            if (got.title, got.type) != (category.category, category.type):
                change = (
                    f"rename interest category '{got.title}' to '{category.category}'"
                    if got.title != category.category
                    else f"make interest category '{got.title}' {category.type}"
                )
                body = {"title": category.category, "type": category.type}
                self._change(
                    change,
                    self._call(lists.update_category, category_id, body),
                )
            self._groups(category, category_id, got.groups)
        for position, category in enumerate(self.audience.interests):
            if category in found.new:
                self._new_category(category, position)
        for category_id in found.extras:
            self._extra(
                f"interest category '{existing[category_id]}' and its groups",
                self._call(lists.delete_category, category_id),
            )

    def _new_category(self, category: InterestCategory, position: int) -> None:
        made: dict[str, str] = {}

        def create() -> None:
            body = {"title": category.category, "type": category.type, "display_order": position}
            made["id"] = lists.create_category(self.mc, self.list_id, body)
            self.now["categories"][made["id"]] = category.category

        self._change(f"create interest category '{category.category}' ({category.type})", create)
        for order, group in enumerate(category.groups):
            self._change(
                f"create interest group '{group.name}' in '{category.category}'",
                self._create_group(lambda: made["id"], group.name, order),
            )

    def _groups(self, category: InterestCategory, category_id: str, have: dict[str, str]) -> None:
        recorded = self.ids.recorded(self.list_id, "groups", within=category_id)
        wanted = [(g, g.name, g.id) for g in category.groups]
        found = pair(wanted, have, recorded, "interest group", prune=self.prune)
        self._unsure(found.unsure)
        where = f"in '{category.category}'"
        now = self.now["groups"].setdefault(category_id, {})
        for group, group_id in found.matched:
            now[group_id] = group.name
            if have[group_id] != group.name:
                self._change(
                    f"rename interest group '{have[group_id]}' to '{group.name}' {where}",
                    self._call(lists.rename_group, category_id, group_id, group.name),
                )
        for order, group in enumerate(category.groups):
            if group in found.new:
                self._change(
                    f"create interest group '{group.name}' {where}",
                    self._create_group(lambda: category_id, group.name, order),
                )
        for group_id in found.extras:
            self._extra(
                f"interest group '{have[group_id]}' {where}",
                self._call(lists.delete_group, category_id, group_id),
            )

    def _create_group(
        self, category_id: Callable[[], str], name: str, order: int
    ) -> Callable[[], None]:
        def create() -> None:
            parent = category_id()
            body = {"name": name, "display_order": order}
            made = lists.create_group(self.mc, self.list_id, parent, body)
            self.now["groups"].setdefault(parent, {})[made] = name

        return create

    # -- partner lists: tags (static segments) and saved segments ---------------------------------

    def _partners(self, have: list[dict[str, Any]]) -> None:
        recorded = self.ids.recorded(self.list_id, "partners")
        for kind, mailchimp_type, label in (
            ("tag", "static", "tag"),
            ("segment", "saved", "saved segment"),
        ):
            mine = [p for p in self.audience.partner_lists if p.kind == kind]
            theirs = {str(s["id"]): s for s in have if s.get("type") == mailchimp_type}
            existing = {i: str(s["name"]) for i, s in theirs.items()}
            wanted = [(p, p.name, None if p.id is None else str(p.id)) for p in mine]
            found = pair(wanted, existing, recorded, label, prune=self.prune)
            self._unsure(found.unsure)
            for partner, segment_id in found.matched:
                self.now["partners"][segment_id] = partner.name
                self._update_partner(partner, theirs[segment_id], label)
            for partner in found.new:
                self._new_partner(partner, label)
            for segment_id in found.extras:
                self._extra(
                    f"{label} '{existing[segment_id]}'",
                    self._call(lists.delete_segment, segment_id),
                )

    def _update_partner(self, partner: PartnerList, got: dict[str, Any], label: str) -> None:
        body: dict[str, Any] = {"name": partner.name}
        changes = []
        if got["name"] != partner.name:
            changes.append(f"rename {label} '{got['name']}' to '{partner.name}'")
        if partner.conditions and _options(partner) != _options_of(got):
            body["options"] = _options(partner)
            changes.append(f"update the conditions of {label} '{partner.name}'")
        if changes:
            self._change(
                "; ".join(changes),
                self._call(lists.update_segment, str(got["id"]), body),
            )

    def _new_partner(self, partner: PartnerList, label: str) -> None:
        if partner.kind == "segment" and not partner.conditions:
            self._note(
                f"saved segment '{partner.name}' is not in Mailchimp: make it there, or give "
                "its `conditions` in audiences.yaml"
            )
            return
        body: dict[str, Any] = {"name": partner.name}
        if partner.kind == "tag":
            body["static_segment"] = []
        else:
            body["options"] = _options(partner)

        def create() -> None:
            made = lists.create_segment(self.mc, self.list_id, body)
            self.now["partners"][made] = partner.name

        self._change(f"create {label} '{partner.name}'", create)

    # -- helpers --------------------------------------------------------------------------------

    def _unsure(self, messages: list[str]) -> None:
        for message in messages:
            self._note(message)

    def _call(self, change: Callable[..., None], *args: Any) -> Callable[[], None]:
        """`change` (a function of mailchimp.audiences) of this audience, to run later."""

        def run() -> None:
            change(self.mc, self.list_id, *args)

        return run


def _options(partner: PartnerList) -> dict[str, Any]:
    return {"match": partner.match, "conditions": partner.conditions}


def _options_of(segment: dict[str, Any]) -> dict[str, Any]:
    options = segment.get("options") or {}
    return {"match": options.get("match", "all"), "conditions": options.get("conditions") or []}
