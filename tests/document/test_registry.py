"""The section registry: one folder per type, complete or loudly rejected, overridable."""

import shutil
from pathlib import Path

import pytest
import yaml

from bulletin.document.project import BUILTIN_ROOT, load_project
from bulletin.document.registry import PARTS, discover
from bulletin.errors import SetupError

BUILTIN_SECTIONS = BUILTIN_ROOT / "sections"
TYPES = sorted(p.name for p in BUILTIN_SECTIONS.iterdir() if p.is_dir() and p.name[0] != "_")


def copy_type(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(BUILTIN_SECTIONS / name, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_built_in_types_cover_the_seed_bulletins():
    wanted = {
        "article", "forum_recap", "events", "diary", "icon", "partner_news", "quote",
        "procedure_update", "training", "resources", "contact", "image", "notice",
        "webinars", "key_points",
    }  # fmt: skip
    assert wanted <= set(TYPES)


@pytest.mark.parametrize("name", TYPES)
def test_every_folder_is_complete_and_its_example_validates(name: str):
    folder = BUILTIN_SECTIONS / name
    for part in PARTS:
        assert (folder / part).is_file(), f"{name} has no {part}"
    types = discover((BUILTIN_SECTIONS,))
    example = yaml.safe_load((folder / "example.yaml").read_text(encoding="utf-8"))
    section = types[name].model.model_validate(example)
    assert section.type == name


@pytest.mark.parametrize("part", PARTS)
def test_a_folder_missing_a_part_is_an_error(tmp_path: Path, part: str):
    (copy_type("notice", tmp_path) / part).unlink()
    with pytest.raises(SetupError, match=f"section folder 'notice' has no {part}"):
        discover((tmp_path,))


def test_model_type_must_match_folder_name(tmp_path: Path):
    folder = copy_type("notice", tmp_path)
    folder.rename(tmp_path / "callout")
    with pytest.raises(SetupError, match=r"Literal\['callout'\]"):
        discover((tmp_path,))


def test_a_broken_model_is_an_error_naming_the_file(tmp_path: Path):
    folder = copy_type("notice", tmp_path)
    (folder / "model.py").write_text("def broken(:\n")
    with pytest.raises(SetupError, match=r"model\.py: SyntaxError"):
        discover((tmp_path,))


def test_project_sections_add_types_and_override_templates(tmp_path: Path):
    (tmp_path / "publications").mkdir()
    folder = copy_type("notice", tmp_path / "sections")
    folder.rename(tmp_path / "sections" / "shout")
    model = tmp_path / "sections" / "shout" / "model.py"
    model.write_text(model.read_text().replace('"notice"', '"shout"'))
    override = tmp_path / "sections" / "article"
    override.mkdir()
    (override / "email.txt.j2").write_text("OVERRIDDEN {{ section.body }}\n")

    project = load_project(tmp_path)
    assert "shout" in project.section_types
    article = project.section_types["article"]
    assert article.part("email.txt.j2") == override / "email.txt.j2"
    assert article.part("email.mjml.j2") == BUILTIN_SECTIONS / "article" / "email.mjml.j2"
