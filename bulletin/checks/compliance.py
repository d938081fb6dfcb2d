"""What Mailchimp and the law require of every campaign: a way out, an address, a sender."""

from __future__ import annotations

from collections.abc import Iterator

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Hit, rule


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


RULES = [unsubscribe_link]
