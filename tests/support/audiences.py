"""Helpers for the audience tests: a project with its audiences.yaml, a client for the fake."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from bulletin.audiences.member_import import ImportSummary, import_members
from bulletin.document.audiences import Audience, load_audiences
from bulletin.mailchimp.client import Config, Mailchimp

LIST_ID = "0a1b2c3d4e"
OTHER_LIST_ID = "5f6a7b8c9d"

AUDIENCES = """\
audiences:
  - name: partners
    list_id: 0a1b2c3d4e
    publication: test
    double_opt_in: true
    merge_fields:
      - {tag: ORG, name: Organisation}
    partner_lists:
      - {name: Schools DSLs, kind: tag}
      - {name: Health, kind: tag}
      - name: Social care
        kind: segment
        conditions:
          - {condition_type: TextMerge, field: ORG, op: contains, value: social care}
    interests:
      - category: Topics
        groups: [Children's safeguarding, Adult safeguarding, Training and events]
      - category: Role
        groups: [Designated safeguarding lead, Manager]
  - name: health
    list_id: 5f6a7b8c9d
    publication: other
    double_opt_in: false
    merge_fields:
      - {tag: ORG, name: Organisation}
    interests:
      - category: Topics
        groups: [Children's safeguarding]
"""

HEADER = ["Email", "First name", "Last name", "Organisation", "Preferences", "Consent"]


def make_project(root: Path, text: str = AUDIENCES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "audiences.yaml").write_text(text, encoding="utf-8")
    return root


def audience(root: Path, name: str = "partners") -> Audience:
    loaded = load_audiences(root)
    assert loaded is not None
    return loaded.get(name)


def client(fake: Any) -> Mailchimp:
    return Mailchimp(
        Config.from_env({"MAILCHIMP_API_KEY": fake.api_key, "MAILCHIMP_BASE_URL": fake.url}),
        sleep=lambda _: None,
    )


def seed_synced(fake: Any, **kwargs: Any) -> Any:
    """The `partners` list as `bulletin audiences sync` leaves it, with the members given."""
    return fake.seed_list(
        "Partners",
        list_id=LIST_ID,
        merge_fields=[{"tag": "ORG", "name": "Organisation"}],
        interest_categories={
            "Topics": ["Children's safeguarding", "Adult safeguarding", "Training and events"],
            "Role": ["Designated safeguarding lead", "Manager"],
        },
        tags=["Schools DSLs", "Health"],
        double_optin=True,
        **kwargs,
    )


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_import(
    fake: Any, root: Path, rows: list[list[str]], name: str = "partners", **options: Any
) -> ImportSummary:
    """Import `rows` as members.csv into the named audience of the fake Mailchimp."""
    path = write_csv(root / "members.csv", rows)
    return import_members(client(fake), audience(root, name), path, root, **options)
