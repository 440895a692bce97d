"""The progress report to download from the dashboard: the same report `collagen-coach report`
writes, as PDF or as one HTML page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.demo import PHOTO_FOLDER
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos import services as photos
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
