"""Checks on what a user types into the journal; each gives the clean value or raises UserError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from collagen_coach.core import measures
from collagen_coach.core.errors import UserError
from collagen_coach.web.journal.models import PEPTIDE_MAX_GRAMS, RATING_MAX, RATING_MIN
from collagen_coach.web.lib.dates import today

NOTE_MAX_CHARS = 2000


def journal_day(field: str, day: dt.date) -> dt.date:
    """Give ``day`` back if the journal may hold it: from ``core.measures.EARLIEST_DAY`` to
    today."""
    return measures.check_day(field, day, today())


def score(field: str, value: object) -> int:
    """Give a self-rating score, a whole number from 0 to 10."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(field, f"{value!r} is not a whole number", f"{RATING_MIN}–{RATING_MAX}")
    if not RATING_MIN <= value <= RATING_MAX:
        raise UserError(field, f"{value} is out of range", f"{RATING_MIN}–{RATING_MAX}")
    return value


def grams(field: str, value: object) -> Decimal:
    """Give a peptide dose in grams: more than 0, at most 30, to 0.01 g."""
    allowed = f"more than 0 and at most {PEPTIDE_MAX_GRAMS}, e.g. 2.5 or 10"
    if isinstance(value, bool):
        raise UserError(field, f"{value!r} is not a number", allowed)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise UserError(field, f"{value!r} is not a number", allowed)
    if not 0 < amount <= PEPTIDE_MAX_GRAMS:
        raise UserError(field, f"{value} is out of range", allowed)
    if amount != amount.quantize(Decimal("0.01")):
        raise UserError(field, f"{value} has too many decimals", "at most two, e.g. 2.5")
    return amount.quantize(Decimal("0.01"))


def yes_no(body: Mapping[str, object], name: str) -> bool | None:
    """Give a comfort answer (pain, redness): true, false, or None when not said."""
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise UserError(name, f"{value!r} is not yes or no", "true, false or null (not said)")
    return value
