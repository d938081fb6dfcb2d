"""The campaign an issue wants: its settings, recipients and content, from the issue checked.

The dispatcher never renders (data flows one way); this module is where the issue is loaded,
rendered and (unless told not to) checked for it, and where its audience is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bulletin import checks
from bulletin.campaigns.compare import fingerprint, parts, tracking_of
from bulletin.campaigns.uploads import recorded_urls
from bulletin.compose.email_files import local_files, shown_at
from bulletin.compose.render import render
from bulletin.document.audiences import FILE_NAME, Audience, Audiences
from bulletin.document.issue import READ, Bulletin, ReadThem, load_bulletin
from bulletin.document.local_files import LocalFile
from bulletin.document.project import relative_path
from bulletin.errors import BulletinError, ContentError, Problem


class ChecksFailed(ContentError):
    """The issue has check errors, so nothing goes to Mailchimp."""

    outcome = "nothing sent to Mailchimp"


@dataclass(frozen=True)
class WantedCampaign:
    """What an issue asks its campaign to be: settings, recipients and content."""

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
    # Mailchimp's tracking flags, from the publication's `tracking` (opens, clicks).
    tracking: dict[str, bool] = field(default_factory=lambda: tracking_of(None))

    def targeting_of(self, campaign: dict[str, Any]) -> WantedCampaign:
        """This campaign aimed at the readers `campaign` already targets."""
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
        return fingerprint(self.settings, self.recipients, self.html, self.text, self.tracking)

    def parts(self) -> dict[str, Any]:
        return parts(self.settings, self.recipients, self.html, self.text, self.tracking)


def wanted_campaign(
    path: Path,
    audience: str | None = None,
    *,
    check: bool = True,
    audiences: Audiences | ReadThem | None = READ,
    host: Callable[[list[LocalFile]], dict[str, str]] | None = None,
) -> WantedCampaign:
    """Load and render an issue and, with `check`, check it: check errors stop everything.

    Without `check` (for status, and to unschedule) no rule runs and no warning is kept;
    `audiences` is audiences.yaml when the caller has read it already. `host` puts the
    issue's own files in Mailchimp's File Manager and says where (before the content is
    compared, so an unchanged issue compares equal); without it, the addresses recorded at
    the last push are used.
    """
    try:
        bulletin = load_bulletin(path, audiences=audiences)
    except ContentError as err:
        raise ChecksFailed(err.problems) from None
    warnings: list[Problem] = []
    files = local_files(bulletin)
    root = bulletin.project.root
    urls = host(files) if host else recorded_urls(root, files)
    with shown_at(urls):
        if check:
            checked = checks.check(bulletin)
            checked.stop_on_errors(ChecksFailed)
            rendered, warnings = checked.rendered, checked.problems
        else:
            rendered = render(bulletin)
    return WantedCampaign(
        path,
        relative_path(path, bulletin.project.root),
        bulletin.project.root,
        _audience(bulletin, audience),
        _settings(bulletin, path),
        rendered.html,
        rendered.text,
        warnings,
        tracking=_tracking(bulletin),
    )


def _audience(bulletin: Bulletin, name: str | None) -> Audience:
    publication = bulletin.issue.publication
    if bulletin.audiences is None:
        raise BulletinError(
            f"no {FILE_NAME} in {bulletin.project.root}: it says which Mailchimp audience "
            f"receives '{publication}'"
        )
    return bulletin.audiences.receiving(publication, name)


def _tracking(bulletin: Bulletin) -> dict[str, bool]:
    """Clicks on or off in the HTML and the plain text alike."""
    chosen = bulletin.publication.tracking
    return {"opens": chosen.opens, "html_clicks": chosen.clicks, "text_clicks": chosen.clicks}


def _settings(bulletin: Bulletin, path: Path) -> dict[str, str]:
    sender = bulletin.publication.sender
    return {
        "title": f"bulletin:{bulletin.issue.publication}:{path.stem}",
        "subject_line": bulletin.issue.subject,
        "preview_text": bulletin.issue.preview,
        "from_name": sender.from_name,
        "reply_to": str(sender.reply_to),
    }
