"""Browser-test fixtures: Debian's Chromium driven by Playwright (never `playwright install`),
screenshots in test-artifacts/, the translation catalogues compiled if they are stale."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def _catalogues_stale() -> bool:
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


@pytest.fixture(scope="session")
def compiled_translations() -> None:
    """`make test` compiles the catalogues; a bare `pytest tests/browser` does it here (under
    a lock: xdist workers may both find them stale)."""
    if not _catalogues_stale():
        return
    import fcntl

    from django.core.management import call_command
    from django.utils.translation import trans_real

    lock_path = Path(settings.BASE_DIR) / "var" / ".compilemessages.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _catalogues_stale():
            call_command("compilemessages", "--ignore=.venv", verbosity=0)
    # Forget catalogues loaded before the .mo files existed.
    trans_real._translations = {}  # type: ignore[attr-defined]
    trans_real._default = None  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "Debian's chromium is not installed (apt-get install chromium; `make test` does it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, compiled_translations: None) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def new_page(chromium: Any, compiled_translations: None) -> Iterator[Callable[..., Any]]:
    """Open a page in a browser context of its own (its own cookies: one signed-in user each);
    every context is closed at the end of the test."""
    contexts: list[Any] = []

    def open_page(locale: str = "fr-FR") -> Any:
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def save_screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in test-artifacts/ (screen-sized tiles too, on request)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("RECIPROCA_SCREENSHOT_TILES"):
        # Screen-sized tiles of a long page, readable at full size.
        height = page.evaluate("document.documentElement.scrollHeight")
        width = page.viewport_size["width"]
        for index, top in enumerate(range(0, height, 900), start=1):
            page.screenshot(
                path=str(ARTIFACTS / f"{name}-{index}.png"),
                full_page=True,
                clip={"x": 0, "y": top, "width": width, "height": min(900, height - top)},
            )
    return path


@pytest.fixture
def screenshot(page: Any) -> Callable[[str], Path]:
    def take(name: str) -> Path:
        return save_screenshot(page, name)

    return take


@pytest.fixture
def page_screenshot() -> Callable[[Any, str], Path]:
    """`page_screenshot(page, name)`: for tests that drive several pages (`new_page`)."""
    return save_screenshot
