"""The PDF edition of an issue: its web page printed by WeasyPrint on A4 (the print
stylesheet), tagged for screen readers (PDF/UA-1), its links kept as links."""

from __future__ import annotations

from pathlib import Path

from bulletin.errors import SetupError


def pdf_bytes(html: str, folder: Path) -> bytes:
    """`html` as a PDF; `folder` is where the page lives, for its relative links."""
    try:
        from weasyprint import HTML
    except OSError as err:  # Pango missing: WeasyPrint loads it when imported
        raise SetupError(
            f"the PDF needs Pango (apt-get install libpango-1.0-0 libpangoft2-1.0-0): {err}"
        ) from None
    document = HTML(string=html, base_url=f"{folder.resolve().as_uri()}/")
    data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return data
