"""audiences.yaml: validated with the same FILE:LINE:COL errors as issues; merge fields read."""

from pathlib import Path

import pytest
from conftest import REPO

from bulletin.audiences import DEFAULT_MERGE_FIELDS, load_audiences, merge_tags_for
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
    assert merge_tags_for(tmp_path, "test") == {*DEFAULT_MERGE_FIELDS, "ORG"}
    assert merge_tags_for(tmp_path, "other") == set(DEFAULT_MERGE_FIELDS)


def test_no_file_means_mailchimp_defaults(tmp_path: Path):
    assert load_audiences(tmp_path) is None
    assert merge_tags_for(tmp_path, "test") == set(DEFAULT_MERGE_FIELDS)


def test_errors_name_file_line_and_field(tmp_path: Path):
    path = tmp_path / "audiences.yaml"
    path.write_text(
        GOOD.replace("list_id: 0123456789", "list_id: NOT-AN-ID").replace("tag: ORG", "tag: org")
    )
    with pytest.raises(ContentError) as info:
        load_audiences(tmp_path)
    found = [(p.line, p.field) for p in info.value.problems]
    assert found == [(3, "audiences[0].list_id"), (6, "audiences[0].merge_fields[0].tag")]
