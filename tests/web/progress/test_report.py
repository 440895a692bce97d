"""The progress report to download from the dashboard: the same report `collagen-coach report`
writes, as PDF or as one HTML page."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.core.progress import how_we_judge
from collagen_coach.web.demo import PHOTO_FOLDER
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos import services as photos
from collagen_coach.web.progress.services import journal_progress
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

REPORT = reverse("progress:report")


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    answer = WebClient().get(REPORT, {"format": "pdf"})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_the_html_report_downloads_as_one_page(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=21, photos=3)
    answer = web.get(REPORT, {"format": "html"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/html")
    assert answer["Content-Disposition"] == (
        f'attachment; filename="progress-report-{today().isoformat()}.html"'
    )
    page = answer.content.decode()
    assert "Ann" in page  # whose report it is
    assert "Firmness (your rating)" in page
    assert "no_change_detected" in page or "not enough data yet" in page


@pytest.mark.slow
def test_the_pdf_report_downloads(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=21, photos=0)
    answer = web.get(REPORT, {"format": "pdf"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")


def test_an_unknown_format_says_which_ones_there_are(browser_of: Callable[..., Any]) -> None:
    web, _ = browser_of("ann")
    answer = web.get(REPORT, {"format": "docx"})
    assert answer.status_code == 400
    assert "“docx” is not a report format" in answer.text
    assert "PDF or HTML" in answer.text


def test_the_report_holds_only_ones_own_records(browser_of: Callable[..., Any]) -> None:
    ann_web, _ = browser_of("ann")
    _, bob = browser_of("bob")
    make_history(bob, today=today(), days=21, photos=0)
    page = ann_web.get(REPORT, {"format": "html"}).content.decode()
    assert "Bob" not in page
    assert "Firmness (your rating)" not in page


def test_the_web_report_has_the_chosen_photos_or_the_first_and_the_latest(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    stored = {}
    # The demo's photos pass the quality check.
    for name, demo, days_ago in (
        ("first.jpg", "baseline-1.jpg", 14),
        ("middle.jpg", "week-1.jpg", 7),
        ("latest.jpg", "week-9.jpg", 0),
    ):
        day = today() - dt.timedelta(days=days_ago)
        image = (PHOTO_FOLDER / demo).read_bytes()
        stored[name] = photos.store_photo(person, image, name, day)
        photos.analyse(stored[name])

    page = web.get(REPORT, {"format": "html"}).content.decode()
    assert page.count('src="data:image/jpeg;base64,') == 2
    assert "Before: first.jpg" in page
    assert "After, lined up on the before photo: latest.jpg" in page

    # The pair chosen on the compare page, in either order.
    chosen = {"format": "html", "before": stored["middle.jpg"].pk, "after": stored["first.jpg"].pk}
    page = web.get(REPORT, chosen).content.decode()
    assert "Before: first.jpg" in page
    assert "After, lined up on the before photo: middle.jpg" in page

    bob, _ = browser_of("bob")
    assert bob.get(REPORT, chosen).status_code == 404  # Ann's photos are not Bob's to choose


def test_the_compare_page_links_to_the_report_with_its_pair(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    pair = []
    for demo, days_ago in (("baseline-1.jpg", 14), ("week-9.jpg", 0)):
        day = today() - dt.timedelta(days=days_ago)
        pair.append(photos.store_photo(person, (PHOTO_FOLDER / demo).read_bytes(), demo, day))
        photos.analyse(pair[-1])
    page = web.get(reverse("photos:compare"), {"before": pair[0].pk, "after": pair[1].pk})
    link = f"{REPORT}?format=pdf&amp;before={pair[0].pk}&amp;after={pair[1].pk}"
    assert link in page.content.decode()


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_the_report_opens_with_the_concerns_in_the_dashboards_and_the_apis_words(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=84, photos=12)
    board = web.get(reverse("progress:dashboard")).context["board"]
    api = journal_progress(person, today()).result.as_json()["concerns"]
    page = web.get(REPORT, {"format": "html"}).content.decode()
    concerns = re.search(r'<div class="concerns" id="concerns">(.*?)\n  </div>', page, re.S)
    assert concerns is not None
    cards = re.findall(r'<div class="concern [^"]*" id="concern-([a-z_]+)">(.*?)</div>', page, re.S)
    assert [name for name, _ in cards] == [c.name for c in board.concerns]
    assert [name for name, _ in cards] == [c["concern"] for c in api]
    for (_, card_html), card, answer in zip(cards, board.concerns, api, strict=True):
        words = plain(card_html)
        assert (card.headline, card.based_on, card.missing) == (
            answer["headline"],
            answer["based_on"],
            answer["missing"],
        )
        assert words.startswith(f"{card.title} {card.short_words.capitalize()} ")
        for said in (card.verdict_words.capitalize(), card.based_on, card.rating_words):
            assert said in words
        assert card.missing in words
    # The concerns come first; how they are judged is said near the end.
    assert page.index('id="concerns"') < page.index('id="adherence"')
    judge = plain(page.split('id="how-we-judge"')[1].split("</section>")[0])
    for paragraph in how_we_judge():
        assert paragraph in judge
