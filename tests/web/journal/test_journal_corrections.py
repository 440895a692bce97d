"""Correcting or deleting one dose, one rating or one reading from the journal's pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import InstrumentReading, PeptideIntake, SelfRating
from web.builders import stored_reading

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DAY = dt.date.today() - dt.timedelta(days=3)
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 6, "sagging": 5}


def one_of_each(person: Any) -> dict[str, Any]:
    """Give a dose, a rating and a reading of ``person``, by the name of their page."""
    return {
        "journal:peptides_entry": journal.log_peptides(person, DAY, "5", "Verisol"),
        "journal:rating_entry": journal.rate(person, DAY, **SCORES),
        "journal:reading_entry": stored_reading(person, DAY, 0.71),
    }


CORRECTIONS = {
    "journal:peptides_entry": {"date": DAY.isoformat(), "grams": "7.5", "product": "Verisol"},
    "journal:rating_entry": {**SCORES, "glow": 2, "note": "tired"},
    "journal:reading_entry": {"date": DAY.isoformat(), "value": "0.65", "unit": "ratio"},
}


def test_the_journal_links_each_entry_to_its_correction_page(
    browser_of: Callable[..., Any],
) -> None:
    web, ann = browser_of("ann")
    made = one_of_each(ann)
    page = web.get(reverse("journal:index")).content.decode()
    for name, entry in made.items():
        assert reverse(name, args=[entry.pk]) in page


def test_each_entry_is_corrected_on_its_own_page(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    for name, entry in one_of_each(ann).items():
        address = reverse(name, args=[entry.pk])
        assert web.get(address).status_code == 200
        answer = web.post(address, CORRECTIONS[name])
        assert answer.status_code == 302, answer.content.decode()
    assert PeptideIntake.objects.get(client=ann).grams == 7.5
    assert (SelfRating.objects.get(client=ann).glow, SelfRating.objects.get(client=ann).date) == (
        2,
        DAY,
    )
    assert InstrumentReading.objects.get(client=ann).value == 0.65


def test_each_entry_is_deleted_on_its_own_and_the_rest_stays(
    browser_of: Callable[..., Any],
) -> None:
    web, ann = browser_of("ann")
    journal.log_peptides(ann, DAY, "3")
    for name, entry in one_of_each(ann).items():
        answer = web.post(reverse(name, args=[entry.pk]), {"delete": "1", "confirm": "1"})
        assert answer.status_code == 302
    assert [dose.grams for dose in PeptideIntake.objects.filter(client=ann)] == [3]
    assert not SelfRating.objects.filter(client=ann).exists()
    assert not InstrumentReading.objects.filter(client=ann).exists()


def test_a_deletion_asks_to_confirm_first_and_changes_nothing_until_then(
    browser_of: Callable[..., Any],
) -> None:
    web, ann = browser_of("ann")
    for name, entry in one_of_each(ann).items():
        answer = web.post(reverse(name, args=[entry.pk]), {"delete": "1"})
        page = answer.content.decode()
        assert answer.status_code == 200
        assert "cannot be undone" in page
        assert 'name="confirm"' in page
    assert PeptideIntake.objects.filter(client=ann).count() == 1
    assert SelfRating.objects.filter(client=ann).count() == 1
    assert InstrumentReading.objects.filter(client=ann).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_entry_answers_404_and_stays(
    browser_of: Callable[..., Any], method: str
) -> None:
    _, bea = browser_of("bea")
    web, _ = browser_of("ann")
    for name, entry in one_of_each(bea).items():
        address = reverse(name, args=[entry.pk])
        confirmed = {"delete": "1", "confirm": "1"}
        answer = web.get(address) if method == "get" else web.post(address, confirmed)
        assert answer.status_code == 404
    assert PeptideIntake.objects.filter(client=bea).count() == 1
    assert SelfRating.objects.filter(client=bea).count() == 1
    assert InstrumentReading.objects.filter(client=bea).count() == 1


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param("1e200", "is not a possible value", id="huge"),
        pytest.param("-0.2", "is not a possible value", id="negative-ratio"),
        pytest.param("inf", "Enter a number", id="infinite"),
    ],
)
def test_a_reading_the_instrument_cannot_give_is_refused_with_what_is_allowed(
    browser_of: Callable[..., Any], value: str, words: str
) -> None:
    web, ann = browser_of("ann")
    entry = one_of_each(ann)["journal:reading_entry"]
    body = {**CORRECTIONS["journal:reading_entry"], "value": value}
    answer = web.post(reverse("journal:reading_entry", args=[entry.pk]), body)
    assert answer.status_code == 200
    assert words in answer.content.decode()
    assert InstrumentReading.objects.get(client=ann).value == 0.71


def test_a_dose_dated_before_1970_is_refused(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    entry = one_of_each(ann)["journal:peptides_entry"]
    body = {**CORRECTIONS["journal:peptides_entry"], "date": "1969-12-31"}
    answer = web.post(reverse("journal:peptides_entry", args=[entry.pk]), body)
    assert "too long ago" in answer.content.decode()
    assert PeptideIntake.objects.get(client=ann).date == DAY
