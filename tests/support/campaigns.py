"""Helpers for the dispatch tests: a project with the WSCP example, a seeded fake, a dispatcher."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bulletin.campaigns.ledger import Ledger
from bulletin.campaigns.push import Dispatcher
from bulletin.campaigns.wanted import WantedCampaign, wanted_campaign
from bulletin.mailchimp.client import Config, Mailchimp
from support.paths import REPO

EXAMPLE = "wscp-2020-12.yaml"
LIST_ID = "0a1b2c3d4e"  # wscp-partners in audiences.yaml
SUBSCRIBED = ["dsl@school.example", "nurse@nhs.example", "officer@police.example"]


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing on the way catches it."""


def make_project(tmp_path: Path) -> Path:
    """A project with the real publications and audiences.yaml; returns the example issue."""
    root = tmp_path / "project"
    (root / "issues").mkdir(parents=True)
    shutil.copytree(REPO / "publications", root / "publications")
    shutil.copy(REPO / "audiences.yaml", root / "audiences.yaml")
    return Path(shutil.copy(REPO / "examples" / EXAMPLE, root / "issues" / EXAMPLE))


def seed(fake: Any) -> None:
    """The example audience's list, with three subscribed readers and one who left."""
    fake.seed_list(
        "WSCP partners",
        list_id=LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        members=[*SUBSCRIBED, {"email": "gone@example.org", "status": "unsubscribed"}],
    )


def client(fake: Any, **kwargs: Any) -> Mailchimp:
    delays: list[float] = []
    mc = Mailchimp(Config(fake.api_key, "us19", fake.url, timeout=5), sleep=delays.append, **kwargs)
    mc.delays = delays  # type: ignore[attr-defined]
    return mc


def dispatcher(fake: Any, issue: Path, **kwargs: Any) -> Dispatcher:
    """A fresh dispatcher, as a new run of the command would make, on the issue's ledger; an
    unanswered step is read back for 0.3 s (not the commands' three timeouts)."""
    kwargs.setdefault("settle", 0.3)
    return Dispatcher(client(fake), Ledger.at(issue.parent.parent), **kwargs)


def payload(issue: Path, **kwargs: Any) -> WantedCampaign:
    return wanted_campaign(issue, **kwargs)


def edit(issue: Path, old: str, new: str) -> None:
    text = issue.read_text(encoding="utf-8")
    assert old in text, old
    issue.write_text(text.replace(old, new, 1), encoding="utf-8")


def campaigns(fake: Any) -> list[Any]:
    with fake.lock:
        return list(fake.state.campaigns.values())


def only_campaign(fake: Any, issue: Path) -> Any:
    """Exactly one campaign, holding the issue as it is now: the end state every run must reach."""
    found = campaigns(fake)
    assert len(found) == 1, [c.id for c in found]
    want = wanted_campaign(issue)
    campaign = found[0]
    assert campaign.html == want.html
    assert campaign.plain_text == want.text
    assert campaign.settings["subject_line"] == want.settings["subject_line"]
    assert campaign.settings["title"] == want.title
    assert campaign.recipients["list_id"] == LIST_ID
    return campaign


def env(fake: Any) -> dict[str, str]:
    return {"MAILCHIMP_API_KEY": fake.api_key, "MAILCHIMP_BASE_URL": fake.url}
