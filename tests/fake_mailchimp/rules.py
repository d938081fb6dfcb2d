"""Members' status: which changes the real service allows through the API."""

from __future__ import annotations

from datetime import datetime

from .errors import ApiError, bad_request
from .state import Member

# -- members' status: what the real service allows ------------------------------------------------
#
# Researched from public reports (2024-2026) of the real API's answers:
# - "Member In Compliance State" (400): "<email> is in a compliance state due to unsubscribe,
#   bounce, or compliance review and cannot be subscribed." when an address that unsubscribed
#   itself, or was cleaned (hard bounce), is set to subscribed (PUT or PATCH with status, POST, or a
#   batch with update_existing). github.com/ibericode/mailchimp-for-wordpress/issues/798 (PATCH),
#   github.com/tbar0970/jethro-pmm/issues/656 (batch), github.com/aelvan/mailchimp-subscribe-
#   craft/issues/115.
# - An address unsubscribed through the API (an admin action) can be put back with status
#   "subscribed" (github.com/veda-consulting-company/uk.co.vedaconsulting.mailchimp/issues/374,
#   tested 2026).
# - Setting such an address to "pending" is the documented way back: Mailchimp mails a confirmation.
# - "Forgotten Email Not Subscribed" (400): "<email> was permanently deleted and cannot be re-
#   imported. The contact must re-subscribe to get back on the list." after delete-permanent, for
#   any re-add.
# - status_if_new (PUT) applies to new addresses only; an existing member keeps its status unless
#   `status` is given. A batch subscribe with update_existing false leaves existing members alone
#   (they come back in errors[] as ERROR_CONTACT_EXISTS).
# Where a report was missing we chose the stricter answer (a cleaned member cannot be changed at
# all), so code that passes here also passes against the real service.


def compliance_error(email: str) -> ApiError:
    return bad_request(
        f"{email} is in a compliance state due to unsubscribe, bounce, or compliance review "
        "and cannot be subscribed.",
        title="Member In Compliance State",
    )


def forgotten_error(email: str) -> ApiError:
    # Not a violation: a caller cannot know beforehand that someone erased the address.
    return bad_request(
        f"{email} was permanently deleted and cannot be re-imported. "
        "The contact must re-subscribe to get back on the list.",
        title="Forgotten Email Not Subscribed",
        kind="",
    )


def change_status(member: Member, status: str, now: datetime) -> bool:
    """Apply an API caller's status change to an existing member; raise what Mailchimp answers."""
    if status == member.status:
        return False
    if member.status == "cleaned":
        raise compliance_error(member.email)
    if (
        status == "subscribed"
        and member.status == "unsubscribed"
        and member.unsubscribed_by == "user"
    ):
        raise compliance_error(member.email)
    member.status = status
    member.unsubscribed_by = "api" if status == "unsubscribed" else None
    member.last_changed = now
    return True
