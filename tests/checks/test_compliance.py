"""Compliance checks: unsubscribe and preferences links, address, subject, preview, sender."""

from dataclasses import replace
from pathlib import Path

import pytest
from support.checking import checked, checked_rendered, found, html_edit, where

from bulletin.compose.render import Rendered

ARTICLE = "  - type: article\n    heading: Hello\n    body: World\n"


def text_edit(old: str, new: str):
    def edit(rendered: Rendered) -> Rendered:
        assert old in rendered.text, old
        return replace(rendered, text=rendered.text.replace(old, new))

    return edit


def edit_publication(project: Path, old: str, new: str) -> None:
    path = project / "publications" / "test.yaml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_the_built_in_footer_passes_every_compliance_rule(project: Path):
    rules = ("unsubscribe-link", "update-profile-link", "postal-address", "sender-identity")
    assert [p for p in checked(project, ARTICLE) if p.rule in rules] == []


@pytest.mark.parametrize(
    ("rule", "tag", "what"),
    [
        ("unsubscribe-link", "*|UNSUB|*", "unsubscribe link"),
        ("update-profile-link", "*|UPDATE_PROFILE|*", "update-your-preferences link"),
    ],
)
def test_a_footer_without_the_mailchimp_link_is_an_error(
    project: Path, rule: str, tag: str, what: str
):
    problems = found(checked_rendered(project, ARTICLE, html_edit(tag, "#")), rule)
    assert where(problems) == [("issue.yaml", 1, "", f"no {tag} {what} in the HTML")]
    assert problems[0].severity == "error"
    problems = found(checked_rendered(project, ARTICLE, text_edit(tag, "")), rule)
    assert where(problems) == [("issue.yaml", 1, "", f"no {tag} {what} in the plain-text part")]


def test_an_address_line_missing_from_the_footer_is_found_in_the_publication(project: Path):
    problems = found(
        checked_rendered(project, ARTICLE, html_edit("High Street<br>", "")), "postal-address"
    )
    assert where(problems) == [
        ("test.yaml", 9, "footer.address[1]", "address line 'High Street' is not in the HTML")
    ]
    assert problems[0].severity == "error"
    problems = found(
        checked_rendered(project, ARTICLE, text_edit("High Street\n", "")), "postal-address"
    )
    assert [p.message for p in problems] == [
        "address line 'High Street' is not in the plain-text part"
    ]


def test_an_address_with_escaped_characters_is_found(project: Path):
    edit_publication(project, "[Town Hall, High Street,", '[Smith & Sons\' "Works", High Street,')
    assert not found(checked(project, ARTICLE), "postal-address")


def test_preview_text_that_repeats_the_subject_is_a_warning(project: Path):
    problems = found(checked(project, ARTICLE, preview="Test subject."), "preview-text")
    assert where(problems) == [
        ("issue.yaml", 5, "preview", "preview text is the same as the subject ('Test subject')")
    ]
    assert problems[0].severity == "warning"
    problems = found(
        checked(project, ARTICLE, preview='"TEST  subject: ICON week"'), "preview-text"
    )
    assert [p.message for p in problems] == [
        "preview text starts by repeating the subject ('Test subject')"
    ]


def test_preview_text_that_adds_to_the_subject_passes(project: Path):
    assert not found(
        checked(project, ARTICLE, preview="ICON week and new training"), "preview-text"
    )


def test_a_subject_over_60_characters_is_a_warning(project: Path):
    subject = "WSCP Newsletter, December 2020: babies, ICON and GET SAFE too"
    assert len(subject) == 61
    problems = found(checked(project, ARTICLE, subject=f'"{subject}"'), "subject-length")
    assert where(problems) == [
        (
            "issue.yaml",
            4,
            "subject",
            "subject is 61 characters; most inboxes show only "
            "'WSCP Newsletter, December 2020: babies, ICON and GET SAFE to'",
        )
    ]
    assert problems[0].severity == "warning"
    assert not found(checked(project, ARTICLE, subject=f'"{subject[:60]}"'), "subject-length")


@pytest.mark.parametrize("address", ["noreply@test-partnership.org.uk", "Do-Not-Reply@tsp.org.uk"])
def test_a_no_reply_address_is_an_error_in_the_publication(project: Path, address: str):
    edit_publication(project, "reply_to: bulletin@", f"reply_to: {address} #")
    edit_publication(project, f"{address} #test-partnership.org.uk", address)
    problems = found(checked(project, ARTICLE), "sender-identity")
    assert where(problems) == [
        ("test.yaml", 6, "sender.reply_to", f"reply-to {address!r} is a no-reply address")
    ]
    assert problems[0].severity == "error"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('"  "', "from name is empty"),
        (
            "bulletin@test-partnership.org.uk",
            "from name 'bulletin@test-partnership.org.uk' is an e-mail address, not a name",
        ),
    ],
)
def test_a_from_name_that_is_no_name_is_an_error(project: Path, name: str, message: str):
    edit_publication(project, "from_name: Test Safeguarding Partnership", f"from_name: {name}")
    problems = found(checked(project, ARTICLE), "sender-identity")
    assert where(problems) == [("test.yaml", 5, "sender.from_name", message)]
