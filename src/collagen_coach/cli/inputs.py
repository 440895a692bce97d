"""What the commands take in: the shared options, JSON files, days and times, and the account
whose records a command works on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import parse_json
from collagen_coach.web.store import open_store

if TYPE_CHECKING:
    from collagen_coach.core.planning import Program

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        envvar="COLLAGEN_COACH_USER",
        help="The account whose records to use (needed when DATABASE_URL is set).",
    ),
]
DayOption = Annotated[
    str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
]


def read_json_file(path: Path) -> Any:
    """Give the parsed contents of a JSON file, or raise a UserError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UserError(str(path), "file not found") from exc
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise UserError(str(path), f"cannot be read ({exc.__class__.__name__})") from exc
    return parse_json(text, str(path))


def parse_date(text: str | None, field: str = "date") -> dt.date:
    """Give ``text`` as a date (today when None), or a UserError naming ``field``."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(field, f"{text!r} is not a date", "YYYY-MM-DD") from exc


def parse_time(text: str, field: str) -> dt.time:
    """Give ``text`` as a clock time, or a UserError naming ``field``."""
    try:
        return dt.time.fromisoformat(text)
    except ValueError as exc:
        raise UserError(field, f"{text!r} is not a clock time", "HH:MM, e.g. 08:30") from exc


def day_or_today(value: str | None) -> Any:
    """Give the date typed for ``--date``, or today."""
    from collagen_coach.web.lib.dates import parse_day, today

    return today() if value is None else parse_day("date", value)


def journal_client(user: str | None) -> Any:
    """Give the client the command works for, the store opened (created and migrated on first
    use)."""
    open_store()
    from collagen_coach.web.clients.services import terminal_client

    return terminal_client(user)


def current_program_or_fail(user: str | None) -> tuple[Any, Program]:
    """Give the client the command works for and their current plan, or a UserError."""
    client = journal_client(user)
    from collagen_coach.web.plans.services import current_program

    program = current_program(client)
    if program is None:
        raise UserError("plan", "there is no current plan", "make one: collagen-coach plan FILE")
    return client, program
