"""Each section's links, for clicks per section, in an issue with parts: a part that only
ends a part renders nothing and holds no link; every other section keeps its own."""

from pathlib import Path

from support.issues import write_issue

from bulletin.document.issue import load_bulletin
from bulletin.reports.links import link_map

SECTIONS = """\
  - type: article
    heading: Before the parts
    body: See [the strategy](https://www.test-partnership.org.uk/strategy/).
  - type: part
    heading: Children
  - type: notice
    body: See [the children's pages](https://www.test-partnership.org.uk/children/).
  - type: part
  - type: notice
    body: See [the training](https://www.test-partnership.org.uk/training/).
"""


def test_sections_in_parts_keep_their_links(project: Path):
    found = link_map(load_bulletin(write_issue(project, SECTIONS)))
    assert [(s.index, s.type, s.urls) for s in found.sections] == [
        (1, "article", ("https://www.test-partnership.org.uk/strategy/",)),
        (2, "part", ()),
        (3, "notice", ("https://www.test-partnership.org.uk/children/",)),
        (4, "part", ()),
        (5, "notice", ("https://www.test-partnership.org.uk/training/",)),
    ]
    assert found.holders("https://www.test-partnership.org.uk/training/") == [5]
