"""`bulletin audiences sync` against the fake Mailchimp: creates, renames, reports, prunes, and
changes nothing the second time."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from support.audiences import LIST_ID, OTHER_LIST_ID, audience, client

from bulletin.audiences.sync import sync
from bulletin.cli import main
from bulletin.document.audiences import load_audiences


def lists_of(fake):
    fake.seed_list("Partners", list_id=LIST_ID)
    fake.seed_list("Health", list_id=OTHER_LIST_ID)


def run_sync(fake, root: Path, **options):
    loaded = load_audiences(root)
    assert loaded is not None
    return sync(client(fake), loaded.audiences, root, **options)


def groups_of(fake, list_id: str = LIST_ID) -> dict[str, list[str]]:
    with fake.lock:
        return {
            c.title: [i.name for i in c.interests.values()]
            for c in fake.state.lists[list_id].categories.values()
        }


def rename(root: Path, old: str, new: str) -> None:
    path = root / "audiences.yaml"
    path.write_text(path.read_text().replace(old, new, 1))


def test_sync_creates_what_is_missing_then_changes_nothing(fake_mailchimp, root: Path):
    lists_of(fake_mailchimp)
    result = run_sync(fake_mailchimp, root)
    assert groups_of(fake_mailchimp) == {
        "Topics": ["Children's safeguarding", "Adult safeguarding", "Training and events"],
        "Role": ["Designated safeguarding lead", "Manager"],
    }
    with fake_mailchimp.lock:
        partners = fake_mailchimp.state.lists[LIST_ID]
        segments = {s.name: s.type for s in partners.segments.values()}
        assert "ORG" in partners.merge_fields
    assert segments == {"Schools DSLs": "static", "Health": "static", "Social care": "saved"}
    assert "partners: create interest group 'Manager' in 'Role'" in result.lines
    # partners: ORG, 2 categories, 5 groups, 2 tags, 1 saved segment; health: ORG, 1 and 1
    assert result.changes == fake_mailchimp.write_calls() == 11 + 3

    before = fake_mailchimp.write_calls()
    again = run_sync(fake_mailchimp, root)
    assert fake_mailchimp.write_calls() == before, "a second sync must not write"
    assert again.changes == 0
    assert again.lines == ["partners: nothing to change", "health: nothing to change"]


def test_dry_run_writes_nothing_and_says_what_it_would_do(fake_mailchimp, root: Path):
    lists_of(fake_mailchimp)
    result = run_sync(fake_mailchimp, root, dry_run=True)
    assert fake_mailchimp.write_calls() == 0
    assert "partners: would create interest category 'Topics' (checkboxes)" in result.lines
    assert "partners: would create tag 'Schools DSLs'" in result.lines
    assert groups_of(fake_mailchimp) == {}
    assert not (root / ".bulletin" / "sync-ids.json").exists()


def test_extras_are_reported_and_removed_only_with_prune(fake_mailchimp, root: Path):
    lists_of(fake_mailchimp)
    run_sync(fake_mailchimp, root)
    with fake_mailchimp.lock:
        fake_mailchimp.state.ensure_tag(fake_mailchimp.state.lists[LIST_ID], "Made by hand")
    sdk = fake_mailchimp.client()
    topics = next(c for c in sdk.lists.get_list_interest_categories(LIST_ID)["categories"])
    sdk.lists.create_interest_category_interest(LIST_ID, topics["id"], {"name": "Old group"})

    before = fake_mailchimp.write_calls()
    result = run_sync(fake_mailchimp, root)
    assert fake_mailchimp.write_calls() == before
    assert result.extras == 2
    assert (
        "partners: extra in Mailchimp: interest group 'Old group' in 'Topics' "
        "(--prune removes it)" in result.lines
    )
    assert "partners: extra in Mailchimp: tag 'Made by hand' (--prune removes it)" in result.lines

    pruned = run_sync(fake_mailchimp, root, prune=True)
    assert "partners: remove interest group 'Old group' in 'Topics'" in pruned.lines
    assert "Old group" not in groups_of(fake_mailchimp)["Topics"]
    with fake_mailchimp.lock:
        assert fake_mailchimp.state.lists[LIST_ID].tag("Made by hand") is None


def test_a_renamed_group_is_renamed_not_duplicated(fake_mailchimp, root: Path):
    lists_of(fake_mailchimp)
    run_sync(fake_mailchimp, root)
    adult = fake_mailchimp.interest_id(LIST_ID, "Topics", "Adult safeguarding")
    with fake_mailchimp.lock:  # a reader who chose the group keeps it through the rename
        fake_mailchimp.state.add_member(
            fake_mailchimp.state.lists[LIST_ID],
            {"email": "reader@example.org", "interests": {"Topics": ["Adult safeguarding"]}},
        )

    rename(root, "Adult safeguarding", "Safeguarding adults")
    preview = run_sync(fake_mailchimp, root, dry_run=True)
    expected = "rename interest group 'Adult safeguarding' to 'Safeguarding adults' in 'Topics'"
    assert f"partners: would {expected}" in preview.lines
    before = fake_mailchimp.write_calls()
    result = run_sync(fake_mailchimp, root)
    assert f"partners: {expected}" in result.lines
    assert fake_mailchimp.write_calls() == before + 1
    assert groups_of(fake_mailchimp)["Topics"] == [
        "Children's safeguarding",
        "Safeguarding adults",
        "Training and events",
    ]
    assert fake_mailchimp.interest_id(LIST_ID, "Topics", "Safeguarding adults") == adult
    assert fake_mailchimp.member(LIST_ID, "reader@example.org").interests[adult] is True

    # Categories and tags are renamed the same way.
    rename(root, "category: Role", "category: Your role")
    rename(root, "Schools DSLs", "School DSLs")
    result = run_sync(fake_mailchimp, root)
    assert "partners: rename interest category 'Role' to 'Your role'" in result.lines
    assert "partners: rename tag 'Schools DSLs' to 'School DSLs'" in result.lines
    assert list(groups_of(fake_mailchimp)) == ["Topics", "Your role"]


def test_an_id_in_audiences_yaml_renames_without_any_record(fake_mailchimp, root: Path):
    lists_of(fake_mailchimp)
    run_sync(fake_mailchimp, root)
    (root / ".bulletin" / "sync-ids.json").unlink()  # another computer: no record
    manager = fake_mailchimp.interest_id(LIST_ID, "Role", "Manager")
    rename(root, "Manager]", f"{{name: Service manager, id: {manager}}}]")
    result = run_sync(fake_mailchimp, root)
    assert "partners: rename interest group 'Manager' to 'Service manager' in 'Role'" in (
        result.lines
    )
    assert groups_of(fake_mailchimp)["Role"] == ["Designated safeguarding lead", "Service manager"]


def test_two_renames_at_once_are_not_guessed(fake_mailchimp, root: Path):
    lists_of(fake_mailchimp)
    run_sync(fake_mailchimp, root)
    rename(root, "Children's safeguarding, Adult safeguarding", "Children, Adults")
    before = fake_mailchimp.write_calls()
    result = run_sync(fake_mailchimp, root)
    assert fake_mailchimp.write_calls() == before, "nothing created beside the old groups"
    assert result.unsure == 2
    assert any("to rename, give the entry the old one's id" in line for line in result.lines)
    assert len(groups_of(fake_mailchimp)["Topics"]) == 3


def test_the_command_reports_and_exits(fake_mailchimp, root: Path, monkeypatch):
    lists_of(fake_mailchimp)
    monkeypatch.chdir(root)
    monkeypatch.setenv("MAILCHIMP_API_KEY", fake_mailchimp.api_key)
    monkeypatch.setenv("MAILCHIMP_BASE_URL", fake_mailchimp.url)
    result = CliRunner().invoke(main, ["audiences", "sync", "--dry-run", "health"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "health: would create merge field ORG ('Organisation', text)",
        "health: would create interest category 'Topics' (checkboxes)",
        "health: would create interest group 'Children's safeguarding' in 'Topics'",
        "3 changes to make, 0 extras in Mailchimp kept",
    ]
    result = CliRunner().invoke(main, ["audiences", "sync", "nobody"])
    assert result.exit_code == 1
    assert "audiences.yaml has no audience 'nobody'" in result.output
    assert fake_mailchimp.write_calls() == 0
    assert audience(root, "health").double_opt_in is False
