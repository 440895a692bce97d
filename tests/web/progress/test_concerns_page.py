"""The dashboard answers "is it working?" first: one card per concern, in the same words, counts
and dates as the API and ``collagen-coach progress`` give for the same person."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from collagen_coach.cli.output import console
from collagen_coach.cli.progress import _concerns
from collagen_coach.core.baseline import first_verdict_on
from collagen_coach.core.progress import CONCERNS, SIMULATED
from collagen_coach.core.words import EXPLORATORY_WORDS, day_in_words
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.services import journal_progress
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DASHBOARD = reverse("progress:dashboard")
STATISTICS_WORDS = ("MDC", "95 %", "interval", "SEM", "noise")


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def section(page_html: str, heading_id: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page_html, re.S)
    assert found, f"the page has the {heading_id} section"
    return found.group(1)


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def dashboard_of(browser_of: Callable[..., Any], days: int, photos: int) -> tuple[Any, str, Any]:
    """Give a person's dashboard (its data and its words) after ``days`` of history, and the
    analysis the API and ``collagen-coach progress`` show for her."""
    web, person = browser_of("ann")
    make_history(person, today=today(), days=days, photos=photos)
    answer = web.get(DASHBOARD)
    page = plain(answer.content.decode())
    return answer.context["board"], page, journal_progress(person, today()).result


def test_the_concerns_come_first_in_plain_words(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=84, photos=12)
    page = web.get(DASHBOARD).content.decode()
    order = [page.index(words) for words in ("Is it working?", "How we judge", "Sessions done")]
    assert order == sorted(order)
    assert page.index("Sessions done") < page.index("Every measurement, place by place")
    cards = plain(section(page, "concerns-heading"))
    judge = plain(section(page, "judge-heading"))
    for concern in CONCERNS:
        assert f"{concern.title} " in cards
    for words in STATISTICS_WORDS:
        assert words not in cards
        assert words not in judge
    assert f"at most {100 * SIMULATED.worst_concern_false:.1f} %" in judge
    assert f"{100 * SIMULATED.any_concern_false:.1f} % were told at least one" in judge


def test_page_api_and_command_line_say_the_same_for_one_person(
    browser_of: Callable[..., Any],
) -> None:
    board, page, result = dashboard_of(browser_of, days=84, photos=12)
    # The API's answer and `collagen-coach progress --json` are this JSON (tests/web/api).
    api = result.as_json()["concerns"]
    with console.capture() as printed:
        _concerns(result.concerns)
    terminal = " ".join(printed.get().split())

    assert [card.name for card in board.concerns] == [c["concern"] for c in api]
    for card, answer in zip(board.concerns, api, strict=True):
        assert (card.verdict, card.headline, card.based_on, card.missing) == (
            answer["verdict"],
            answer["headline"],
            answer["based_on"],
            answer["missing"],
        )
        for words in (answer["headline"], answer["based_on"], answer["missing"]):
            assert words in terminal
        for words in (card.verdict_words.capitalize(), card.based_on, card.missing):
            assert words in page
        if answer["first_day"]:
            first, last = answer["first_day"], answer["last_day"]
            assert f"{answer['days']} days from" in answer["based_on"]
            assert day_in_words(dt.date.fromisoformat(last), year=True) in answer["based_on"]
            assert first <= last


def test_too_early_says_what_is_missing_and_the_first_verdict_day(
    browser_of: Callable[..., Any],
) -> None:
    board, page, result = dashboard_of(browser_of, days=20, photos=4)
    api = {c["concern"]: c for c in result.as_json()["concerns"]}
    glow = next(card for card in board.concerns if card.name == "glow")
    assert glow.verdict == "not_enough_data"
    when = first_verdict_on(dt.date.fromisoformat(api["glow"]["first_day"]))
    assert api["glow"]["first_verdict_on"] == when.isoformat()
    assert f"A verdict is possible from {day_in_words(when, year=True)} at the earliest." in page
    assert "Not enough data yet" in page


def test_evidence_links_reach_the_measures_cards_and_rows(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=84, photos=12)
    answer = web.get(DASHBOARD)
    page = answer.content.decode()
    anchors = {
        link.anchor
        for card in answer.context["board"].concerns
        for link in [
            *(one for group in card.groups for one in group.links),
            *([card.rating_link] if card.rating_link else []),
        ]
    }
    assert anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in page


def test_exploratory_measures_are_shown_marked_and_left_out_of_the_concerns(
    browser_of: Callable[..., Any],
) -> None:
    board, page, result = dashboard_of(browser_of, days=84, photos=12)
    lines = [s for s in board.photos if s.metric == "line_length_cm_per_cm2"]
    fine_lines = next(c for c in result.concerns if c.concern.name == "fine_lines")

    assert lines
    assert {s.verdict_words for s in lines} == {EXPLORATORY_WORDS}
    assert f"Line length is shown but not in the verdict: {EXPLORATORY_WORDS}." in page
    assert "line_length_cm_per_cm2" not in {s.metric for s in fine_lines.used}
