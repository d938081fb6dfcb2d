"""The JSON Schema of the issue format, so editors complete and flag fields as you type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bulletin.document.project import (
    BUILTIN_ROOT,
    Project,
    find_root,
    load_project,
    nearest_root,
)


def project_of(issue: Path | None = None) -> Project:
    """`issue`'s project (its own section types too), else the one here, else the built-ins."""
    return load_project(find_root(issue) if issue else nearest_root(Path.cwd()) or BUILTIN_ROOT)


def issue_schema(issue: Path | None = None) -> dict[str, Any]:
    """Schema for issues of `issue`'s project (its own section types too), else the built-ins."""
    return project_schema(project_of(issue))


def project_schema(project: Project) -> dict[str, Any]:
    schema = _readable_names(project.issue_model.model_json_schema())
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "bulletin issue"
    return schema


def _readable_names(schema: dict[str, Any]) -> dict[str, Any]:
    """`bulletin_sections__events_1a2b3c4d__Section` -> `EventsSection` in definitions."""

    def name(match: re.Match[str]) -> str:
        return match[1].title().replace("_", "") + match[2]

    text = re.sub(r"bulletin_sections__([a-z0-9_]+?)_[0-9a-f]{8}__(\w+)", name, json.dumps(schema))
    result: dict[str, Any] = json.loads(text)
    return result
