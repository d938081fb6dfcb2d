"""The section registry: every folder under `sections/` is one block type.

A folder holds `model.py` (a pydantic class named `Section`), `email.mjml.j2`,
`email.txt.j2` and `example.yaml`. A project's own `sections/` folder may add types
(complete folders) or override parts of a built-in type (just the parts it has).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from bulletin.document.models import SectionBase
from bulletin.errors import SetupError

PARTS = ("model.py", "email.mjml.j2", "email.txt.j2", "example.yaml")


@dataclass(frozen=True)
class SectionType:
    name: str
    model: type[SectionBase]
    folders: tuple[Path, ...]  # the project's folder first, then the built-in one

    def part(self, name: str) -> Path:
        """The file that provides `name` for this type, the project's if it has one."""
        for folder in self.folders:
            if (folder / name).is_file():
                return folder / name
        raise SetupError(f"section '{self.name}' has no {name}")  # pragma: no cover


def discover(roots: tuple[Path, ...]) -> dict[str, SectionType]:
    """Find every section type under `roots` (highest priority first); fail loudly on gaps."""
    folders: dict[str, list[Path]] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            if not folder.name.startswith(("_", ".")):
                folders.setdefault(folder.name, []).append(folder)
    types = {}
    for name, found in sorted(folders.items()):
        for part in PARTS:
            if not any((f / part).is_file() for f in found):
                raise SetupError(f"{found[0]}: section folder '{name}' has no {part}")
        model_file = next(f / "model.py" for f in found if (f / "model.py").is_file())
        types[name] = SectionType(name, _load_model(model_file, name), tuple(found))
    if not types:
        raise SetupError(f"no section types found in {', '.join(map(str, roots))}")
    return types


def _load_model(path: Path, name: str) -> type[SectionBase]:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]
    module_name = f"bulletin_sections.{name}_{digest}"
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:  # pragma: no cover
            raise SetupError(f"{path}: cannot load")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as err:
            del sys.modules[module_name]
            raise SetupError(f"{path}: {type(err).__name__}: {err}") from None
    model = getattr(module, "Section", None)
    if not (isinstance(model, type) and issubclass(model, SectionBase)):
        raise SetupError(f"{path}: defines no class Section(SectionBase)")
    tag = get_args(model.model_fields["type"].annotation)
    if tag != (name,):
        raise SetupError(f"{path}: Section.type must be Literal['{name}'] to match its folder")
    return model
