"""What the product takes in from outside — JSON, text, days — checked the same at every edge.

The CLI, the API and the pages call these, so a value one of them refuses is refused by all, and
a value none of them can store (a NUL character, which PostgreSQL text cannot hold) or compute
with (a day in year 9999, JSON nested 100,000 deep) is refused with one line, never a crash.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from collagen_coach.core.errors import UserError, field_path

# Deeper JSON than any answer the product asks for; Python's parser would exhaust its stack
# (RecursionError) somewhere near 1,000 levels.
JSON_MAX_DEPTH = 32
NUL = "\x00"
NUL_ALLOWED = "text without NUL characters (\\x00)"
# The first day anyone could give for something in their life: a birth year's bound.
EARLIEST_DAY = dt.date(1900, 1, 1)


def refuse_nul(field: str, text: str) -> str:
    """Give ``text`` back if it holds no NUL character (PostgreSQL cannot store one)."""
    if NUL in text:
        raise UserError(field, "contains a NUL character", NUL_ALLOWED)
    return text


def short_text(field: str, value: str, max_chars: int) -> str:
    """Give ``value`` stripped, if it fits in ``max_chars`` characters and holds no NUL."""
    text = refuse_nul(field, value.strip())
    if len(text) > max_chars:
        raise UserError(field, f"is {len(text)} characters long", f"at most {max_chars}")
    return text


def csv_row(name: str, line: int, header: list[str], cells: list[str]) -> dict[str, str]:
    """Give one CSV row's cells by column, stripped, or a UserError naming the file and line when
    the row has more or fewer fields than the header."""
    if len(cells) != len(header):
        raise UserError(
            f"{name} line {line}",
            f"has {len(cells)} fields but the header has {len(header)}",
            ",".join(header),
        )
    return {column: cell.strip() for column, cell in zip(header, cells, strict=True)}


def parse_json(data: str | bytes, source: str, *, nul_checked_later: bool = False) -> Any:
    """Give parsed JSON, or a UserError naming ``source``: not JSON, nested too deeply, a number
    too long to read, or text holding a NUL character (named by its path, e.g. ``notes[2]``).

    ``nul_checked_later``: the caller's schema refuses NUL in each text field itself (the API's).
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(source, "is not UTF-8 text", "JSON saved as UTF-8") from None
    depth = _nesting(data)
    if depth > JSON_MAX_DEPTH:
        raise UserError(source, f"is nested {depth} levels deep", f"at most {JSON_MAX_DEPTH}")
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UserError(
            source, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise UserError(source, f"not valid JSON ({exc})".split(";")[0]) from None
    if not nul_checked_later:
        _refuse_nul_inside(value, ())
    return value


def _nesting(text: str) -> int:
    """Give how deeply brackets nest in ``text``, outside strings (an upper bound of JSON's)."""
    deepest = depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _refuse_nul_inside(value: Any, path: tuple[int | str, ...]) -> None:
    if isinstance(value, str):
        refuse_nul(field_path(path) or "body", value)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _refuse_nul_inside(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(field_path(path) or "body", key)
            _refuse_nul_inside(item, (*path, key))


def check_day(field: str, day: dt.date, earliest: dt.date, latest: dt.date) -> dt.date:
    """Give ``day`` back if it lies from ``earliest`` to ``latest`` (both included)."""
    if not earliest <= day <= latest:
        raise UserError(field, f"{day} is out of range", f"{earliest} to {latest}")
    return day


def check_past_day(
    field: str, day: dt.date, today: dt.date, earliest: dt.date = EARLIEST_DAY
) -> dt.date:
    """Give ``day`` back if it is today or earlier, but not before ``earliest`` (1900)."""
    if day > today:
        raise UserError(field, f"{day} is in the future", "today or earlier")
    return check_day(field, day, earliest, today)
