"""`push` hosts an issue's own files in Mailchimp's File Manager once, whatever is lost locally."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from support.campaigns import dispatcher
from support.local_files import pdf, photo, with_files

from bulletin.campaigns.uploads import host_files
from bulletin.campaigns.wanted import wanted_campaign

UPLOADS = r"^/file-manager/files$"


@pytest.fixture
def issue_with_files(issue: Path) -> Path:
    photo(issue.parent / "flyer.jpg", 800, 500)
    pdf(issue.parent / "strategy.pdf", 50_000)
    return with_files(issue)


def push(fake, issue: Path):
    run = dispatcher(fake, issue)
    root = issue.parent.parent
    wanted = wanted_campaign(issue, host=lambda files: host_files(run.mc, root, files, print))
    return run.push(wanted), wanted


def uploads(fake) -> int:
    return len(fake.calls("POST", UPLOADS))


def test_a_push_uploads_each_file_once_and_the_campaign_shows_them_hosted(fake, issue_with_files):
    done, _ = push(fake, issue_with_files)
    assert done.action == "created"
    assert uploads(fake) == 2
    with fake.lock:
        hosted = [f"/{f.id}/{f.name}" for f in fake.state.files.values()]
        campaign = next(iter(fake.state.campaigns.values()))
    assert all(h in campaign.html for h in hosted)
    assert any(h.endswith(".pdf") and h in campaign.plain_text for h in hosted)
    assert "flyer.jpg" not in campaign.html and "(PDF, 49 KB)" in campaign.plain_text
    fake.clear_requests()
    again, _ = push(fake, issue_with_files)
    assert again.action == "unchanged"
    assert uploads(fake) == 0 and fake.write_calls() == 0


def test_losing_the_state_folder_uploads_nothing_again(fake, issue_with_files):
    push(fake, issue_with_files)
    shutil.rmtree(issue_with_files.parent.parent / ".bulletin")
    fake.clear_requests()
    again, _ = push(fake, issue_with_files)
    assert uploads(fake) == 0
    assert again.action == "unchanged" and fake.write_calls() == 0


def test_a_changed_image_is_uploaded_once_more(fake, issue_with_files):
    push(fake, issue_with_files)
    photo(issue_with_files.parent / "flyer.jpg", 800, 500, seed=7)
    fake.clear_requests()
    done, _ = push(fake, issue_with_files)
    assert uploads(fake) == 1
    assert done.action == "updated"


def test_an_oversized_photo_is_uploaded_resized_and_the_original_untouched(fake, issue):
    from PIL import Image

    original = photo(issue.parent / "flyer.jpg", 3000, 2000)
    pdf(issue.parent / "strategy.pdf", 10_000)
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    push(fake, with_files(issue))
    with fake.lock:
        image = next(f for f in fake.state.files.values() if f.name.endswith(".jpg"))
    assert (image.width, image.height) == (1200, 800)
    assert len(image.data) < original.stat().st_size
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    import io

    with Image.open(io.BytesIO(image.data)) as shown:
        assert shown.width == 1200


def test_the_push_command_uploads_then_pushes_nothing_the_second_time(fake, issue_with_files):
    from click.testing import CliRunner
    from support.campaigns import env

    from bulletin.cli import main

    first = CliRunner().invoke(main, ["push", str(issue_with_files)], env=env(fake))
    assert first.exit_code == 0, first.output
    assert first.output.count("note: uploaded issues/") == 2
    assert uploads(fake) == 2
    fake.clear_requests()
    again = CliRunner().invoke(main, ["push", str(issue_with_files)], env=env(fake))
    assert "nothing to push" in again.output and "uploaded" not in again.output
    assert fake.write_calls() == 0


def test_a_damaged_record_is_set_aside_and_nothing_uploaded_again(fake, issue_with_files):
    push(fake, issue_with_files)
    record = issue_with_files.parent.parent / ".bulletin" / "uploads.json"
    record.write_text("{not json")
    fake.clear_requests()
    again, _ = push(fake, issue_with_files)
    assert uploads(fake) == 0 and again.action == "unchanged"
    assert list(record.parent.glob("uploads.json.damaged-*"))


def test_an_upload_whose_answer_is_lost_is_found_not_made_twice(fake, issue_with_files):
    fake.inject(UPLOADS, "POST", times=1, fault="after")  # done, then no answer
    done, _ = push(fake, issue_with_files)
    assert done.action == "created"
    with fake.lock:
        names = [f.name for f in fake.state.files.values()]
    assert len(names) == 2 == len(set(names))


def test_an_upload_mailchimp_refused_with_a_500_is_made_again(fake, issue_with_files):
    fake.inject(UPLOADS, "POST", times=1, fault="500")  # nothing done
    push(fake, issue_with_files)
    with fake.lock:
        assert len(fake.state.files) == 2
