"""Checks, in the browser, that a page is readable by the people it is for (WCAG 2.1 AA).

- body text at least 18 px;
- every visible piece of text with a contrast ratio of at least 4.5:1 against the background it
  sits on (3:1 for large text: ≥ 24 px, or bold and ≥ 18.66 px) — WCAG 1.4.3, using the relative
  luminance of WCAG 2.1;
- every button, text field and menu link at least 44 × 44 CSS px (WCAG 2.5.5 target size).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

MIN_BODY_PX = 18.0
MIN_TARGET_PX = 44.0

_CHECK = (
    (Path(__file__).with_name("readability.js"))
    .read_text()
    .replace("%(target)s", str(MIN_TARGET_PX))
)


def readability_problems(page: Page) -> list[str]:
    """Give what makes the page hard to read or to tap, one line each (empty when none)."""
    found: dict[str, Any] = page.evaluate(_CHECK)
    problems = []
    if found["bodyPx"] < MIN_BODY_PX:
        problems.append(f"body text {found['bodyPx']} px < {MIN_BODY_PX} px")
    problems += [f"low contrast: {item}" for item in found["lowContrast"]]
    problems += [f"small target: {item}" for item in found["smallTargets"]]
    return problems
