"""Browser tests: the app served for real (``collagen-coach serve``) and driven in Chromium.

- ``served_app``: one server for the whole run, on a fresh data directory (and, when
  DATABASE_URL names PostgreSQL, a fresh database on that server), with its photo-analysis
  worker; stopped at the end.
- ``browser``: Debian's Chromium (/usr/bin/chromium) driven by Playwright; ``page``: a new page
  in a context of its own (no cookies shared between tests).
- ``signed_in_page(username)``: a page signed in as a new person.
- ``screenshot(page, name)``: a full-page PNG in out/screenshots/, to look at.

Every test in this folder is marked slow. Without /usr/bin/chromium they are skipped with one
line saying so, except under CI=true, where that is a failure (scripts/test installs it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from web.browser.live_server import RunningServer, fresh_database, running_server
from web.browser.pages import PageWatch, sign_in
from web.chromium import CHROMIUM_ARGS

__all__ = ["CHROMIUM_ARGS", "PASSWORD"]  # what the tests here import

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "a long passphrase 1"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder slow (the hook sees all items: keep to this folder's)."""
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Give the app served by ``collagen-coach serve`` (with its worker) for the whole run."""
    home = tmp_path_factory.mktemp("served") / "home"
    with (
        fresh_database(os.environ.get("DATABASE_URL"), "browser") as database_url,
        running_server(home, database_url=database_url) as server,
    ):
        yield server


@pytest.fixture
def page(browser: Browser, served_app: RunningServer) -> Iterator[Page]:
    """Give a new page, in a browser context of its own, sized like a laptop screen."""
    context = browser.new_context(
        base_url=served_app.url.rstrip("/"), viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def signed_in_page(browser: Browser, served_app: RunningServer) -> Iterator[Callable[[str], Page]]:
    """Give a maker of pages signed in as a new person: ``signed_in_page("ann")``.

    The account is made in the served app's database; signing in goes through the sign-in page
    as a person would. Each call gives a page in a browser context of its own.
    """
    contexts: list[Any] = []

    def make(username: str) -> Page:
        served_app.sign_up(username, PASSWORD)
        context = browser.new_context(
            base_url=served_app.url.rstrip("/"), viewport={"width": 1280, "height": 800}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username, PASSWORD)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def watch_page() -> Callable[[Page], PageWatch]:
    """Give a watcher of a page's console, script errors and answers: ``watch_page(page)``."""
    return PageWatch
