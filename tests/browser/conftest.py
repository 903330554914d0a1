"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

The live server runs in a thread of this process on a transactional test database and serves static
files (pytest-django uses Django's ``StaticFilesHandler`` when ``django.contrib.staticfiles`` is
installed). Mail goes to the development mailbox so a journey can read it in the browser, and
``SITE_URL`` points at the live server so links in mail lead back to it.

Chromium missing or not starting: the tests are skipped locally, but FAIL when ``CI`` is set.
Screenshots of every step go to ``test-results/browser/<test name>/NN-step.png``.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls while a loop
# runs unless told it is safe (it is: the test code and the loop never run at the same time).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "browser"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def unavailable(reason: str):
    """Skip locally; fail under CI, where a browser test must never silently skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        unavailable("the playwright package is not installed")
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)  # a loaded CI machine is slower than a laptop
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # noqa: BLE001 - any launch failure means "no usable browser"
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def site(live_server, settings, transactional_db):
    """The live server, with mail going to the development mailbox and links pointing back at it."""
    settings.EMAIL_BACKEND = "backline.core.mailbox.MailboxBackend"
    settings.DEV_MAILBOX_ENABLED = True
    settings.SITE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    return live_server


class Browser:
    """One browser context at a viewport, its page, the problems it saw, and numbered screenshots."""

    def __init__(self, chromium, base_url: str, folder: Path, viewport: dict):
        self.context = chromium.new_context(base_url=base_url, viewport=viewport)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.folder = folder
        self.step = 0
        self.failed_responses: list[str] = []
        self.console_errors: list[str] = []
        self.page.on("response", lambda r: r.status >= 400 and self.failed_responses.append(f"{r.status} {r.url}"))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            f"{m.text} at {m.location.get('url', '')}"))
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def shot(self, name: str) -> Path:
        self.step += 1
        path = self.folder / f"{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_styled(self) -> None:
        """The bundle's CSS and JS loaded: Tabler (Bootstrap) lays out the page and htmx is on the page."""
        page = self.page
        assert page.evaluate("() => [...document.styleSheets].some(s => (s.href || '').endsWith('/dist/styles.css'))")
        assert page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--tblr-primary')"), \
            "Tabler's stylesheet is not applied"
        display = page.evaluate("() => getComputedStyle(document.querySelector('.page')).display")
        assert display == "flex", f"the page layout is not styled by Tabler (display {display})"
        assert page.evaluate("() => typeof window.htmx === 'object'"), "the JS bundle did not load"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_browser(chromium, site, request):
    """``open_browser(viewport=DESKTOP)`` → a :class:`Browser` whose screenshots go under the test's folder."""
    folder = RESULTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    opened: list[Browser] = []

    def build(viewport: dict = DESKTOP) -> Browser:
        browser = Browser(chromium, site.url, folder, viewport)
        opened.append(browser)
        return browser

    yield build
    for browser in opened:
        browser.close()
