"""`bulletin init`: a project a communications officer can use at once, from the installed
package alone: a publication from their answers, audiences, a first issue, editor settings.

Every answer is checked by the publication model before anything is written, and no file that
is already there is ever replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bulletin.compose import templating
from bulletin.compose.newissue import next_month, skeleton
from bulletin.document.models import PUBLICATION_ID, Publication
from bulletin.document.project import BUILTIN_ROOT, PUBLICATIONS, load_project
from bulletin.document.source import parse
from bulletin.document.validation import error_message, validated
from bulletin.errors import BulletinError
from bulletin.files import write_atomically

# Each answer, as its command-line option names it.
OPTIONS = {
    "name": "--name",
    "short_name": "--short-name",
    "website": "--website",
    "reply_to": "--reply-to",
    "address": "--address",
}
SCHEMA = Path("build/issue.schema.json")
_ANSWER_AT = {  # where each answer lands in the publication, by pydantic's location
    ("name",): "name",
    ("sender", "from_name"): "name",
    ("footer", "copyright"): "name",
    ("short_name",): "short_name",
    ("website",): "website",
    ("sender", "reply_to"): "reply_to",
    ("footer", "address"): "address",
}


class Refused(BulletinError):
    """Answers the publication model (or init) refuses, each as `--option: message`."""

    def __init__(self, refusals: Mapping[str, str]) -> None:
        self.refusals = dict(refusals)
        self.lines = [f"{OPTIONS[k]}: {m} (nothing written)" for k, m in self.refusals.items()]
        super().__init__("; ".join(self.lines))


@dataclass(frozen=True)
class Made:
    written: list[Path]
    kept: list[Path]
    first_issue: Path


def refusals(answers: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with each answer given (those not given yet are not judged), by the
    same model that reads a hand-written publication."""
    wrong: dict[str, str] = {}
    for key, value in answers.items():
        texts = value if key == "address" else [value]
        if any(re.search(r"[\x00-\x1f\x7f]", str(t)) for t in texts):
            wrong[key] = f"is more than one line ({str(value)!r}): give each part on its own"
    try:
        Publication.model_validate(_publication_data(answers))
    except ValidationError as err:
        for e in err.errors(include_url=False):
            loc = tuple(str(p) for p in e["loc"])
            found = _ANSWER_AT.get(loc[:2]) or _ANSWER_AT.get(loc[:1])
            if found and found in answers and found not in wrong and e["type"] != "missing":
                wrong[found] = error_message(e)
    website = str(answers.get("website", "")).strip()
    if "website" not in wrong and website.lower().startswith("http:"):
        wrong["website"] = (
            f"not secure ({website!r}): browsers mark http:// pages 'not secure'; "
            f"write {'https' + website[4:]!r}"
        )
    if answers.get("address") == []:
        wrong["address"] = "the postal address Mailchimp requires: give at least one line"
    return wrong


def publication_id(short_name: str) -> str:
    """`HSCB` -> `hscb`, `St. Elm's SP` -> `st-elms-sp`: the publication's file name."""
    return re.sub(r"[^a-z0-9]+", "-", short_name.lower().replace("'", "")).strip("-")


def id_problem(pub_id: str) -> str | None:
    if PUBLICATION_ID.fullmatch(pub_id):
        return None
    return (
        f"not a publication id ({pub_id!r}): lower-case letters, digits and -, "
        "starting with a letter or digit"
    )


def create_project(
    root: Path, answers: Mapping[str, Any], pub_id: str, today: dt.date | None = None
) -> Made:
    """Write the project's files that are not there yet; all or none of them."""
    wrong = refusals(answers)
    missing = [k for k in OPTIONS if k not in answers]
    if wrong or missing:
        raise Refused(wrong or dict.fromkeys(missing, "missing"))
    if problem := id_problem(pub_id):
        raise BulletinError(f"--id: {problem} (nothing written)")
    first_day = next_month(today or dt.date.today())
    first_issue = Path("issues") / f"{first_day:%Y-%m}.yaml"
    files = _project_files(root, answers, pub_id, first_day, first_issue)
    kept = [p for p in files if (root / p).exists()]
    write_atomically({root / p: text for p, text in files.items() if p not in kept}, shared=True)
    return Made([p for p in files if p not in kept], kept, first_issue)


def _project_files(
    root: Path, answers: Mapping[str, Any], pub_id: str, first_day: dt.date, first_issue: Path
) -> dict[Path, str]:
    from bulletin.document.schema import project_schema

    env = templating.environment((root, BUILTIN_ROOT), "txt")
    values = {k: _scalar(v) for k, v in answers.items() if k != "address"}
    address = [_scalar(line) for line in answers["address"]]
    publication = env.get_template("templates/new-project/publication.yaml.j2").render(
        **values, address=address
    )
    publication_path = Path(PUBLICATIONS) / f"{pub_id}.yaml"
    validated(parse(publication, root / publication_path), Publication)  # as `check` reads it
    existing = sorted(p.stem for p in (root / PUBLICATIONS).glob("*.yaml"))
    publications = sorted({*existing, pub_id}, key=lambda p: (p != pub_id, p))
    plain = {"publication": pub_id, "first_issue": first_issue.name, **answers}
    return {
        publication_path: publication.rstrip("\n") + "\n",
        Path("audiences.yaml"): _render(env, "audiences.yaml.j2", plain),
        first_issue: skeleton(root, publications, first_day),
        Path(".gitignore"): _render(env, "gitignore.j2", plain),
        Path("README.md"): _render(env, "README.md.j2", plain),
        Path(".vscode/settings.json"): _json(
            {"yaml.schemas": {SCHEMA.as_posix(): "issues/*.yaml"}}
        ),
        SCHEMA: _json(project_schema(load_project(root))),
    }


def _render(env: Any, name: str, values: Mapping[str, Any]) -> str:
    return str(env.get_template(f"templates/new-project/{name}").render(**values)) + "\n"


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def _publication_data(answers: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"sender": {}, "footer": {}}
    if "name" in answers:
        data["name"] = answers["name"]
        data["sender"]["from_name"] = answers["name"]
        data["footer"]["copyright"] = answers["name"]
    for key in ("short_name", "website"):
        if key in answers:
            data[key] = answers[key]
    if "reply_to" in answers:
        data["sender"]["reply_to"] = answers["reply_to"]
    if "address" in answers:
        data["footer"]["address"] = list(answers["address"])
    return data


def _scalar(value: str) -> str:
    """`value` as YAML reads it back exactly: plain where it can be, else double-quoted."""
    import yaml

    text = str(value).strip()
    try:
        plain = yaml.safe_load(f"k: {text}") == {"k": text} and not text.startswith(("'", '"'))
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)
