"""Checks: links. (Rules are added here; each is a small function made a Rule by @rule.)"""

from __future__ import annotations

from bulletin.checks.rules import Rule

RULES: list[Rule] = []
