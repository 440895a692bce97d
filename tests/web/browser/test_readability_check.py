"""The readability check used on every journey page finds what it is meant to find."""

from __future__ import annotations

from typing import TYPE_CHECKING

from web.browser.readability import readability_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_the_check_finds_small_text_faint_text_dark_on_dark_and_small_buttons(
    browser: Browser,
) -> None:
    page = browser.new_page()
    page.set_content(
        '<body style="font-size:16px"><p style="color:#aaa">faint text</p><p>fine text</p>'
        '<button style="height:30px">Go</button>'
        '<div style="background:#0b5563"><span style="color:#222">dark on teal</span></div></body>'
    )
    problems = readability_problems(page)
    page.close()
    assert problems == [
        "body text 16 px < 18.0 px",
        "low contrast: faint text (2.32:1, rgb(170, 170, 170) on rgb(255,255,255))",
        "low contrast: dark on teal (1.89:1, rgb(34, 34, 34) on rgb(11,85,99))",
        'small target: button "Go" 34x30',
    ]
