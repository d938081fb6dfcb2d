"""Sections for some readers: each `for_groups` must name groups Mailchimp has.

Mailchimp silently drops an `*|INTERESTED:...|*` block that names a group the audience does
not have, so a mistyped group hides the section from everyone. The groups are checked against
every audience of the issue's publication in audiences.yaml, which `bulletin audiences sync`
keeps Mailchimp in line with.
"""

from __future__ import annotations

from collections.abc import Iterator

from bulletin.checks.context import CheckContext
from bulletin.checks.rules import Hit, rule
from bulletin.compose.interest_blocks import resolve


@rule(
    "audience-group-unknown",
    "error",
    "a section's `for_groups` naming a preference group that `audiences.yaml` does not define "
    "for the publication, one that two categories share, or groups of two categories "
    "(Mailchimp drops such a block silently, hiding the section from everyone)",
    "use a group of `audiences.yaml` (as `Group` or `Category:Group`), or add it there and run "
    "`bulletin audiences sync`",
)
def audience_group_unknown(ctx: CheckContext) -> Iterator[Hit]:
    """Each section's groups, resolved as the renderer resolves them."""
    sections = [(index, s) for index, s in enumerate(ctx.bulletin.issue.sections) if s.for_groups]
    if not sections:
        return
    audiences = ctx.bulletin.readers
    for index, section in sections:
        loc = ("sections", index, "for_groups")
        for position, name in enumerate(section.for_groups):
            try:
                resolve(audiences, [name])
            except LookupError as err:
                yield Hit(str(err), (*loc, position))
                break
        else:
            try:
                resolve(audiences, section.for_groups)
            except LookupError as err:
                yield Hit(str(err), loc)


RULES = [audience_group_unknown]
