"""The issue as an inbox row shows it: from name, subject and preview text, cut where mail apps
cut them. The figures are typical character counts, approximations: the real cut depends on
the font, the letters and the width of the window.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from bulletin.document.issue import Bulletin


@dataclass(frozen=True)
class InboxCut:
    """How many characters of each field a mail app shows on one kind of screen."""

    client: str
    device: str
    from_name: int
    subject: int
    preview: int


# Subjects: typecount.com/blog/email-subject-line-length ("Character Limit Overview": Gmail
# ~70 desktop, ~40 mobile; Outlook ~73 desktop, ~38 mobile). Preview text: the low ends of
# wordcounternow.com/blog/email-marketing-character-limits.html ("Preheader Display
# Specifications": Gmail desktop 120-140, Gmail mobile 90-110, Outlook desktop 100-120; phones
# 80-100, taken for Outlook's app). From names: about 25 characters (campaign.name's subject
# line tester, "Sender name: around 20-25 characters").
FROM_NAME_CUT = 25
GMAIL_DESKTOP = InboxCut("Gmail", "desktop", FROM_NAME_CUT, 70, 120)
GMAIL_PHONE = InboxCut("Gmail", "phone", FROM_NAME_CUT, 40, 90)
OUTLOOK_DESKTOP = InboxCut("Outlook", "desktop", FROM_NAME_CUT, 73, 100)
OUTLOOK_PHONE = InboxCut("Outlook", "phone", FROM_NAME_CUT, 38, 80)
CUTS = (GMAIL_DESKTOP, GMAIL_PHONE, OUTLOOK_DESKTOP, OUTLOOK_PHONE)


def cut(text: str, length: int) -> str:
    """`text` as an app shows it in `length` characters: whole, or cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def inbox_rows(bulletin: Bulletin) -> list[dict[str, Any]]:
    """One row per app and screen, for the preview's Inbox view."""
    sender = bulletin.publication.sender.from_name
    issue = bulletin.issue
    return [
        {
            **asdict(c),
            "from_text": cut(sender, c.from_name),
            "subject_text": cut(issue.subject, c.subject),
            "preview_text": cut(issue.preview, c.preview),
        }
        for c in CUTS
    ]
