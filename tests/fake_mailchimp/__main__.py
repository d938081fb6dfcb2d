"""Run the fake Mailchimp by hand, e.g. to try `bulletin push` against it.

    .venv/bin/python tests/fake_mailchimp --audiences audiences.yaml --port 8780

It seeds each audience of audiences.yaml (list id, merge fields, interest groups, partner lists
of kind `tag`) with a few subscribed members, prints the two environment variables to set, and
logs each request with its answer and any violation. Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a folder: python tests/fake_mailchimp
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "fake_mailchimp"

import yaml

from fake_mailchimp.server import API_KEY, FakeMailchimp, RequestRecord


def seed(fake: FakeMailchimp, path: Path, members: int) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for audience in data.get("audiences", []):
        tags = [p["name"] for p in audience.get("partner_lists", []) if p.get("kind") == "tag"]
        categories = {i["category"]: i.get("groups", []) for i in audience.get("interests", [])}
        groups = [(c, g) for c, gs in categories.items() for g in gs]
        people: list[dict[str, Any]] = []
        for n in range(members):
            person: dict[str, Any] = {"email": f"reader{n + 1}@{audience['name']}.example"}
            if tags:
                person["tags"] = [tags[n % len(tags)]]
            if groups:
                category, group = groups[n % len(groups)]
                person["interests"] = {category: [group]}
            people.append(person)
        fake.seed_list(
            audience["name"],
            list_id=str(audience["list_id"]),
            merge_fields=[
                {"tag": f["tag"], "name": f.get("name", f["tag"])}
                for f in audience.get("merge_fields", [])
                if f["tag"] not in ("FNAME", "LNAME")
            ],
            interest_categories=categories,
            tags=tags,
            members=people,
            double_optin=bool(audience.get("double_opt_in", False)),
        )
        print(f"  audience {audience['name']} ({audience['list_id']}): {members} members")


def main() -> None:
    parser = argparse.ArgumentParser(prog="fake_mailchimp", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8780)
    parser.add_argument("--api-key", default=API_KEY)
    parser.add_argument("--audiences", type=Path, help="seed the audiences of this audiences.yaml")
    parser.add_argument("--members", type=int, default=5, help="subscribed members per audience")
    args = parser.parse_args()

    fake = FakeMailchimp(args.api_key, port=args.port)
    seen = 0

    def log(record: RequestRecord) -> None:
        nonlocal seen
        answer = record.status if record.status is not None else "no answer"
        fault = f" [fault: {record.fault}]" if record.fault else ""
        print(f"{record.method} {record.path} -> {answer}{fault}", flush=True)
        for violation in fake.violations[seen:]:
            print(f"  VIOLATION {violation}", flush=True)
        seen = len(fake.violations)

    fake.on_request = log
    if args.audiences:
        seed(fake, args.audiences, args.members)
    fake.start()
    print(f"fake Mailchimp on {fake.url}")
    print(f"  export MAILCHIMP_BASE_URL={fake.url}")
    print(f"  export MAILCHIMP_API_KEY={fake.api_key}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
        print(f"{len(fake.requests)} requests, {len(fake.violations)} violations")


if __name__ == "__main__":
    main()
