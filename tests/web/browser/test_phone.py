"""Every main page on a phone screen (390 × 844) and a laptop screen (1280 × 800).

On a phone the header is at most 80 px tall and no page is wider than the screen, for a
self-carer with weeks of records and for a practitioner on her client's record; on a laptop the
whole menu and "Sign out" sit on one line. One browser context walks every page; what it
measures (header height, page length in screens) is written to out/phone-measures.json.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from web.browser.live_server import RunningServer
from web.browser.pages import REPOSITORY, screenshot, sign_in
from web.browser.phone_people import PASSWORD, PRACTITIONER, SELF_CARER, make_people
from web.browser.readability import readability_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
HEADER_MAX_PX = 80
TAP_MIN_PX = 44
TAB_BAR_MAX_PX = 80
MEASURES = REPOSITORY / "out" / "phone-measures.json"

# Pages checked for readability too (large enough type, contrast), as before.
READ_CHECKED = {
    "home",
    "clients:intake",
    "plans:profile",
    "guide:today",
    "journal:index",
    "journal:rating",
    "photos:guidance",
    "photos:take",
    "photos:upload",
    "progress:dashboard",
    "my_data:index",
    "reminders:settings",
}
# (address name, {argument: which of the made records' keys it takes})
SELF_CARER_PAGES: list[tuple[str, dict[str, str]]] = [
    ("home", {}),
    ("clients:intake", {}),
    ("clients:decision", {"pk": "intake"}),
    ("plans:plan", {}),
    ("plans:profile", {}),
    ("guide:today", {}),
    ("guide:play", {}),
    ("journal:index", {}),
    ("journal:peptides", {}),
    ("journal:peptides_entry", {"pk": "peptide"}),
    ("journal:rating", {}),
    ("journal:rating_entry", {"pk": "rating"}),
    ("journal:readings", {}),
    ("journal:reading_entry", {"pk": "reading"}),
    ("journal:calendar", {}),
    ("photos:index", {}),
    ("photos:guidance", {}),
    ("photos:take", {}),
    ("photos:upload", {}),
    ("photos:compare", {}),
    ("photos:detail", {"pk": "photo"}),
    ("progress:dashboard", {}),
    ("my_data:index", {}),
    ("reminders:settings", {}),
    ("my_data:delete", {}),
    ("accounts:password_change", {}),
    ("accounts:tokens", {}),
]
PRACTITIONER_PAGES: list[tuple[str, dict[str, str]]] = [
    ("practice:clients", {}),
    ("practice:add_client", {}),
    ("practice:team", {}),
    ("practice:audit", {}),
    ("practice:invite", {"client_id": "cora"}),
    ("clinic:timeline", {"client_id": "cora"}),
    ("clinic:intake", {"client_id": "cora"}),
    ("clinic:decision", {"client_id": "cora", "intake_id": "cora_intake"}),
    ("clinic:plan", {"client_id": "cora"}),
    ("clinic:plan_edit", {"client_id": "cora", "phase": "cora_phase"}),
    ("clinic:note_new", {"client_id": "cora"}),
    ("home", {}),
    ("my_routine", {}),
]

MEASURE_JS = """() => {
  const box = (selector) => {
    const element = document.querySelector(selector);
    if (!element || element.offsetParent === null && getComputedStyle(element).position !== 'fixed')
      return 0;
    return Math.round(element.getBoundingClientRect().height);
  };
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    header: box('.site-header'),
    tabBar: box('.tab-bar'),
    screens: Math.round(100 * document.documentElement.scrollHeight / window.innerHeight) / 100,
    scrollers: [...document.querySelectorAll('body *')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.checkVisibility()
        && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
      .map((e) => e.tagName.toLowerCase() + '.' + String(e.className).split(' ')[0]),
    current: [...document.querySelectorAll('[aria-current="page"]')]
      .filter((a) => a.offsetParent !== null).map((a) => a.textContent.trim()),
  };
}"""
# Every menu place one can tap now: its words, width and height.
TARGETS_JS = """() =>
  [...document.querySelectorAll('.site-nav a, .site-nav summary, .site-nav button')]
    .filter((element) => element.checkVisibility())
    .map((element) => {
      const box = element.getBoundingClientRect();
      return [element.textContent.trim(), Math.round(box.width), Math.round(box.height)];
    })"""
OFF_SCREEN_JS = """() =>
  [...document.querySelectorAll('.more-list a, .more-list button')]
    .filter((element) => {
      const box = element.getBoundingClientRect();
      return box.left < 0 || box.right > window.innerWidth || box.top < 0
        || box.bottom > window.innerHeight;
    })
    .map((element) => element.textContent.trim())"""
# The vertical middles of the header's visible links and buttons: on one line they agree.
LINE_MIDDLES_JS = """() =>
  [...document.querySelectorAll('.site-header a, .site-header button, .site-header summary')]
    .filter((element) => element.checkVisibility())
    .map((element) => {
      const box = element.getBoundingClientRect();
      return Math.round((box.top + box.bottom) / 2);
    })"""


def _address(name: str, arguments: dict[str, str], keys: dict[str, Any]) -> str:
    query = {argument: keys[key] for argument, key in arguments.items() if argument == "phase"}
    address = reverse(
        name,
        kwargs={argument: keys[key] for argument, key in arguments.items() if argument != "phase"},
    )
    return address + "".join(f"?{argument}={value}" for argument, value in query.items())


class Walk:
    """One browser context that signs in as each person in turn and measures their pages."""

    def __init__(self, page: Page, keys: dict[str, Any]) -> None:
        self.page = page
        self.keys = keys
        self.measures: dict[str, dict[str, Any]] = {}

    def as_person(self, username: str) -> None:
        self.page.context.clear_cookies()
        sign_in(self.page, username, PASSWORD)

    def visit(self, label: str, name: str, arguments: dict[str, str]) -> dict[str, Any]:
        answer = self.page.goto(_address(name, arguments, self.keys))
        assert answer is not None, f"{name} gave no answer"
        assert answer.status == 200, f"{name} answered {answer.status}"
        self.page.wait_for_load_state("load")
        measured: dict[str, Any] = self.page.evaluate(MEASURE_JS)
        size = self.page.viewport_size or PHONE
        shot = f"{label}-{size['width']}-{name.replace(':', '-')}"
        screenshot(self.page, shot)
        self.measures[shot] = measured
        return measured


@pytest.fixture(scope="module")
def walk(browser: Browser, served_app: RunningServer) -> Iterator[Walk]:
    started = time.monotonic()
    keys = make_people(served_app.env)
    context = browser.new_context(
        base_url=served_app.url.rstrip("/"), viewport=PHONE, device_scale_factor=1, has_touch=True
    )
    context.set_default_timeout(15_000)
    walk = Walk(context.new_page(), keys)
    yield walk
    context.close()
    MEASURES.parent.mkdir(parents=True, exist_ok=True)
    seconds = round(time.monotonic() - started, 1)
    MEASURES.write_text(json.dumps({"seconds": seconds, "pages": walk.measures}, indent=1))


def _phone_problems(walk: Walk, label: str, pages: list[tuple[str, dict[str, str]]]) -> list[str]:
    problems = []
    for name, arguments in pages:
        measured = walk.visit(label, name, arguments)
        if measured["overflow"] > 0:
            problems.append(f"{name} is {measured['overflow']} px wider than the phone's screen")
        if measured["scrollers"]:
            problems.append(f"{name} has a part that scrolls sideways: {measured['scrollers']}")
        if measured["header"] > HEADER_MAX_PX:
            problems.append(f"{name}'s header is {measured['header']} px tall")
        if measured["tabBar"] > TAB_BAR_MAX_PX:
            problems.append(f"{name}'s tab bar is {measured['tabBar']} px tall")
        if label == "self-carer" and name in READ_CHECKED:
            problems += [f"{name}: {problem}" for problem in readability_problems(walk.page)]
    return problems


def test_a_self_carers_pages_fit_a_phone_screen_and_read_well(walk: Walk) -> None:
    walk.page.set_viewport_size(PHONE)
    walk.as_person(SELF_CARER)
    assert _phone_problems(walk, "self-carer", SELF_CARER_PAGES) == []
    today = walk.visit("self-carer", "guide:today", {})
    assert today["current"] == ["Session"], "the menu marks the current place, once, as shown"
    walk.page.get_by_text("More", exact=True).click()
    screenshot(walk.page, "self-carer-390-more-open")
    targets = walk.page.evaluate(TARGETS_JS)
    assert "Sign out" in [name for name, _, _ in targets], "Sign out is in the opened More"
    small = [target for target in targets if min(target[1], target[2]) < TAP_MIN_PX]
    assert small == [], f"menu places smaller than {TAP_MIN_PX} px to tap: {small}"
    assert walk.page.evaluate(OFF_SCREEN_JS) == [], "the opened More fits on the screen"


def test_a_practitioners_pages_fit_a_phone_screen(walk: Walk) -> None:
    walk.page.set_viewport_size(PHONE)
    walk.as_person(PRACTITIONER)
    assert _phone_problems(walk, "practitioner", PRACTITIONER_PAGES) == []


def test_the_menu_and_sign_out_are_one_line_on_a_laptop(walk: Walk) -> None:
    walk.page.set_viewport_size(LAPTOP)
    for username, (name, arguments) in (
        (SELF_CARER, SELF_CARER_PAGES[0]),
        (PRACTITIONER, PRACTITIONER_PAGES[0]),
    ):
        walk.as_person(username)
        measured = walk.visit(username, name, arguments)
        assert measured["overflow"] <= 0, f"{username}'s {name} is wider than 1280 px"
        middles = walk.page.evaluate(LINE_MIDDLES_JS)
        assert max(middles) - min(middles) <= 8, f"{username}'s menu wraps at 1280 px: {middles}"
        assert walk.page.locator(".site-header > .sign-out button").is_visible()
