"""Days as a person gives them: today's date on this computer, and a day written as text."""

from __future__ import annotations

import datetime as dt

from collagen_coach.core.errors import UserError


def today() -> dt.date:
    """Give today's date on this computer (the user's own calendar day)."""
    return dt.date.today()


def parse_day(field: str, text: str) -> dt.date:
    """Give the date written as ``YYYY-MM-DD`` in ``text``."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(field, f"{text!r} is not a date", "YYYY-MM-DD") from None
