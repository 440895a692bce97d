"""Helpers for pages in Chromium: signing in, screenshots, and watching what a page reports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPOSITORY = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPOSITORY / "out" / "screenshots"


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the sign-in page; fail naming the page shown if it did not work."""
    from django.urls import reverse

    login = reverse("accounts:login")
    page.goto(login)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")  # submits the sign-in form itself
    if page.url.split("?")[0].endswith(login):
        raise AssertionError(
            f"signing in as {username!r} did not work; the page says:\n" + page.inner_text("body")
        )


def screenshot(page: Page, name: str) -> Path:
    """Write a full-page PNG of ``page`` to out/screenshots/NAME.png; give its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class PageWatch:
    """What a page reported while loading: console errors (CSP violations among them), script
    errors, failed requests, and the status of every answer."""

    def __init__(self, page: Page) -> None:
        self.console_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.script_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.answers: dict[str, int] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        page.on(
            "requestfailed",
            lambda request: self.failed_requests.append(f"{request.url} ({request.failure})"),
        )
        page.on(
            "response", lambda response: self.answers.__setitem__(response.url, response.status)
        )

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(text)
        elif message.type == "error":
            self.console_errors.append(text)

    def static_answers(self) -> dict[str, int]:
        """Give the status of every static file the page loaded, by address."""
        return {url: status for url, status in self.answers.items() if "/static/" in url}
