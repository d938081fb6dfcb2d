"""Writing a small issue into a test project."""

from pathlib import Path


def write_issue(folder: Path, sections: str, name: str = "issue.yaml", **meta: str) -> Path:
    header = {
        "publication": "test",
        "date": "2020-12-04",
        "title": "Test Bulletin",
        "subject": "Test subject",
        "preview": "Test preview text",
        **meta,
    }
    text = "".join(f"{key}: {value}\n" for key, value in header.items())
    path = folder / name
    path.write_text(text + "sections:\n" + sections, encoding="utf-8")
    return path
