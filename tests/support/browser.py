"""Headless Chromium (Debian's package) driven by Playwright, for tests that must see a page
as a reader would. Playwright's own browser download is never used."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from support.chromium import chromium_path

# Without these Chromium keeps trying to reach Google's servers, which this sandbox refuses.
ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chrome = p.chromium.launch(
            executable_path=chromium_path(), args=ARGS, chromium_sandbox=False
        )
        try:
            yield chrome
        finally:
            chrome.close()


def measure(chrome: Browser, html: str, width: int, screenshot: Path | None = None) -> dict:
    """Show `html` at `width` CSS pixels (a phone at 375); return the widths that matter."""
    page = chrome.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page.route("**/*", lambda route: route.abort())  # an email fetches nothing while tested
        page.set_content(html, wait_until="load")
        seen = page.evaluate(
            "() => ({scroll_width: document.documentElement.scrollWidth,"
            " viewport: window.innerWidth})"
        )
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        return seen
    finally:
        page.close()


def evaluate(chrome: Browser, html: str, width: int, script: str) -> object:
    """Show `html` at `width` CSS pixels (a phone below 500) and return what `script`, a
    JavaScript function of no arguments, finds in the page as laid out."""
    page = chrome.new_page(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    try:
        page.route("**/*", lambda route: route.abort())  # an email fetches nothing while tested
        page.set_content(html, wait_until="load")
        return page.evaluate(script)
    finally:
        page.close()
