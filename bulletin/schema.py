"""The JSON Schema of the issue format, so editors complete and flag fields as you type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bulletin.project import BUILTIN_ROOT, find_root, load_project


def issue_schema(issue: Path | None = None) -> dict[str, Any]:
    """Schema for issues of `issue`'s project (its own section types too), else the built-ins."""
    root = find_root(issue) if issue else _root_near(Path.cwd())
    schema = load_project(root).issue_model.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "bulletin issue"
    return schema


def _root_near(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if (candidate / "publications").is_dir():
            return candidate
    return BUILTIN_ROOT
