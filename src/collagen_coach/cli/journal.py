"""Writing in the journal: instrument readings imported, peptides, self-ratings and progress
photos logged, and the journal shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from collagen_coach.cli.inputs import DayOption, JsonFlag, UserOption, day_or_today, journal_client
from collagen_coach.cli.output import console, print_json
from collagen_coach.core.errors import UserError
from collagen_coach.core.measures import scale_in_words

import_app = typer.Typer(help="Bring data in from files.", no_args_is_help=True)
log_app = typer.Typer(
    help="Write in your journal: peptides taken, how your skin looks and feels, progress photos.",
    no_args_is_help=True,
)


@import_app.command("readings")
def import_readings_command(
    csv_file: Annotated[
        Path, typer.Argument(help="CSV: date,instrument,parameter,zone,side,value[,unit]")
    ],
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Import skin-instrument readings (e.g. Cutometer R2 per zone): all rows or none."""
    client = journal_client(user)
    from collagen_coach.web.journal.readings import import_readings

    result = import_readings(client, csv_file)
    if as_json:
        print_json({"file": str(csv_file), "added": result.added, "duplicates": result.duplicates})
        return
    message = f"Added {result.added} reading{'' if result.added == 1 else 's'} from {csv_file.name}"
    if result.duplicates:
        message += f"; {result.duplicates} were already in your journal and were left as they were"
    console.print(message + ".", markup=False)


@log_app.command("peptides")
def log_peptides_command(
    grams: Annotated[str, typer.Option("--grams", help="Grams taken, e.g. 5 or 2.5 (max 30).")],
    product: Annotated[str, typer.Option("--product", help="Product name.")] = "",
    date: DayOption = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Record a dose of collagen peptides."""
    client = journal_client(user)
    from collagen_coach.web.journal.services import log_peptides

    dose = log_peptides(client, day_or_today(date), grams, product)
    if as_json:
        print_json(
            {"date": dose.date.isoformat(), "grams": float(dose.grams), "product": dose.product}
        )
        return
    console.print(f"Recorded {float(dose.grams):g} g of collagen peptides on {dose.date}.")


@log_app.command("rating")
def log_rating_command(
    firmness: Annotated[int, typer.Option("--firmness", help=scale_in_words("firmness"))],
    elasticity: Annotated[int, typer.Option("--elasticity", help=scale_in_words("elasticity"))],
    fine_lines: Annotated[int, typer.Option("--fine-lines", help=scale_in_words("fine_lines"))],
    glow: Annotated[int, typer.Option("--glow", help=scale_in_words("glow"))],
    sagging: Annotated[int, typer.Option("--sagging", help=scale_in_words("sagging"))],
    date: DayOption = None,
    note: Annotated[str, typer.Option("--note", help="Anything you noticed.")] = "",
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Rate your skin today, each scale 0–10 (a second rating on a day replaces the first)."""
    client = journal_client(user)
    from collagen_coach.web.journal.services import rate

    rating = rate(
        client,
        day_or_today(date),
        firmness=firmness,
        elasticity=elasticity,
        fine_lines=fine_lines,
        glow=glow,
        sagging=sagging,
        note=note,
    )
    if as_json:
        print_json({"date": rating.date.isoformat(), **rating.scores(), "note": rating.note})
        return
    console.print(f"Saved your self-rating for {rating.date}.")


@log_app.command("photo")
def log_photo_command(
    photo: Annotated[Path, typer.Argument(help="A progress photo: JPEG, PNG or HEIC.")],
    date: DayOption = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Measure a progress photo and keep its measurements (only the numbers, never the photo)."""
    client = journal_client(user)
    from collagen_coach.web.journal.checks import journal_day
    from collagen_coach.web.journal.services import log_photo

    day = journal_day("date", day_or_today(date))  # before the analysis, which takes a few seconds
    if not photo.is_file():
        raise UserError(str(photo), "file not found", "the path of a photo file")
    from collagen_coach.vision.analysis import analyse_photo_in_detail
    from collagen_coach.web.photos.baseline import baseline_look, judged_against_baseline

    # Judged against her baseline photos as an uploaded photo is (web.photos.baseline).
    judged = judged_against_baseline(client, day)
    report, _ = analyse_photo_in_detail(photo, baseline=baseline_look(client) if judged else None)

    saved = log_photo(client, day, report)
    if as_json:
        print_json(
            {
                "date": saved.date.isoformat(),
                "file": saved.file_name,
                "ok": saved.ok,
                "problems": [problem["id"] for problem in saved.problems],
                "lit_like_baseline": saved.lit_like_baseline,
                "algorithm": saved.algorithm,
            }
        )
        return
    console.print(f"Saved the measurements of {saved.file_name} for {saved.date}.", markup=False)
    if saved.ok:
        console.print("Quality check: passed; it counts towards your progress.")
    else:
        console.print(
            "Quality check: not passed; it is kept for the record but will not count towards "
            "your progress."
        )
    for problem in saved.problems:
        console.print(f"- {problem['id']}: {problem['hint']}", markup=False)
    from collagen_coach.web.photos.reading import baseline_reading

    against = baseline_reading(
        day=saved.date,
        ok=saved.ok,
        problems=saved.problems,
        look=saved.look,
        lit_like_baseline=saved.lit_like_baseline,
        baseline_photo=not judged,
    )
    if against is not None:
        console.print(f"Baseline: {against.headline} {against.light_note}".rstrip(), markup=False)


def journal_command(
    days: Annotated[int, typer.Option("--days", help="How many days back to show.")] = 28,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show your recent sessions, peptides, self-ratings and instrument readings."""

    if not 1 <= days <= 36500:
        raise UserError("days", f"{days} is out of range", "1–36500")
    client = journal_client(user)
    from collagen_coach.web.journal.services import journal_entries
    from collagen_coach.web.lib.dates import today

    end = today()
    start = end - dt.timedelta(days=days - 1)
    entries = journal_entries(client, start, end)
    if as_json:
        print_json(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "entries": [entry.as_json() for entry in entries],
            }
        )
        return
    if not entries:
        console.print(f"Nothing in your journal from {start} to {end} yet.")
        return
    table = Table(title=f"Your journal, {start:%d %b} – {end:%d %b %Y}")
    table.add_column("day")
    table.add_column("entry", overflow="fold")
    shown_day = None
    for entry in entries:
        day = "" if entry.date == shown_day else f"{entry.date:%a %d %b}"
        shown_day = entry.date
        table.add_row(day, Text(entry.summary))
    console.print(table)
