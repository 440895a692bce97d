"""Logging in seconds: ratings as rows of buttons with the better end on the right, nothing
chosen at first; peptides remembering the last product and dose; a correction or deletion
reaching the progress dashboard and the practice's audit log."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.core.measures import MEASURES, SELF_RATINGS, scale_worse_to_better
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import PeptideIntake, SelfRating
from collagen_coach.web.progress.services import progress_dashboard

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=2)
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 6, "sagging": 5}


@pytest.mark.parametrize("scale", SELF_RATINGS)
def test_every_scale_puts_its_better_end_on_the_right(scale: str) -> None:
    worse, better = scale_worse_to_better(scale)
    measure = MEASURES[scale]
    assert {worse.words, better.words} == set(measure.scale_ends)
    assert (better.score > worse.score) == (measure.better == "higher")


def _buttons(page: str, scale: str) -> list[str]:
    return re.findall(rf'name="{scale}" id="[^"]+" value="(\d+)"', page)


def test_the_rating_page_shows_eleven_buttons_a_scale_none_chosen(
    browser_of: Callable[..., Any],
) -> None:
    web, _ = browser_of("ann")
    page = web.get(reverse("journal:rating")).content.decode()
    assert _buttons(page, "firmness") == [str(n) for n in range(11)]
    assert _buttons(page, "fine_lines") == [str(n) for n in range(10, -1, -1)]
    assert _buttons(page, "sagging") == [str(n) for n in range(10, -1, -1)]
    assert 'type="radio"' in page
    assert " checked" not in page


def test_a_scale_left_alone_is_not_rated_and_nothing_is_saved(
    browser_of: Callable[..., Any],
) -> None:
    web, _ = browser_of("ann")
    untouched = {k: v for k, v in SCORES.items() if k != "elasticity"}
    page = web.post(reverse("journal:rating"), {"date": TODAY, **untouched}).content.decode()
    assert "Not rated yet: choose a number from 0 (none) to 10 (springs right back)." in page
    assert "Nothing was saved yet" in page
    assert not SelfRating.objects.exists()


def test_the_peptides_form_starts_from_the_last_product_and_dose(
    browser_of: Callable[..., Any],
) -> None:
    web, ann = browser_of("ann")
    first = web.get(reverse("journal:peptides")).content.decode()
    assert "Filled in from your last dose" not in first
    journal.log_peptides(ann, DAY - dt.timedelta(days=1), "5", "Verisol")
    journal.log_peptides(ann, DAY, "2.5", "Peptan")
    page = web.get(reverse("journal:peptides")).content.decode()
    assert 'name="grams" value="2.5"' in page
    assert 'name="product" value="Peptan"' in page
    assert f'name="date" value="{TODAY.isoformat()}"' in page
    assert "Filled in from your last dose" in page


def test_a_corrected_or_deleted_rating_reaches_the_cached_dashboard(
    browser_of: Callable[..., Any],
) -> None:
    web, ann = browser_of("ann")
    rating = journal.rate(ann, DAY, **SCORES)
    before = progress_dashboard(ann, TODAY)
    address = reverse("journal:rating_entry", args=[rating.pk])
    web.post(address, {**SCORES, "glow": 2})
    corrected = progress_dashboard(ann, TODAY)
    assert corrected is not before  # not the cached one: the stamp changed
    web.post(address, {"delete": "1", "confirm": "1"})
    after = progress_dashboard(ann, TODAY)
    assert after is not corrected
    assert not after.ratings


def test_corrections_and_deletions_on_the_pages_are_in_the_practice_audit_log(
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    client: Any,
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    practice, _ = make_practice()
    cora = make_practice_client(practice, account="cora")
    client.force_login(cora.account)
    dose = journal.log_peptides(cora, DAY, "5")
    rating = journal.rate(cora, DAY, **SCORES)
    address = reverse("journal:peptides_entry", args=[dose.pk])
    client.post(address, {"date": DAY.isoformat(), "grams": "6", "product": ""})
    client.post(address, {"delete": "1", "confirm": "1"})
    client.post(reverse("journal:rating_entry", args=[rating.pk]), {"delete": "1", "confirm": "1"})
    events = AuditEvent.objects.filter(client=cora).order_by("at", "pk")
    assert [(e.action, e.what) for e in events] == [
        ("change", "peptides"),
        ("change", "peptides"),
        ("change", "self-rating"),
    ]
    assert not PeptideIntake.objects.filter(client=cora).exists()
