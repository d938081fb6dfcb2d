"""What Mailchimp and the law require of every campaign: a way out, an address, a sender."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Hit, rule

SUBJECT_SHOWN = 60  # characters most inboxes show of a subject line
_NO_REPLY = re.compile(r"(?:no|do[-_.]?not)[-_.]?reply", re.IGNORECASE)
_EMAIL_LIKE = re.compile(r"\S+@\S+\.\S+")


@rule(
    "unsubscribe-link",
    "error",
    "the HTML has no `*|UNSUB|*` unsubscribe link (Mailchimp refuses to send without one)",
    'keep the footer of `templates/email.mjml.j2`, or add `<a href="*|UNSUB|*">` to yours',
)
def unsubscribe_link(ctx: CheckContext) -> Iterator[Hit]:
    if "*|UNSUB|*" not in ctx.html:
        yield Hit("no *|UNSUB|* unsubscribe link in the HTML")
    if "*|UNSUB|*" not in ctx.rendered.text:
        yield Hit("no *|UNSUB|* unsubscribe link in the plain-text part")


def _missing_tag(ctx: CheckContext, tag: str, what: str) -> Iterator[Hit]:
    for part, content in (("HTML", ctx.html), ("plain-text part", ctx.rendered.text)):
        if tag not in content:
            yield Hit(f"no {tag} {what} in the {part}")


@rule(
    "update-profile-link",
    "error",
    "no `*|UPDATE_PROFILE|*` link for readers to change their preferences",
    'keep the footer of `templates/email.mjml.j2`, or add `<a href="*|UPDATE_PROFILE|*">`',
)
def update_profile_link(ctx: CheckContext) -> Iterator[Hit]:
    """Readers who chose topics or lists must be able to change them (UK PECR, Mailchimp)."""
    yield from _missing_tag(ctx, "*|UPDATE_PROFILE|*", "update-your-preferences link")


@rule(
    "postal-address",
    "error",
    "a line of the publication's postal address missing from the email's footer",
    "keep `pub.footer.address` in the footer of your `templates/email.mjml.j2` and `email.txt.j2`",
)
def postal_address(ctx: CheckContext) -> Iterator[Hit]:
    """Mailchimp's terms and anti-spam law require the sender's postal address in every email."""
    parts = (
        ("HTML", _words(htmllib.unescape(re.sub(r"<[^>]+>", " ", ctx.html)))),
        ("plain-text part", _words(ctx.rendered.text)),
    )
    for i, line in enumerate(ctx.bulletin.publication.footer.address):
        for part, content in parts:
            if _words(line) not in content:
                yield Hit(
                    f"address line {line!r} is not in the {part}",
                    ("footer", "address", i),
                    source=ctx.bulletin.publication_source,
                )


def _words(text: str) -> str:
    return " ".join(text.split())


@rule(
    "preview-text",
    "warning",
    "preview text that repeats the subject (the inbox shows both, side by side)",
    "use the preview for what the subject leaves out: the issue's highlights",
)
def preview_text(ctx: CheckContext) -> Iterator[Hit]:
    """Inboxes show the preview right after the subject: repeating it wastes that space."""
    subject, preview = _plain(ctx.bulletin.issue.subject), _plain(ctx.bulletin.issue.preview)
    if subject and preview.startswith(subject):
        same = "is the same as" if preview == subject else "starts by repeating"
        yield Hit(f"preview text {same} the subject ({ctx.bulletin.issue.subject!r})", ("preview",))


def _plain(text: str) -> str:
    return _words(text).casefold().rstrip(".!:;,- ")


@rule(
    "subject-length",
    "warning",
    f"a subject line over {SUBJECT_SHOWN} characters (most inboxes cut it)",
    f"put what matters in the first {SUBJECT_SHOWN} characters, or shorten the subject",
)
def subject_length(ctx: CheckContext) -> Iterator[Hit]:
    subject = ctx.bulletin.issue.subject
    if len(subject) > SUBJECT_SHOWN:
        yield Hit(
            f"subject is {len(subject)} characters; most inboxes show only "
            f"{subject[:SUBJECT_SHOWN]!r}",
            ("subject",),
        )


@rule(
    "sender-identity",
    "error",
    "a no-reply reply-to address, or a from name that is empty or just an e-mail address",
    "set `sender` in the publication: the partnership's name, and an inbox that is read",
)
def sender(ctx: CheckContext) -> Iterator[Hit]:
    """Readers reply to a bulletin and judge it by its sender; a no-reply address bounces them
    and a bare address looks like spam (Mailchimp advises against both)."""
    name, reply_to = (
        ctx.bulletin.publication.sender.from_name,
        ctx.bulletin.publication.sender.reply_to,
    )
    publication = ctx.bulletin.publication_source
    if _NO_REPLY.match(reply_to.partition("@")[0]):
        yield Hit(
            f"reply-to {reply_to!r} is a no-reply address", ("sender", "reply_to"), publication
        )
    if not name.strip():
        yield Hit("from name is empty", ("sender", "from_name"), publication)
    elif _EMAIL_LIKE.fullmatch(name.strip()):
        yield Hit(
            f"from name {name!r} is an e-mail address, not a name",
            ("sender", "from_name"),
            publication,
        )


RULES = [
    unsubscribe_link,
    update_profile_link,
    postal_address,
    preview_text,
    subject_length,
    sender,
]
