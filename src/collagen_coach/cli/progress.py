"""Progress on the command line: verdicts per measurement beyond its noise, and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table

from collagen_coach.cli.inputs import JsonFlag, UserOption, journal_client
from collagen_coach.cli.output import (
    bullets,
    console,
    print_json,
    say,
    say_plainly,
    write_atomically,
)
from collagen_coach.core.errors import UserError
from collagen_coach.core.progress_csv import COLUMNS_HELP, read_progress_csv
from collagen_coach.vision.words import number

if TYPE_CHECKING:
    from collagen_coach.core.progress import ConcernResult

REPORT_SUFFIXES = (".pdf", ".html")


def report_command(
    out: Annotated[Path, typer.Option("--out", help="Where to write it: FILE.pdf or FILE.html.")],
    from_csv: Annotated[
        Path | None,
        typer.Option(
            "--from-csv",
            help="Measurements from a CSV file (date,metric,value[,zone,side,phase,algorithm,"
            "unit]) instead of your journal.",
        ),
    ] = None,
    before: Annotated[
        Path | None, typer.Option("--before", help="An earlier photo, to show beside --after.")
    ] = None,
    after: Annotated[
        Path | None, typer.Option("--after", help="A later photo, lined up on --before.")
    ] = None,
    treated_side: Annotated[
        str | None,
        typer.Option("--treated-side", help="Split-face trial: the side massaged, left or right."),
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Write your progress report: every verdict with its caveat, charts with the measurement
    noise, adherence, before/after photos and the evidence behind the claims."""
    suffix = out.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise UserError(
            "--out",
            f"{out.name!r} does not end in .pdf or .html",
            "a file name ending in .pdf or .html",
        )
    if not out.parent.is_dir():
        raise UserError("--out", f"folder {str(out.parent)!r} does not exist", "an existing folder")
    if (before is None) != (after is None):
        missing = "--after" if after is None else "--before"
        raise UserError(missing, "is missing", "--before PHOTO and --after PHOTO together")
    if treated_side is not None and treated_side not in ("left", "right"):
        raise UserError("--treated-side", f"{treated_side!r} is not a side", "left, right")
    for option, path in (("--from-csv", from_csv), ("--before", before), ("--after", after)):
        if path is not None and not path.is_file():
            raise UserError(option, f"file {str(path)!r} not found", "the path of a file")

    from collagen_coach.core.progress import analyse_progress
    from collagen_coach.reports.build import build_report, photo_pair
    from collagen_coach.reports.render import pdf_bytes, render_html

    # Every CSV row is checked before the slower photo work starts.
    observations = (
        read_progress_csv(from_csv, today=dt.date.today()) if from_csv is not None else []
    )
    photos = None
    if before is not None and after is not None:
        from collagen_coach.vision.compare import compare_photos

        comparison, images = compare_photos(before, after, names=(str(before), str(after)))
        photos = photo_pair(comparison, images)
    # The same measurements and settings as `collagen-coach progress`, so both say the same.
    if from_csv is not None:
        report = build_report(
            analyse_progress(observations, treated_side=treated_side),
            observations,
            who=from_csv.name,
            made_on=dt.date.today(),
            source=f"the file {from_csv.name}",
            treated_side=treated_side,
            photos=photos,
        )
    else:
        client = journal_client(user)
        from collagen_coach.web.lib.dates import today
        from collagen_coach.web.progress.services import journal_report

        report = journal_report(client, today(), treated_side=treated_side, photos=photos)
    data = pdf_bytes(report) if suffix == ".pdf" else render_html(report).encode("utf-8")
    write_atomically(out, data)
    if as_json:
        print_json(
            {
                "file": str(out),
                "format": suffix.lstrip("."),
                "series": len(report.series),
                "verdicts": report.verdict_counts(),
                "photos": None
                if photos is None
                else ("shown" if photos.before_jpeg else "refused"),
            }
        )
        return
    console.print(f"Wrote your progress report to {out}.", highlight=False)
    for concern in report.concerns:
        console.print(f"  {concern.headline()}", highlight=False)
    console.print(f"Each measurement on its own: {report.summary()}", highlight=False)


