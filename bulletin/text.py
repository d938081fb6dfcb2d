"""The plain-text part, built from the models through each section's text template."""

from __future__ import annotations

import re

from bulletin import templating
from bulletin.project import Bulletin


def render_text(bulletin: Bulletin) -> str:
    env = templating.environment(bulletin.project.search_path, "txt")
    context = {"issue": bulletin.issue, "pub": bulletin.publication}
    blocks = [
        templating.render(env, f"sections/{s.type}/email.txt.j2", section=s, **context).strip()
        for s in bulletin.issue.sections
    ]
    text = templating.render(env, "templates/email.txt.j2", blocks=blocks, **context)
    return tidy(text)


def tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
