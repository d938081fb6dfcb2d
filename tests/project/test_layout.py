"""The package keeps its shape: imports run one way, only one package speaks to Mailchimp,
modules stay small and say why they exist. Read from the source with `ast`, nothing run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "bulletin"
MAX_LINES = 400

# What each wing may never import: the wings know nothing of Mailchimp or of who reads.
# reports/ reads the issue (document/, compose/ for its links), the ledger and Mailchimp.
NEVER = {
    "document": (
        "campaigns", "audiences", "mailchimp", "compose", "checks", "preview", "reports", "cli",
    ),
    "compose": (
        "campaigns", "audiences", "mailchimp", "checks", "preview", "reports", "site", "cli",
    ),
    # calendars/ (the dated items as entries and links) reads the issue alone.
    "calendars": (
        "compose", "checks", "preview", "campaigns", "audiences", "mailchimp", "reports", "site",
        "cli",
    ),
    # site/ (the web edition) is made from the issue and compose/'s templates, never Mailchimp's.
    "site": ("campaigns", "audiences", "mailchimp", "checks", "preview", "reports", "cli"),
    "checks": ("campaigns", "audiences", "mailchimp", "preview", "reports", "cli"),
    "preview": ("campaigns", "audiences", "mailchimp", "reports", "cli"),
    "mailchimp": (
        "document", "compose", "checks", "preview", "campaigns", "audiences", "reports", "cli",
    ),
    "campaigns": ("audiences", "preview", "reports", "cli"),
    "audiences": ("campaigns", "compose", "checks", "preview", "reports", "cli"),
    "reports": ("audiences", "checks", "preview", "cli"),
}  # fmt: skip


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def wing(path: Path) -> str:
    """`document` for bulletin/document/source.py; the file's stem for a top-level module."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def imported(tree: ast.AST) -> set[str]:
    """Every module a file imports, whole dotted names (`from bulletin import x` is bulletin.x),
    wherever the import stands (in a function too)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def wing_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "bulletin" and len(parts) > 1 else None


def broken_rules(path: Path, source: str) -> list[str]:
    """What `source` (the file at `path`) does that the layout forbids."""
    tree = ast.parse(source)
    here = wing(path)
    found = []
    for module in sorted(imported(tree)):
        target = wing_of(module)
        if target in NEVER.get(here, ()):
            found.append(f"{here}/ imports {module}")
        if module.split(".")[0] == "mailchimp_marketing" and here != "mailchimp":
            found.append(f"{path.name} imports the Mailchimp SDK outside bulletin/mailchimp/")
        if target == "cli" and here not in ("cli", "__main__"):
            found.append(f"{path.name} imports {module}: nothing imports the commands")
    if here != "mailchimp":
        for node in ast.walk(tree):
            is_http_client = isinstance(node, ast.Attribute) and ast.unparse(node) == "http.client"
            if isinstance(node, ast.Attribute) and node.attr == "client" and not is_http_client:
                found.append(f"{path.name}:{node.lineno} reaches the SDK client itself")
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path):
    assert broken_rules(path, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "where, source, broken",
    [
        ("compose/render.py", "from bulletin.mailchimp import campaigns", "compose/ imports"),
        ("checks/x.py", "def f():\n    import bulletin.campaigns.push", "checks/ imports"),
        ("document/x.py", "from bulletin import audiences", "document/ imports"),
        ("checks/x.py", "from bulletin.reports import tally", "checks/ imports"),
        ("site/x.py", "from bulletin.campaigns import push", "site/ imports"),
        ("calendars/x.py", "from bulletin.compose import render", "calendars/ imports"),
        ("reports/x.py", "from bulletin.audiences import sync", "reports/ imports"),
        ("campaigns/x.py", "import mailchimp_marketing", "the Mailchimp SDK"),
        ("audiences/x.py", "from bulletin.cli import main", "nothing imports the commands"),
        ("campaigns/x.py", "mc.client.campaigns.send('x')", "reaches the SDK client"),
    ],
)
def test_the_layout_check_catches_each_broken_rule(where: str, source: str, broken: str):
    """The rules above can fail: each kind of breach, written into a module, is caught."""
    assert any(broken in line for line in broken_rules(PACKAGE / where, source))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small_and_say_why_they_exist(path: Path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    if path.name != "__main__.py":
        assert ast.get_docstring(ast.parse(text)), f"{path} has no docstring"
