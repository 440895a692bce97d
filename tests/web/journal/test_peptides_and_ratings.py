"""Peptide doses and self-ratings: checked on the way in, refused whole when wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PeptideIntake, SelfRating
from collagen_coach.web.journal.services import log_peptides, rate

from ..builders import FUTURE, START

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


def test_a_peptide_dose_is_recorded_with_its_product(self_carer: Client) -> None:
    dose = log_peptides(self_carer, START, "2.5", "  hydrolysed bovine collagen ")
    dose.refresh_from_db()
    assert (dose.date, dose.grams, dose.product) == (
        START,
        Decimal("2.50"),
        "hydrolysed bovine collagen",
    )


@pytest.mark.parametrize("grams", [0.01, 10, "30", Decimal("30.00")], ids=str)
def test_doses_from_a_hundredth_of_a_gram_up_to_thirty_grams_are_accepted(
    self_carer: Client, grams: object
) -> None:
    dose = log_peptides(self_carer, START, grams)  # type: ignore[arg-type]
    assert Decimal("0") < dose.grams <= Decimal("30")


@pytest.mark.parametrize(
    ("grams", "message"),
    [
        pytest.param(0, "grams: 0 is out of range", id="zero"),
        pytest.param(-5, "grams: -5 is out of range", id="negative"),
        pytest.param("30.01", "grams: 30.01 is out of range", id="over-thirty"),
        pytest.param("lots", "grams: 'lots' is not a number", id="not-a-number"),
        pytest.param("nan", "grams: 'nan' is not a number", id="nan"),
        pytest.param("inf", "grams: 'inf' is not a number", id="infinite"),
        pytest.param(True, "grams: True is not a number", id="boolean"),
        pytest.param("2.555", "grams: 2.555 has too many decimals", id="thousandths"),
    ],
)
def test_a_bad_dose_is_refused_and_nothing_is_recorded(
    self_carer: Client, grams: object, message: str
) -> None:
    with pytest.raises(UserError) as caught:
        log_peptides(self_carer, START, grams)  # type: ignore[arg-type]
    assert caught.value.message.startswith(message)
    assert PeptideIntake.objects.count() == 0


def test_the_allowed_dose_range_is_named_in_the_message(self_carer: Client) -> None:
    with pytest.raises(UserError) as caught:
        log_peptides(self_carer, START, 31)
    assert caught.value.message == (
        "grams: 31 is out of range (allowed: more than 0 and at most 30, e.g. 2.5 or 10)"
    )


def test_a_dose_dated_in_the_future_is_refused(self_carer: Client) -> None:
    with pytest.raises(UserError) as caught:
        log_peptides(self_carer, FUTURE, 5)
    assert caught.value.message == "date: 2099-01-01 is in the future (allowed: today or earlier)"
    assert PeptideIntake.objects.count() == 0


@pytest.mark.parametrize("grams", ["0", "30.5"])
def test_database_refuses_a_dose_out_of_range_whatever_writes_it(
    self_carer: Client, grams: str
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PeptideIntake.objects.create(client=self_carer, date=START, grams=Decimal(grams))


def test_a_self_rating_keeps_five_scores_and_a_note(self_carer: Client) -> None:
    rating = rate(self_carer, START, **SCORES, note="jaw feels tighter")
    rating.refresh_from_db()
    assert rating.scores() == SCORES
    assert rating.note == "jaw feels tighter"


def test_a_second_rating_on_the_same_day_replaces_the_first(self_carer: Client) -> None:
    rate(self_carer, START, **SCORES)
    rate(self_carer, START, **{**SCORES, "glow": 8})
    assert SelfRating.objects.count() == 1
    assert SelfRating.objects.get().glow == 8


@pytest.mark.parametrize("scale", list(SCORES))
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        pytest.param(11, "11 is out of range", id="eleven"),
        pytest.param(-1, "-1 is out of range", id="minus-one"),
        pytest.param(7.5, "7.5 is not a whole number", id="half-point"),
        pytest.param("7", "'7' is not a whole number", id="text"),
    ],
)
def test_a_score_outside_zero_to_ten_is_refused_naming_the_scale(
    self_carer: Client, scale: str, value: object, problem: str
) -> None:
    with pytest.raises(UserError) as caught:
        rate(self_carer, START, **{**SCORES, scale: value})  # type: ignore[arg-type]
    assert caught.value.message == f"{scale}: {problem} (allowed: 0–10)"
    assert SelfRating.objects.count() == 0


def test_a_bad_rating_leaves_the_earlier_rating_of_the_day_as_it_was(self_carer: Client) -> None:
    rate(self_carer, START, **SCORES, note="first")
    with pytest.raises(UserError):
        rate(self_carer, START, **{**SCORES, "firmness": 11}, note="second")
    kept = SelfRating.objects.get()
    assert (kept.firmness, kept.note) == (6, "first")


def test_a_rating_dated_in_the_future_is_refused(self_carer: Client) -> None:
    with pytest.raises(UserError, match=r"^date: 2099-01-01 is in the future"):
        rate(self_carer, FUTURE, **SCORES)


def test_a_note_longer_than_two_thousand_characters_is_refused(self_carer: Client) -> None:
    with pytest.raises(
        UserError, match=r"^note: is 2001 characters long \(allowed: at most 2000\)"
    ):
        rate(self_carer, START, **SCORES, note="x" * 2001)


@pytest.mark.parametrize("scale", list(SCORES))
def test_database_refuses_a_score_above_ten_whatever_writes_it(
    self_carer: Client, scale: str
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfRating.objects.create(client=self_carer, date=START, **{**SCORES, scale: 11})
