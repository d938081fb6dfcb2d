"""What an issue asks its Mailchimp campaign to be, and the hash that says whether it already is.

The dispatcher never renders (DESIGN: data flows one way); this module is where the issue is
loaded, rendered and checked for it, and where the audience is chosen. The hash covers every
part the issue decides (subject, preview, sender, title, recipients, HTML, text), computed the
same way from our side and from Mailchimp's answers, so the two can be compared.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bulletin.document.audiences import FILE_NAME, Audience, load_audiences
from bulletin.errors import BulletinError, ContentError, Problem

# What the officer reads when one part differs, by the name Mailchimp gives it.
PARTS = {
    "subject_line": "subject",
    "preview_text": "preview text",
    "from_name": "from name",
    "reply_to": "reply-to",
    "title": "title",
    "list_id": "audience",
    "segment_opts": "segment",
    "html": "HTML",
    "plain_text": "plain text",
}


class ChecksFailed(ContentError):
    """The issue has check errors, so nothing goes to Mailchimp."""

    outcome = "nothing sent to Mailchimp"


@dataclass(frozen=True)
class Payload:
    """What an issue asks its campaign to be: settings, recipients and content, checked."""

    path: Path
    relpath: str  # the issue file, relative to the project: the ledger shows it
    root: Path
    audience: Audience
    settings: dict[str, str]
    html: str
    text: str
    warnings: list[Problem] = field(default_factory=list)
    # Mailchimp's recipients.segment_opts (a partner list, preference groups); None: everyone.
    segment_opts: dict[str, Any] | None = None
    # True unless this run says whom to target: the campaign then keeps the readers it has,
    # so a later push of an edit never widens a campaign aimed at one partner list.
    keep_targeting: bool = True

    def targeting_of(self, campaign: dict[str, Any]) -> Payload:
        """This payload aimed at the readers `campaign` already targets."""
        opts = (campaign.get("recipients") or {}).get("segment_opts") or None
        return replace(self, segment_opts=opts)

    @property
    def title(self) -> str:
        """The campaign's unique name in its list: how a lost ledger finds it again."""
        return self.settings["title"]

    @property
    def recipients(self) -> dict[str, Any]:
        found: dict[str, Any] = {"list_id": self.audience.list_id}
        if self.segment_opts:
            found["segment_opts"] = self.segment_opts
        return found

    @property
    def hash(self) -> str:
        return fingerprint(self.settings, self.recipients, self.html, self.text)

    def parts(self) -> dict[str, Any]:
        return parts(self.settings, self.recipients, self.html, self.text)


def parts(
    settings: dict[str, Any], recipients: dict[str, Any], html: str, text: str
) -> dict[str, Any]:
    """The parts of a campaign the issue decides, normalised so ours and Mailchimp's compare."""
    opts = recipients.get("segment_opts") or {}
    segment = {k: v for k, v in opts.items() if k == "saved_segment_id" and v}
    if opts.get("conditions"):
        segment.update(match=opts.get("match", "all"), conditions=opts["conditions"])
    return {
        **{k: settings.get(k) or "" for k in ("title", "subject_line", "preview_text")},
        **{k: settings.get(k) or "" for k in ("from_name", "reply_to")},
        "list_id": recipients.get("list_id") or "",
        "segment_opts": segment,
        "html": html or "",
        "plain_text": text or "",
    }


def fingerprint(settings: dict[str, Any], recipients: dict[str, Any], html: str, text: str) -> str:
    """The content hash: subject, preview, sender, title, recipients, HTML and text."""
    data = json.dumps(parts(settings, recipients, html, text), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def remote_parts(campaign: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    return parts(
        campaign.get("settings") or {},
        campaign.get("recipients") or {},
        content.get("html") or "",
        content.get("plain_text") or "",
    )


def remote_hash(campaign: dict[str, Any], content: dict[str, Any]) -> str:
    p = remote_parts(campaign, content)
    return fingerprint(p, p, p["html"], p["plain_text"])


def prepare(path: Path, audience: str | None = None, *, checks: bool = True) -> Payload:
    """Load, render and (by default) check an issue; check errors stop everything."""
    from bulletin.checks import check_bulletin

    try:
        checked = check_bulletin(path)
    except ContentError as err:
        raise ChecksFailed(err.problems) from None
    bulletin, rendered, problems = checked.bulletin, checked.rendered, checked.problems
    if checks and any(p.severity == "error" for p in problems):
        raise ChecksFailed(problems)
    if not checks:
        problems = []
    root = bulletin.project.root
    publication = bulletin.issue.publication
    chosen = choose_audience(root, publication, audience)
    sender = bulletin.publication.sender
    settings = {
        "title": f"bulletin:{publication}:{path.stem}",
        "subject_line": bulletin.issue.subject,
        "preview_text": bulletin.issue.preview,
        "from_name": sender.from_name,
        "reply_to": str(sender.reply_to),
    }
    try:
        relpath = path.resolve().relative_to(root).as_posix()
    except ValueError:
        relpath = str(path)
    return Payload(path, relpath, root, chosen, settings, rendered.html, rendered.text, problems)


def choose_audience(root: Path, publication: str, name: str | None) -> Audience:
    """The audience named, or the only one for the publication; never a guess between two."""
    from bulletin.document.source import did_you_mean

    audiences = load_audiences(root)
    if audiences is None:
        raise BulletinError(
            f"no {FILE_NAME} in {root}: it says which Mailchimp audience receives '{publication}'"
        )
    if name is not None:
        named = [a for a in audiences.audiences if a.name == name]
        if not named:
            hint = did_you_mean(name, [a.name for a in audiences.audiences])
            raise BulletinError(f"--audience {name}: no such audience in {FILE_NAME}{hint}")
        if named[0].publication != publication:
            raise BulletinError(
                f"--audience {name} receives '{named[0].publication}', not '{publication}': "
                "choose one of this publication's audiences"
            )
        return named[0]
    chosen = audiences.for_publication(publication)
    if not chosen:
        raise BulletinError(f"no audience in {FILE_NAME} receives publication '{publication}'")
    if len(chosen) > 1:
        names = ", ".join(a.name for a in chosen)
        raise BulletinError(
            f"'{publication}' goes to {len(chosen)} audiences ({names}): choose one with --audience"
        )
    return chosen[0]
