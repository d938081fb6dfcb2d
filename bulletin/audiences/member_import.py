"""`bulletin audiences import`: a partner's CSV into an audience, never re-subscribing anyone.

How statuses are kept, at about one HTTP call per 500 rows:

1. Read who must not be subscribed: every audience's unsubscribed and cleaned members (from
   Mailchimp, each time, onto the suppression list: a new computer or a lost `.bulletin/`
   knows them all the same) and this audience's pending ones. One read per 1,000 addresses
   of each status: two calls per audience, and one more, for most projects.
2. Stream the CSV. Each row is invalid, suppressed, unchanged since the last import from this
   folder (imported.py: no call at all), or queued for one of three batch subscribe calls of
   up to 500 members:
   - SUBSCRIBE (`update_existing: false`, `status: subscribed`): rows with consent. Only new
     addresses are added: one that is a member by the time of the call (even one who
     unsubscribed a moment ago) comes back as ERROR_CONTACT_EXISTS, untouched, and goes to
     UPDATE. No status is ever sent for an address that exists.
   - INVITE (`update_existing: false`, `status: pending`): rows without consent, when the
     audience wants double opt-in. New addresses get Mailchimp's confirmation email; members
     come back as ERROR_CONTACT_EXISTS, untouched, and go to UPDATE.
   - UPDATE (`update_existing: true`, no `status`): rows of pending members, of members this
     folder imported before, and rows without consent in a single opt-in audience. Mailchimp
     changes their fields and never a status; an address that is not a member comes back
     asking for a status, and is then added as its row allows, or left out.
3. With `--tag`, the members the batches took are tagged at the end, in one call to Mailchimp's
   batch endpoint holding one tag operation per 500 members, then a few reads of its status
   and one of its results. A member is remembered as tagged only once Mailchimp says so: a
   tag that failed is reported on the member's line, and the next import tries it again.

So 50,000 new rows cost 100 batch calls and a few reads (about 5 more with `--tag`), and the
same file again only the reads.
A file that turns out to be unreadable part-way (not UTF-8, a cell too large) stops the
import there: what was read before is imported and counted, and a re-run skips it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.audiences.last_imported import ABSENT, MEMBER, LastImported, fingerprint
from bulletin.audiences.members_csv import Contact, ContactsFile, Invalid
from bulletin.audiences.suppression import Suppressions, record_audience
from bulletin.document.audiences import Audience
from bulletin.errors import BulletinError, ContentError, Problem
from bulletin.mailchimp import audiences as lists
from bulletin.mailchimp import batches
from bulletin.mailchimp.client import Mailchimp, MailchimpError

BATCH = 500  # "Up to 500 members may be added or updated with each API call"
KEEP_PROBLEMS = 1000  # rows reported one by one; beyond that they are only counted


@dataclass
class ImportSummary:
    added: int = 0  # new, subscribed (they gave consent)
    invited: int = 0  # new, pending until they confirm Mailchimp's email
    updated: int = 0
    unchanged: int = 0
    unsubscribed: int = 0  # unsubscribed or cleaned in this audience: left alone
    suppressed: int = 0  # unsubscribed or cleaned in another audience, or by webhook
    no_consent: int = 0  # new, no consent, and the audience does not ask for double opt-in
    invalid: int = 0
    failed: int = 0  # Mailchimp refused the member
    tagged: int = 0
    calls: int = 0
    problems: list[str] = field(default_factory=list)  # FILE:LINE: message, the first 1,000
    ignored_columns: list[str] = field(default_factory=list)
    stopped: Problem | None = None  # the file could not be read on from here

    def stopped_note(self) -> str:
        """What a stop part-way through the file means for the user."""
        assert self.stopped is not None
        return (
            f"{self.stopped}: the import stopped at this line; the rows before it were "
            "imported (counted below), the rest were not read: fix the file and import it "
            "again (the rows already imported are skipped)"
        )

    def report(self) -> str:
        return (
            f"{self.added:,} added, {self.invited:,} invited (pending their confirmation), "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged, {self.unsubscribed:,} "
            f"skipped because unsubscribed or cleaned, {self.suppressed:,} skipped because "
            f"suppressed, {self.no_consent:,} skipped for want of consent, {self.invalid:,} "
            f"invalid, {self.failed:,} refused by Mailchimp ({self.calls:,} HTTP calls)"
        )


@dataclass
class _Row:
    contact: Contact
    fingerprint: str
    moves: int = 0


@dataclass
class _Queue:
    update_existing: bool
    status: str | None
    rows: dict[str, _Row] = field(default_factory=dict)


def import_members(
    mc: Mailchimp,
    audience: Audience,
    path: Path,
    root: Path,
    *,
    tag: str | None = None,
    progress: Callable[[int], None] | None = None,
    every: Sequence[Audience] = (),
) -> ImportSummary:
    """Import `path` into `audience`; see the module's docstring for how. `every`: all the
    audiences of audiences.yaml, whose unsubscribes are read first."""
    start = mc.calls
    with Suppressions.open(root) as store:
        importer = _Importer(mc, audience, path, root, store, tag, every)
        try:
            importer.run(progress)
        finally:
            importer.memory.close()
    importer.summary.calls = mc.calls - start
    return importer.summary


class _Importer:
    def __init__(
        self,
        mc: Mailchimp,
        audience: Audience,
        path: Path,
        root: Path,
        store: Suppressions,
        tag: str | None,
        every: Sequence[Audience] = (),
    ) -> None:
        self.mc, self.audience, self.path, self.store = mc, audience, path, store
        self.every = list({a.list_id: a for a in [*every, audience]}.values())
        self.list_id = audience.list_id
        self.summary = ImportSummary()
        self.memory = LastImported.open(root, self.list_id)
        self.tag = tag
        self.tag_id: int | None = None
        self.to_tag: list[list[_Row]] = []  # members taken, to tag in one batch at the end
        self.pending: set[str] = set()
        self._interest_ids: dict[tuple[str, str], tuple[str, str]] | None = None
        self.subscribe = _Queue(update_existing=False, status="subscribed")
        self.invite = _Queue(update_existing=False, status="pending")
        self.update = _Queue(update_existing=True, status=None)

    def run(self, progress: Callable[[int], None] | None) -> None:
        if self.tag is not None:
            self.tag_id = self._find_tag(self.tag)
        for each in self.every:
            try:
                record_audience(self.mc, each, self.store, "import")
                if each is self.audience:
                    statuses = lists.emails_with_status(self.mc, self.list_id, "pending")
                    self.pending = {email.lower() for email in statuses}
            except MailchimpError as err:
                if err.status == 404 and each is not self.audience:
                    continue  # no such list: no one there to protect
                if err.status == 404:
                    raise BulletinError(
                        f"audience {each.name}: Mailchimp has no list {each.list_id}"
                    ) from None
                raise
        source = ContactsFile(self.path, self.audience, progress)
        read = 0
        try:
            for row in source.rows():
                read += 1
                if isinstance(row, Invalid):
                    self._problem(row.line, row.message, invalid=True)
                else:
                    self._take(row)
        except ContentError as err:
            if read == 0:
                raise  # nothing read, nothing sent: the file is wrong from the start
            self.summary.stopped = err.problems[0]
        self.summary.ignored_columns = source.ignored
        while any(q.rows for q in (self.subscribe, self.invite, self.update)):
            for queue in (self.subscribe, self.invite, self.update):
                if queue.rows:
                    self._flush(queue)
        if self.to_tag:
            self._tag_all()

    def _take(self, contact: Contact) -> None:
        email = contact.email.lower()
        earlier = self.memory.first_seen(email, contact.line)
        if earlier is not None:
            self._problem(contact.line, f"{contact.email} is on line {earlier} already", True)
            return
        suppressed = self.store.lookup(email)
        if suppressed:
            if any(entry.list_id == self.list_id for entry in suppressed):
                self.summary.unsubscribed += 1
            else:
                self.summary.suppressed += 1
            return
        print_ = fingerprint(
            [contact.merge_fields, sorted(contact.groups), contact.consent, self.tag]
        )
        last = self.memory.last(email)
        if last is not None and last[0] == print_:
            if last[1] == ABSENT:
                self.summary.no_consent += 1
            else:
                self.summary.unchanged += 1
            return
        row = _Row(contact, print_)
        if email in self.pending or (last is not None and last[1] == MEMBER):
            self._queue(self.update, row)
        else:
            self._queue_new(row)

    def _queue_new(self, row: _Row) -> None:
        """A row that may be a new address: subscribed with consent, else as the audience says."""
        if row.contact.consent:
            self._queue(self.subscribe, row)
        elif self.audience.double_opt_in:
            self._queue(self.invite, row)
        else:
            self._queue(self.update, row)  # a member is updated; a new address is left out

    def _queue(self, queue: _Queue, row: _Row) -> None:
        queue.rows[row.contact.email.lower()] = row
        if len(queue.rows) >= BATCH:
            self._flush(queue)

    def _flush(self, queue: _Queue) -> None:
        rows, queue.rows = queue.rows, {}
        members = [self._item(r.contact, queue.status) for r in rows.values()]
        answer = lists.batch_members(
            self.mc, self.list_id, members, update_existing=queue.update_existing
        )
        taken: list[_Row] = []
        for key, counter in (("new_members", "added"), ("updated_members", "updated")):
            for member in answer.get(key) or []:
                row = rows.pop(str(member.get("email_address", "")).lower(), None)
                if row is None:
                    continue
                taken.append(row)
                if counter == "added" and queue.status == "pending":
                    counter = "invited"
                setattr(self.summary, counter, getattr(self.summary, counter) + 1)
        left_out: list[_Row] = []
        for error in answer.get("errors") or []:
            row = rows.pop(str(error.get("email_address", "")).lower(), None)
            if row is not None:
                self._refused(queue, row, error, left_out)
        for row in rows.values():
            self._problem(row.contact.line, f"{row.contact.email}: Mailchimp did not say", False)
        # Until Mailchimp confirms the tag, a member is remembered with no fingerprint, so a
        # run stopped before then sends the row (and its tag) again.
        tagging = self.tag_id is not None
        self.memory.record(
            [(r.contact.email, "" if tagging else r.fingerprint, MEMBER) for r in taken]
            + [(r.contact.email, r.fingerprint, ABSENT) for r in left_out]
        )
        if tagging and taken:
            if self.to_tag and len(self.to_tag[-1]) + len(taken) <= BATCH:
                self.to_tag[-1].extend(taken)
            else:
                self.to_tag.append(taken)

    def _tag_all(self) -> None:
        """Tag every member taken, in one batch of one operation per 500 members."""
        chunks, self.to_tag = self.to_tag, []
        path = f"/lists/{self.list_id}/segments/{self.tag_id}"
        operations = [
            {"method": "POST", "path": path, "operation_id": f"tag-{n}",
             "body": {"members_to_add": [r.contact.email for r in rows]}}
            for n, rows in enumerate(chunks)
        ]  # fmt: skip
        results = batches.run(self.mc, operations)
        for n, rows in enumerate(chunks):
            result = results.get(f"tag-{n}")
            refused: dict[str, str] = {}
            if result is None or result.status_code >= 400:
                answer = result.response if result is not None else None
                why = "Mailchimp did not say"
                if isinstance(answer, dict):
                    why = str(answer.get("detail") or answer.get("title") or why)
                refused = {r.contact.email.lower(): why for r in rows}
            elif isinstance(result.response, dict):
                for error in result.response.get("errors") or []:
                    for email in error.get("email_addresses") or []:
                        refused[str(email).lower()] = str(error.get("error") or "refused")
            done = [r for r in rows if r.contact.email.lower() not in refused]
            self.memory.record([(r.contact.email, r.fingerprint, MEMBER) for r in done])
            self.summary.tagged += len(done)
            for row in rows:
                reason = refused.get(row.contact.email.lower())
                if reason is not None:
                    self._problem(
                        row.contact.line,
                        f"{row.contact.email}: not tagged {self.tag}: {reason}",
                        False,
                    )

    def _refused(
        self, queue: _Queue, row: _Row, error: dict[str, Any], left_out: list[_Row]
    ) -> None:
        """A member the batch did not take: a member already (INVITE), not a member (UPDATE),
        or refused."""
        row.moves += 1
        exists = error.get("error_code") == "ERROR_CONTACT_EXISTS"
        wants_status = error.get("field") == "status" or "status" in str(error.get("error", ""))
        if queue in (self.invite, self.subscribe) and exists and row.moves <= 2:
            self._queue(self.update, row)
        elif queue is self.update and not exists and wants_status and row.moves <= 2:
            if row.contact.consent or self.audience.double_opt_in:
                self._queue_new(row)
            else:
                self.summary.no_consent += 1
                left_out.append(row)
        else:
            message = str(error.get("error") or "refused")
            if error.get("field_message"):
                message += f" ({error.get('field')}: {error.get('field_message')})"
            self._problem(row.contact.line, f"{row.contact.email}: {message}", False)

    def _item(self, contact: Contact, status: str | None) -> dict[str, Any]:
        item: dict[str, Any] = {
            "email_address": contact.email,
            "merge_fields": contact.merge_fields,
        }
        if contact.groups:
            # Preferences are added, never taken away: a reader's own choices stay.
            item["interests"] = {self._interest_id(c, g): True for c, g in contact.groups}
        if status is not None:
            item["status"] = status
        return item

    def _interest_id(self, category: str, group: str) -> str:
        if self._interest_ids is None:
            self._interest_ids = lists.interest_ids(self.mc, self.list_id)
        found = self._interest_ids.get((category, group))
        if found is None:
            raise BulletinError(
                f"Mailchimp's audience {self.audience.name} has no group '{group}' in "
                f"'{category}': run `bulletin audiences sync` first"
            )
        return found[1]

    def _find_tag(self, name: str) -> int:
        partner = self.audience.partner_list(name)
        if partner.kind != "tag":
            raise BulletinError(f"'{name}' is a saved segment, not a tag: it cannot be given")
        segment = lists.segment_named(self.mc, self.list_id, name, "static")
        if segment is not None:
            return int(segment["id"])
        raise BulletinError(
            f"Mailchimp's audience {self.audience.name} has no tag '{name}': "
            "run `bulletin audiences sync` first"
        )

    def _problem(self, line: int, message: str, invalid: bool) -> None:
        if invalid:
            self.summary.invalid += 1
        else:
            self.summary.failed += 1
        if len(self.summary.problems) < KEEP_PROBLEMS:
            self.summary.problems.append(f"{self.path}:{line}: {message}")
