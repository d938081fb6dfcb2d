"""A partner's members CSV, read one row at a time, each checked and made ready for Mailchimp.

Columns are found by their header, loosely (case, spaces, `_` and `-` do not matter):
`email` (required), `first name`, `last name`, `organisation`, `preferences` (groups from
audiences.yaml, separated by `;`, each `Group` or `Category:Group`) and `consent` (yes, or the
date it was given; empty or no means none). A bad row becomes an `Invalid` with its line, and
the rest go on. The file is streamed: memory stays the same whatever its length.

A spreadsheet can hide damage that Python's `csv` reads without a word: a quote never closed
swallows every line after it into one cell (the next addresses would land in someone's first
name), and a stray comma shifts a row's cells. So a cell that spans lines and holds commas or
addresses, and a row with another number of cells than the header, are invalid, reported at
their line. A cell that starts with `=`, `+`, `-` or `@` is a formula to a spreadsheet that
later opens Mailchimp's export, and a NUL byte is no text: such rows are refused, by column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bulletin.document.audiences import Audience
from bulletin.errors import ContentError, problem_at

COLUMNS = {
    "email": ("email", "emailaddress", "e-mail"),
    "first": ("firstname", "fname", "forename", "givenname"),
    "last": ("lastname", "lname", "surname", "familyname"),
    "organisation": ("organisation", "organization", "org", "company", "employer"),
    "preferences": ("preferences", "interests", "groups"),
    "consent": ("consent", "consented", "optin", "optedin", "marketingconsent"),
}
YES = frozenset({"yes", "y", "true", "1", "x", "consented", "opted in", "optedin", "given"})
NO = frozenset({"", "no", "n", "false", "0", "none", "not given"})
# Plain ASCII addresses, checked fast; anything else goes to email-validator (50 µs a call).
_SIMPLE_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y")
_FORMULA = ("=", "+", "-", "@")
_ADDRESS_LIKE = re.compile(r"[^\s,;\"]+@[^\s,;\"]+\.[A-Za-z]{2,}")
_SENT = ("email", "first", "last", "organisation")  # cells that reach Mailchimp as they are


@dataclass(frozen=True)
class Contact:
    line: int
    email: str
    merge_fields: dict[str, str]
    groups: tuple[tuple[str, str], ...]  # (category, group), as audiences.yaml names them
    consent: bool


@dataclass(frozen=True)
class Invalid:
    line: int
    message: str


@dataclass
class ContactsFile:
    """A members CSV for one audience; iterate `rows()` once."""

    path: Path
    audience: Audience
    progress: Callable[[int], None] | None = None  # called with each chunk's bytes
    ignored: list[str] = field(default_factory=list)  # header names that mean nothing here

    def rows(self) -> Iterator[Contact | Invalid]:
        with self.path.open("rb") as raw:
            lines = _Lines(io.BufferedReader(_Counting(raw, self.progress)))
            read_to = 0
            try:
                first = next(lines, "").removeprefix("\ufeff")
                if not first.strip():
                    raise ContentError([problem_at(self.path, "the file is empty")])
                reader = csv.reader(
                    _chain(first, lines), delimiter=_delimiter(first), skipinitialspace=True
                )
                header = next(reader)
                columns = self._columns(header)
                read_to = reader.line_num
                for row in reader:
                    line, read_to = read_to + 1, reader.line_num
                    if not any(cell.strip() for cell in row):
                        continue
                    damage = _damaged(row, len(header), line, read_to)
                    yield Invalid(line, damage) if damage else self._contact(line, row, columns)
            except _Unreadable as err:
                raise ContentError([problem_at(self.path, str(err), line=lines.count)]) from None
            except csv.Error as err:
                raise ContentError(
                    [problem_at(self.path, f"not CSV: {err}", line=read_to + 1)]
                ) from None

    def _columns(self, header: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, name in enumerate(header):
            key = re.sub(r"[\s_\-]", "", name.strip().lower())
            meaning = next((k for k, names in COLUMNS.items() if key in names), None)
            if meaning is None or meaning in found:
                self.ignored.append(name.strip())
            else:
                found[meaning] = index
        if "email" not in found:
            raise ContentError(
                [problem_at(self.path, "no email column: the first row must name the columns")]
            )
        if "organisation" in found and self._organisation_tag() is None:
            raise ContentError(
                [
                    problem_at(
                        self.path,
                        f"audience {self.audience.name} has no merge field for the organisation: "
                        "add {tag: ORG, name: Organisation} to its merge_fields in audiences.yaml "
                        "and run `bulletin audiences sync`",
                    )
                ]
            )
        return found

    def _organisation_tag(self) -> str | None:
        for merge in self.audience.merge_fields:
            if merge.tag == "ORG" or merge.name.lower() in COLUMNS["organisation"]:
                return merge.tag
        return None

    def _contact(self, line: int, row: list[str], columns: dict[str, int]) -> Contact | Invalid:
        def cell(name: str) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        for name in _SENT:
            value = cell(name)
            if "\x00" in value:
                return Invalid(line, f"{_LABEL[name]}: holds a NUL byte: save the file again")
            if value.startswith(_FORMULA):
                return Invalid(
                    line,
                    f"{_LABEL[name]}: starts with '{value[0]}', which a spreadsheet runs as a "
                    f"formula ({value[:30]!r}): not imported; remove the '{value[0]}'",
                )
        email = cell("email")
        if not valid_email(email):
            return Invalid(
                line, f"not a valid e-mail address ({email!r})" if email else "no e-mail address"
            )
        merge = {"FNAME": cell("first"), "LNAME": cell("last")}
        if "organisation" in columns:
            merge[self._organisation_tag() or "ORG"] = cell("organisation")
        groups = []
        for name in re.split(r"[;|]", cell("preferences")):
            if name.strip():
                try:
                    category, group = self.audience.find_group(name.strip())
                except LookupError as err:
                    return Invalid(line, f"preferences: {err}")
                groups.append((category.category, group.name))
        consent = _consent(cell("consent"))
        if consent is None:
            return Invalid(
                line, f"consent: write yes, no or the date it was given ({cell('consent')!r})"
            )
        return Contact(
            line,
            email,
            {tag: value for tag, value in merge.items() if value},  # never blank a known value
            tuple(dict.fromkeys(groups)),
            consent,
        )


_LABEL = {
    "email": "email",
    "first": "first name",
    "last": "last name",
    "organisation": "organisation",
}


def _damaged(row: list[str], wanted: int, line: int, read_to: int) -> str | None:
    """What is wrong with the shape of a row (line `line`, read up to line `read_to`), if any."""
    for cell in row:
        if "\n" in cell and ("," in cell or _ADDRESS_LIKE.search(cell)):
            return (
                f'a quote (") in this row is never closed, so lines {line} to {read_to} were '
                "read as one cell: none of them was imported; close the quote (or take it out) "
                "and import the file again"
            )
    if len(row) != wanted:
        return (
            f"{len(row)} cells where the header names {wanted}: a comma inside a name needs "
            "quotes around the cell; not imported"
        )
    return None


def valid_email(email: str) -> bool:
    if _SIMPLE_EMAIL.fullmatch(email):
        return True
    if not email or "@" not in email:
        return False
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _consent(value: str) -> bool | None:
    """True for yes or a date, False for no or nothing, None for anything else."""
    lowered = value.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    for form in _DATE_FORMATS:
        try:
            dt.datetime.strptime(lowered.split()[0], form)
        except ValueError:
            continue
        return True
    return None


def _delimiter(header: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets write instead."""
    return max((",", ";", "\t"), key=header.count)


def _chain(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


MAX_LINE = 1_000_000  # bytes: a members list has no line near this long


class _Unreadable(Exception):
    """A line that is not text, or too long to be a row."""


class _Lines:
    """The file's lines, each decoded as UTF-8 on its own, so a bad byte is found at its line
    (not at the end of a read-ahead block), and a huge line is refused after MAX_LINE bytes."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        self.count = 0  # lines read so far

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self._binary.readline(MAX_LINE + 1)
        if not raw:
            raise StopIteration
        self.count += 1
        if len(raw) > MAX_LINE:
            raise _Unreadable(f"a line of over {MAX_LINE:,} bytes: this is no members list")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unreadable("not UTF-8 text: save it as 'CSV UTF-8'") from None


class _Counting(io.RawIOBase):
    """A binary file that reports each chunk read, for the progress bar."""

    def __init__(self, raw: IO[bytes], progress: Callable[[int], None] | None) -> None:
        self._raw, self._progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        if self._progress is not None and data:
            self._progress(len(data))
        return len(data)
