"""Helpers for the report tests: an audience of known people, the example issue sent to them,
and exact activity whose every figure the tests work out by hand."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.document.issue import load_bulletin
from bulletin.reports.links import link_map
from support.campaigns import LIST_ID, dispatcher, payload

TAGS = ["Schools DSLs", "Health", "Police", "Voluntary sector"]
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def people() -> list[dict[str, Any]]:
    """20 readers: School A (6), NHS Trust (5, two spellings), Tiny Charity (4), West Mercia
    Police (3), and 2 who gave no organisation."""
    found: list[dict[str, Any]] = []

    def add(prefix: str, count: int, org: str | list[str], tag: str | None) -> None:
        for n in range(1, count + 1):
            name = org if isinstance(org, str) else org[n - 1]
            found.append(
                {
                    "email": f"{prefix}{n}@reader.example",
                    "merge_fields": {"ORG": name} if name else {},
                    "tags": [tag] if tag else [],
                }
            )

    add("a", 6, "School A", "Schools DSLs")
    add("n", 5, ["NHS Trust", "NHS Trust", "nhs  trust ", "NHS Trust", "NHS Trust"], "Health")
    add("t", 4, "Tiny Charity", "Voluntary sector")
    add("p", 3, "West Mercia Police", "Police")
    add("x", 2, "", None)
    return found


def seed_readers(fake: Any, extra: list[dict[str, Any]] | None = None) -> None:
    fake.seed_list(
        "WSCP partners",
        list_id=LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        tags=TAGS,
        members=[*people(), *(extra or [])],
    )


@dataclass
class Sent:
    campaign_id: str
    urls: list[str]  # the first link of sections 1, 2 and 3


def send(fake: Any, issue: Path) -> Sent:
    """Push the issue and send its campaign now; the first link of each of its first sections."""
    pushed = dispatcher(fake, issue).push(payload(issue))
    campaign_id = pushed.campaign["id"]
    fake.client().campaigns.send(campaign_id)
    sections = link_map(load_bulletin(issue)).sections
    return Sent(campaign_id, [s.urls[0] for s in sections[:3]])


def exact_activity(fake: Any, sent: Sent) -> None:
    """The activity the figures in the tests come from (see test_issue_report.py)."""
    u1, u2, u3 = sent.urls
    fake.set_activity(
        sent.campaign_id,
        opens={"a1@reader.example": 2, "a2@reader.example": 1, "a3@reader.example": 1,
               "n1@reader.example": 1, "t1@reader.example": 3, "p1@reader.example": 1},
        clicks={"a1@reader.example": [u1, u1, u2], "a2@reader.example": [u2],
                "n1@reader.example": [u3], "t1@reader.example": [u1]},
        bounces={"p3@reader.example": "hard", "t4@reader.example": "soft"},
        unsubscribes=["a6@reader.example"],
        abuse=["n5@reader.example"],
    )  # fmt: skip


def addresses() -> list[str]:
    return [p["email"] for p in people()]


def track(issue: Path, setting: str) -> None:
    """Set the `tracking` of the issue's publication, e.g. "{opens: false}"."""
    publication = issue.parent.parent / "publications" / "wscp.yaml"
    text = publication.read_text(encoding="utf-8").split("\ntracking:")[0]
    publication.write_text(f"{text.rstrip()}\ntracking: {setting}\n", encoding="utf-8")
