"""audiences.yaml: validated with the same FILE:LINE:COL errors as issues; merge fields read."""

from pathlib import Path

import pytest
from support.paths import REPO

from bulletin.document.audiences import DEFAULT_MERGE_FIELDS, load_audiences, merge_tags_for
from bulletin.errors import ContentError

GOOD = """\
audiences:
  - name: test-partners
    list_id: 0123456789
    publication: test
    merge_fields:
      - {tag: ORG, name: Organisation}
    interests:
      - category: Topics
        groups: [Children's safeguarding]
"""


def test_the_repository_audiences_file_is_valid():
    audiences = load_audiences(REPO)
    assert audiences is not None
    assert {a.publication for a in audiences.audiences} == {"wscp", "herefordshire"}


def test_merge_tags_are_the_defaults_plus_the_audience_fields(tmp_path: Path):
    (tmp_path / "audiences.yaml").write_text(GOOD)
    assert merge_tags_for(load_audiences(tmp_path), "test") == {*DEFAULT_MERGE_FIELDS, "ORG"}
    assert merge_tags_for(load_audiences(tmp_path), "other") == set(DEFAULT_MERGE_FIELDS)


def test_no_file_means_mailchimp_defaults(tmp_path: Path):
    assert load_audiences(tmp_path) is None
    assert merge_tags_for(load_audiences(tmp_path), "test") == set(DEFAULT_MERGE_FIELDS)


def test_errors_name_file_line_and_field(tmp_path: Path):
    path = tmp_path / "audiences.yaml"
    path.write_text(
        GOOD.replace("list_id: 0123456789", "list_id: NOT-AN-ID").replace("tag: ORG", "tag: org")
    )
    with pytest.raises(ContentError) as info:
        load_audiences(tmp_path)
    found = [(p.line, p.field) for p in info.value.problems]
    assert found == [(3, "audiences[0].list_id"), (6, "audiences[0].merge_fields[0].tag")]


def _problems(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    (tmp_path / "audiences.yaml").write_text(text)
    with pytest.raises(ContentError) as info:
        load_audiences(tmp_path)
    return [(p.line, p.field, p.message) for p in info.value.problems]


def test_names_used_twice_are_errors_at_the_second_one(tmp_path: Path):
    text = """\
audiences:
  - name: a
    list_id: 0123456789
    publication: test
    partner_lists:
      - {name: Health, kind: tag}
      - {name: Health, kind: segment}
    interests:
      - category: Topics
        groups: [Children, Adults, Children]
      - category: Topics
        groups: [Other]
"""
    found = _problems(tmp_path, text)
    assert [(line, field) for line, field, _ in found] == [
        (7, "audiences[0].partner_lists[1].name"),
        (10, "audiences[0].interests[0].groups[2]"),
        (11, "audiences[0].interests[1].category"),
    ]
    assert "partner list 'Health' appears twice (first at line 6)" in found[0][2]
    assert "group 'Children' appears twice" in found[1][2]


def test_more_than_60_groups_and_reserved_characters(tmp_path: Path):
    groups = ", ".join(f"Group {n}" for n in range(61))
    text = GOOD.replace("[Children's safeguarding]", f"[{groups}]")
    found = _problems(tmp_path, text)
    assert found[0][:2] == (8, "audiences[0].interests")
    assert "61 interest groups: Mailchimp allows 60" in found[0][2]

    text = GOOD.replace("[Children's safeguarding]", "['Training & events']")
    ((line, field, message),) = _problems(tmp_path, text)
    assert (line, field) == (9, "audiences[0].interests[0].groups[0].name")
    assert "'&' cannot be used" in message


def test_groups_may_carry_their_mailchimp_id(tmp_path: Path):
    text = GOOD.replace(
        "groups: [Children's safeguarding]",
        "id: 1a2b3c4d5e\n        groups:\n          - Children's safeguarding\n"
        "          - {name: Adult safeguarding, id: 0f0f0f0f0f}",
    )
    (tmp_path / "audiences.yaml").write_text(text)
    audiences = load_audiences(tmp_path)
    assert audiences is not None
    category = audiences.audiences[0].interests[0]
    assert category.id == "1a2b3c4d5e"
    assert [(g.name, g.id) for g in category.groups] == [
        ("Children's safeguarding", None),
        ("Adult safeguarding", "0f0f0f0f0f"),
    ]


def test_conditions_belong_to_saved_segments_only(tmp_path: Path):
    text = GOOD + "    partner_lists:\n      - {name: Health, conditions: [{op: is}]}\n"
    ((_, field, message),) = _problems(tmp_path, text)
    assert field == "audiences[0].partner_lists[0]"
    assert "only a partner list of kind 'segment' has conditions" in message


def test_find_group_by_name_or_category_and_name(tmp_path: Path):
    text = GOOD.replace(
        "groups: [Children's safeguarding]",
        "groups: [Children's safeguarding, Training]\n"
        "      - category: Role\n        groups: [Training, Manager]",
    )
    (tmp_path / "audiences.yaml").write_text(text)
    audiences = load_audiences(tmp_path)
    assert audiences is not None
    audience = audiences.get("test-partners")
    category, group = audience.find_group("Manager")
    assert (category.category, group.name) == ("Role", "Manager")
    category, group = audience.find_group("Topics:Training")
    assert (category.category, group.name) == ("Topics", "Training")
    with pytest.raises(LookupError, match="write 'Topics:Training' or 'Role:Training'"):
        audience.find_group("Training")
    with pytest.raises(LookupError, match="did you mean 'Manager'"):
        audience.find_group("Managers")
    with pytest.raises(LookupError, match=r"no interest category 'Topic' .*did you mean 'Topics'"):
        audience.find_group("Topic:Training")