def progress_command(
    from_csv: Annotated[
        Path | None, typer.Option("--from-csv", help=f"Analyse a CSV: {COLUMNS_HELP}.")
    ] = None,
    treated_side: Annotated[
        str | None,
        typer.Option("--treated-side", help="Split-face trial: the side massaged, left or right."),
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Say, per concern and per measurement, whether it changed by more than its own noise since
    the baseline."""
    from collagen_coach.core.progress import analyse_progress

    if treated_side is not None and treated_side not in ("left", "right"):
        raise UserError("--treated-side", f"{treated_side!r} is not a side", "left, right")
    if from_csv is not None:
        observations = read_progress_csv(from_csv, today=dt.date.today())
        result = analyse_progress(observations, treated_side=treated_side)
    else:
        client = journal_client(user)
        from collagen_coach.web.lib.dates import today
        from collagen_coach.web.progress.services import journal_progress

        progress = journal_progress(client, today(), treated_side)
        result, treated_side = progress.result, progress.treated_side
    if as_json:
        print_json(result.as_json())
        return
    if not result.series:
        console.print(
            "Nothing to analyse yet: rate your skin (collagen-coach log rating), log a progress "
            "photo (collagen-coach log photo PHOTO) or import instrument readings "
            "(collagen-coach import readings FILE)."
        )
        for note in result.notes:
            console.print(note, markup=False, highlight=False)
        return
    _concerns(result.concerns)
    _progress_table("Every measurement: change beyond its own noise", result.series)
    if result.split_face:
        _progress_table(
            f"Split-face: {treated_side} (massaged) minus the other side", result.split_face
        )
    for abab in result.abab:
        console.print(
            f"A-B-A-B, {abab.metric.replace('_', ' ')}: {abab.verdict.replace('_', ' ')} — "
            f"{abab.reason}",
            markup=False,
            highlight=False,
        )
    if result.adherence_response is not None:
        console.print(
            f"{result.adherence_response.in_words} {result.adherence_response.caveat}",
            markup=False,
            highlight=False,
        )
    console.print("What this can and cannot say:", style="bold")
    bullets(result.notes)


def _concerns(concerns: Sequence[ConcernResult]) -> None:
    """Print the verdict per concern, what it is based on, and how the concerns are judged."""
    from collagen_coach.core.progress import how_we_judge

    console.print("Is it working? One verdict per concern", style="bold")
    for concern in concerns:
        say_plainly(concern.headline() + ".")
        extra = [concern.based_on(), concern.rating_words(), concern.missing_words()]
        say("    " + " ".join(part for part in extra if part), "", "    ")
    console.print("How we judge:", style="bold")
    bullets(how_we_judge())


def _progress_table(title: str, series: list[Any]) -> None:
    """Print series results as a table: n, MDC, change with its interval, verdict, reason."""
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE_HEAVY, expand=True)
    for column in ("metric", "zone", "side", "n", "MDC", "change [lo, hi]", "verdict"):
        table.add_column(column, justify="right" if column in ("n", "MDC") else "left")
    table.add_column("reason", overflow="fold", ratio=1, min_width=30)
    for one in series:
        change = "—"
        if one.change is not None:
            lo, est, hi = one.change
            change = f"{number(est, signed=True)} [{number(lo, signed=True)}, "
            change += f"{number(hi, signed=True)}]"
        table.add_row(
            one.metric.replace("_", " "),
            one.zone or "—",
            one.side or "—",
            str(one.n),
            "—" if one.mdc is None else number(one.mdc),
            change,
            one.verdict.replace("_", " "),
            Text(one.reason),
        )
    console.print(table)
