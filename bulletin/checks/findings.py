"""Findings as people and programs read them: compiler-style lines, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bulletin.checks.rules import Rule
from bulletin.errors import Problem


def summary(problems: Sequence[Problem]) -> str:
    """`3 problems (1 error, 2 warnings)`."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "no problems"
    parts = [_count(errors, "error")] if errors else []
    parts += [_count(warnings, "warning")] if warnings else []
    return f"{_count(len(problems), 'problem')} ({', '.join(parts)})"


def as_text(problems: Sequence[Problem]) -> str:
    return "\n".join([*(str(p) for p in problems), summary(problems)])


def as_json(problems: Sequence[Problem]) -> str:
    rows = [
        {
            "severity": p.severity,
            "rule": p.rule or "invalid",
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "field": p.field,
            "message": p.message,
        }
        for p in problems
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def rules_table(rules: Sequence[Rule]) -> str:
    """The README's table of check rules, generated so the two never drift apart."""
    rows = ["| rule | severity | catches | how to fix |", "| --- | --- | --- | --- |"]
    for r in rules:
        cells = (
            f"`{r.id}`",
            r.severity + (" (with `--online`)" if r.online else ""),
            r.catches,
            r.fix,
        )
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)
