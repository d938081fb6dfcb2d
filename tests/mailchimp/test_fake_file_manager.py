"""The fake's File Manager, through the real SDK: uploads, its limits, the paged listing."""

from __future__ import annotations

import base64
import io
import json

import pytest
from mailchimp_marketing.api_client import ApiClientError
from PIL import Image


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def upload(client, name: str, data: bytes) -> dict:
    return client.fileManager.upload({"name": name, "file_data": base64.b64encode(data).decode()})


def test_an_upload_answers_with_its_id_address_and_image_size(fake_mailchimp):
    client = fake_mailchimp.client()
    made = upload(client, "flyer.png", png(30, 20))
    assert (made["type"], made["width"], made["height"]) == ("image", 30, 20)
    assert made["full_size_url"].startswith("https://") and made["name"] == "flyer.png"
    assert client.fileManager.get_file(str(made["id"]))["full_size_url"] == made["full_size_url"]
    doc = upload(client, "strategy.pdf", b"%PDF-1.4 small")
    assert (doc["type"], doc["size"]) == ("file", 14)


def test_the_listing_is_paged(fake_mailchimp):
    client = fake_mailchimp.client()
    for n in range(3):
        upload(client, f"doc-{n}.pdf", b"%PDF " + bytes([n]))
    first = client.fileManager.files(count=2, offset=0)
    rest = client.fileManager.files(count=2, offset=2)
    assert first["total_items"] == 3
    assert [f["name"] for f in first["files"] + rest["files"]] == [
        "doc-0.pdf",
        "doc-1.pdf",
        "doc-2.pdf",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "file_data": "eA=="}, "name"),
        ({"name": "a.pdf", "file_data": "not base64!"}, "file_data"),
        (
            {
                "name": "a.pdf",
                "file_data": base64.b64encode(b"x" * (10 * 1024 * 1024 + 1)).decode(),
            },
            "file_data",
        ),
    ],
)
def test_a_bad_upload_is_refused_on_its_field(fake_mailchimp, body, field):
    with pytest.raises(ApiClientError) as caught:
        fake_mailchimp.client().fileManager.upload(body)
    assert caught.value.status_code == 400
    assert json.loads(caught.value.text)["errors"][0]["field"] == field
    fake_mailchimp.take_violations()


def test_an_unknown_file_is_404(fake_mailchimp):
    with pytest.raises(ApiClientError) as caught:
        fake_mailchimp.client().fileManager.get_file("999999")
    assert caught.value.status_code == 404
    fake_mailchimp.take_violations()
