"""The ``collagen-coach`` command line: thin commands over the domain core and the store.

Every command takes ``--json`` for machine-readable output. Bad input is one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import multiprocessing
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from collagen_coach.core.errors import UserError
from collagen_coach.local_time import local_time_zone
from collagen_coach.web.store import open_store

if TYPE_CHECKING:
    from collagen_coach.core.planning import Program

app = typer.Typer(
    name="collagen-coach",
    help="Facial self-massage, planned safely and measured honestly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

# The share of a session's planned time that must be spent for it to count as done.
DONE_SHARE = 0.5

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit with ``code``."""
    err_console.print(f"collagen-coach: {message}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(code)


def read_json_file(path: Path) -> Any:
    """Give the parsed contents of a JSON file, or raise a UserError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UserError(str(path), "file not found") from exc
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise UserError(str(path), f"cannot be read ({exc.__class__.__name__})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            str(path), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (dates as ISO strings)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


@app.command("plan")
def plan_command(
    profile_file: Annotated[Path, typer.Argument(help="Profile JSON (see README).")],
    as_json: JsonFlag = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan without saving it.")
    ] = False,
) -> None:
    """Build a tailored, progressive program from a profile and make it your current plan."""
    from collagen_coach.core.planning import build_plan, parse_profile
    from collagen_coach.core.screening import Intake, screen

    profile = parse_profile(read_json_file(profile_file))
    intake = profile.intake or Intake(age=profile.age, as_of=profile.start_date)
    decision = screen(intake, today=intake.as_of or profile.start_date)
    program = build_plan(profile, decision)
    if not dry_run and program.refused is None:
        open_store()
        from collagen_coach.web.clients.services import local_client, save_intake
        from collagen_coach.web.plans.services import save_program

        client = local_client()
        save_intake(client, intake, decision)
        save_program(client, program)
    if as_json:
        print_json(program.model_dump(mode="json"))
        return
    show_program(program, saved=not dry_run)


def show_program(program: Program, *, saved: bool) -> None:
    """Print a program as a person reads it: phases, the first week, daily items, notes."""
    from collagen_coach.core.techniques import load_library, pressure_words

    library = load_library()
    if program.refused:
        console.print(Panel(program.refused, title="No plan", border_style="red"))
        for note in program.notes:
            console.print(f"• {note}")
        return
    profile = program.profile
    console.print(
        Panel(
            f"{len(program.sessions)} sessions of {profile.minutes_per_day} min, "
            f"{profile.days_per_week} days a week, from {program.sessions[0].date:%a %d %b %Y}"
            if program.sessions
            else "No sessions could be planned within your screening.",
            title=f"Your plan ({program.decision.decision})",
        )
    )
    phases = Table(title="Phases", show_lines=False)
    for column in ("phase", "from", "to", "sessions", "goal"):
        phases.add_column(column)
    for span in program.phases:
        count = sum(1 for s in program.sessions if s.phase == span.name)
        phases.add_row(span.name, f"{span.start}", f"{span.end}", str(count), span.goal)
    console.print(phases)
    if program.sessions:
        today = dt.date.today()
        first = next((s for s in program.sessions if s.date >= today), program.sessions[-1])
        label = "Today's session" if first.date == today else "Next session"
        steps = Table(title=f"{label}, {first.date:%a %d %b} ({first.phase})")
        for column in ("technique", "zone", "time", "pressure", "tempo", "why"):
            steps.add_column(column, overflow="fold")
        for step in first.steps:
            zone = library.zones[step.zone].name
            if step.side != "both":
                zone = f"{zone} ({step.side})"
            steps.add_row(
                library.techniques[step.technique].name,
                zone,
                f"{step.duration_s // 60}:{step.duration_s % 60:02d}",
                f"{step.pressure} {pressure_words(step.pressure)}",
                step.tempo_cue,
                step.why,
            )
        console.print(steps)
    for item in program.daily:
        console.print(
            Panel(
                f"{item.dose}\n{item.note}\n[dim]{item.evidence}[/dim]",
                title=f"Daily: {item.name} (evidence {item.evidence_level})",
            )
        )
    for note in program.notes:
        console.print(f"• {note}", markup=False)
    if saved:
        console.print(
            "[green]Saved as your current plan.[/green] Start with: collagen-coach session"
        )


@app.command("screen")
def screen_command(
    intake_file: Annotated[Path, typer.Argument(help="Intake answers as JSON (see README).")],
    as_json: JsonFlag = False,
) -> None:
    """Check intake answers for safety: go, modify, defer or refer, with the reasons."""
    from rich.text import Text

    from collagen_coach.core.screening import parse_intake, screen
    from collagen_coach.core.techniques import load_library, pressure_words

    decision = screen(parse_intake(read_json_file(intake_file)))
    if as_json:
        print_json(decision.model_dump(mode="json"))
        return
    headline, colour = {
        "go": ("GO AHEAD", "green"),
        "modify": ("GO AHEAD, WITH CHANGES", "yellow"),
        "defer": ("NOT YET: WAIT", "dark_orange"),
        "refer": ("SEE A CLINICIAN FIRST", "red"),
    }[decision.decision]
    banner = Text(headline, style=f"bold {colour}", justify="center")
    console.print(Panel(banner, title="Safety screening", border_style=colour, padding=(1, 2)))
    for reason in decision.reasons:
        console.print(Text(f"• {reason}"))
    library = load_library()
    if decision.avoid_zones:
        zones = ", ".join(library.zones[z].name for z in decision.avoid_zones)
        console.print(Text(f"Leave alone: {zones}."))
    if decision.exclude_techniques:
        names = ", ".join(library.techniques[t].name for t in decision.exclude_techniques)
        console.print(Text(f"Leave out: {names}."))
    if decision.max_pressure < 5:
        level = decision.max_pressure
        console.print(Text(f"Pressure: no firmer than {level} of 5 ({pressure_words(level)})."))
    if decision.resume_on is not None:
        when = f"{decision.resume_on:%A %d %B %Y}"
        if decision.decision == "defer":
            console.print(Text(f"Screen again on {when}.", style="bold"))
        else:
            console.print(Text(f"The areas to leave alone are free again from {when}."))


import_app = typer.Typer(help="Bring data in from files.", no_args_is_help=True)
app.add_typer(import_app, name="import")
log_app = typer.Typer(
    help="Write in your journal: peptides taken, how your skin looks and feels.",
    no_args_is_help=True,
)
app.add_typer(log_app, name="log")

DayOption = Annotated[
    str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
]


def _journal_client() -> Any:
    """Give the local client, the store opened (created and migrated on first use)."""
    open_store()
    from collagen_coach.web.clients.services import local_client

    return local_client()


def _day(value: str | None) -> Any:
    """Give the date typed for ``--date``, or today."""
    from collagen_coach.web.journal.checks import parse_day, today

    return today() if value is None else parse_day("date", value)


@import_app.command("readings")
def import_readings_command(
    csv_file: Annotated[
        Path, typer.Argument(help="CSV: date,instrument,parameter,zone,side,value[,unit]")
    ],
    as_json: JsonFlag = False,
) -> None:
    """Import skin-instrument readings (e.g. Cutometer R2 per zone): all rows or none."""
    client = _journal_client()
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
    as_json: JsonFlag = False,
) -> None:
    """Record a dose of collagen peptides."""
    client = _journal_client()
    from collagen_coach.web.journal.services import log_peptides

    dose = log_peptides(client, _day(date), grams, product)
    if as_json:
        print_json(
            {"date": dose.date.isoformat(), "grams": float(dose.grams), "product": dose.product}
        )
        return
    console.print(f"Recorded {float(dose.grams):g} g of collagen peptides on {dose.date}.")


@log_app.command("rating")
def log_rating_command(
    firmness: Annotated[int, typer.Option("--firmness", help="0 slack – 10 very firm.")],
    elasticity: Annotated[int, typer.Option("--elasticity", help="0 none – 10 springs back.")],
    fine_lines: Annotated[int, typer.Option("--fine-lines", help="0 none – 10 many.")],
    glow: Annotated[int, typer.Option("--glow", help="0 dull – 10 radiant.")],
    sagging: Annotated[int, typer.Option("--sagging", help="0 none – 10 marked.")],
    date: DayOption = None,
    note: Annotated[str, typer.Option("--note", help="Anything you noticed.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Rate your skin today, each scale 0–10 (a second rating on a day replaces the first)."""
    client = _journal_client()
    from collagen_coach.web.journal.services import rate

    rating = rate(
        client,
        _day(date),
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


@app.command("journal")
def journal_command(
    days: Annotated[int, typer.Option("--days", help="How many days back to show.")] = 28,
    as_json: JsonFlag = False,
) -> None:
    """Show your recent sessions, peptides, self-ratings and instrument readings."""
    import datetime as dt

    from rich.text import Text

    if not 1 <= days <= 36500:
        raise UserError("days", f"{days} is out of range", "1–36500")
    client = _journal_client()
    from collagen_coach.web.journal.checks import today
    from collagen_coach.web.journal.services import journal_entries

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


def _parse_time(text: str, field: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text)
    except ValueError as exc:
        raise UserError(field, f"{text!r} is not a clock time", "HH:MM, e.g. 08:30") from exc


def parse_date(text: str | None, field: str = "date") -> dt.date:
    """Give ``text`` as a date (today when None), or a UserError naming ``field``."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(field, f"{text!r} is not a date", "YYYY-MM-DD") from exc


def _current_program_or_fail() -> tuple[Any, Program]:
    open_store()
    from collagen_coach.web.clients.services import local_client
    from collagen_coach.web.plans.services import current_program

    client = local_client()
    program = current_program(client)
    if program is None:
        raise UserError("plan", "there is no current plan", "make one: collagen-coach plan FILE")
    return client, program


@app.command("calendar")
def calendar_command(
    out: Annotated[Path, typer.Option("--out", help="Where to write the .ics file.")],
    at: Annotated[str, typer.Option("--at", help="Session start time, HH:MM.")] = "08:00",
    reminder: Annotated[
        int, typer.Option("--reminder", help="Reminder, minutes before (0–1440).")
    ] = 15,
    tz: Annotated[
        str | None, typer.Option("--tz", help="IANA time zone (default: this computer's).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Export your planned sessions to a calendar file (.ics) with reminders."""
    from collagen_coach.core.calendar import planned_sessions_ics

    start_time = _parse_time(at, "--at")
    if out.suffix.lower() != ".ics":
        raise UserError("--out", f"{out.name!r} does not end in .ics", "a file name ending in .ics")
    if not out.parent.is_dir():
        raise UserError("--out", f"folder {str(out.parent)!r} does not exist", "an existing folder")
    zone = tz or local_time_zone()

    def ics(sessions: list[Any], owner: str) -> bytes:
        try:
            return planned_sessions_ics(
                sessions, start_time=start_time, reminder_minutes=reminder, tz=zone, owner=owner
            )
        except UserError as exc:  # name the option the user typed, not the parameter
            option = {"reminder_minutes": "--reminder", "tz": "--tz"}.get(exc.field, exc.field)
            raise UserError(option, exc.problem, exc.allowed) from exc

    ics([], owner="")  # every option checked before the store is opened or created
    client, program = _current_program_or_fail()
    data = ics(program.sessions, owner=f"client-{client.pk}")
    write_atomically(out, data)
    if as_json:
        print_json({"file": str(out), "events": len(program.sessions)})
    else:
        console.print(f"Wrote {len(program.sessions)} sessions to {out}.")


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@app.command("adherence")
def adherence_command(
    day: Annotated[str | None, typer.Option("--date", help="As of this day (YYYY-MM-DD).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show sessions planned vs done per week, your streaks and your habit strength."""
    from collagen_coach.core.adherence import measure_adherence

    today = parse_date(day, "--date")
    client, program = _current_program_or_fail()
    from collagen_coach.web.journal.services import done_session_dates

    result = measure_adherence(
        [s.date for s in program.sessions], done_session_dates(client), today=today
    )
    if as_json:
        print_json(dataclasses.asdict(result))
        return
    table = Table(title=f"Adherence up to {today:%a %d %b %Y}")
    for column in ("week of", "planned", "done", "extra", "%"):
        table.add_column(column, justify="right")
    for week in result.weeks:
        percent = "—" if week.percent is None else f"{week.percent:.0f}"
        table.add_row(
            f"{week.week_start}", str(week.planned), str(week.done), str(week.extra), percent
        )
    console.print(table)
    overall = "—" if result.percent is None else f"{result.percent:.0f} %"
    console.print(
        f"Overall {overall} ({result.done} of {result.planned} planned sessions) · current streak "
        f"{result.current_streak} · longest {result.longest_streak} · habit strength "
        f"{result.habit_strength:.0f}/100"
    )
    if result.today_pending:
        console.print("Today's session is still to do: collagen-coach session")


@app.command("session")
def session_command(
    day: Annotated[
        str | None, typer.Option("--date", help="Play the session planned that day (YYYY-MM-DD).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell and no spoken cues.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Play today's session from your plan: one step at a time, with a countdown and cues.

    Keys: space pauses and resumes, s skips a step, q ends the session early.
    """
    from collagen_coach.core.planning import gentler
    from collagen_coach.core.techniques import load_library
    from collagen_coach.terminal import TerminalCue, TerminalKeys, play_session

    when = parse_date(day, "--date")
    if when > dt.date.today():
        raise UserError("--date", f"{when.isoformat()} is in the future", "today or earlier")
    client, program = _current_program_or_fail()
    from collagen_coach.web.journal import services as journal

    screen = err_console if as_json else console  # with --json, stdout holds the JSON alone

    session = program.session_on(when)
    if session is None:
        upcoming = [s.date for s in program.sessions if s.date > when]
        after = f"; the next one is on {upcoming[0]:%a %d %b %Y}" if upcoming else ""
        raise UserError("--date", f"no session is planned on {when.isoformat()}{after}")
    for stale in journal.unfinished_session_logs(client):
        journal.abandon_session_log(stale)  # cut short by a crash or a kill; counts as partial
    if journal.needs_gentler_session(client):
        session = gentler(session)
        screen.print(
            "[yellow]Last time you reported pain or redness: today's session is gentler.[/yellow]"
        )
    log = journal.start_session_log(client, when, session=session)

    def save_step(index: int, record: Any) -> None:
        journal.record_step(log, index, round(record.done_s), record.skipped)

    with TerminalKeys(stdout=sys.stderr if as_json else None) as keys:
        outcome = play_session(
            session,
            load_library(),
            keys=keys,
            cue=TerminalCue(console, quiet=quiet or as_json),
            console=screen,
            on_step_done=save_step,
        )
    # A session skipped through counts as partial, not done: adherence means massage given.
    done = outcome.completed and outcome.done_s >= DONE_SHARE * session.duration_s
    if done:
        journal.finish_session_log(log, outcome.pain, outcome.redness, outcome.note)
    else:
        journal.abandon_session_log(log, outcome.pain, outcome.redness, outcome.note)
    if as_json:
        print_json(
            {
                "date": when.isoformat(),
                "completed": done,
                "done_s": round(outcome.done_s),
                "steps": [dataclasses.asdict(step) for step in outcome.steps],
                "pain": outcome.pain,
                "redness": outcome.redness,
                "note": outcome.note,
            }
        )


@app.command("demo")
def demo_command(
    home: Annotated[
        Path | None,
        typer.Option("--home", help="A new or empty folder for the demo (default: a new one)."),
    ] = None,
    play: Annotated[
        bool, typer.Option("--play/--no-play", help="Play today's guided session afterwards.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell and no spoken cues.")] = False,
) -> None:
    """Create a demo self-carer with three weeks of history in a fresh folder, show the plan and
    the journal, then play today's guided session."""
    import tempfile

    if home is None:
        home = Path(tempfile.mkdtemp(prefix="collagen-coach-demo-"))
    # Absolute, since it is shown as the folder to export: it must work from any folder.
    home = home.expanduser().resolve()
    if home.exists() and (not home.is_dir() or any(home.iterdir())):
        raise UserError("--home", f"{str(home)!r} is not an empty folder", "a new or empty folder")
    os.environ["COLLAGEN_COACH_HOME"] = str(home)
    # The demo's made-up history goes in its own file, never into a real database.
    os.environ.pop("DATABASE_URL", None)
    open_store()
    from collagen_coach.web.demo import create_demo

    demo = create_demo(home)
    console.rule("collagen-coach demo")
    console.print(
        f"A demo self-carer, 58, new to facial massage, three weeks into her plan: "
        f"{demo.sessions_done} sessions done, {demo.sessions_missed} missed. "
        f"Her data is in {home}"
    )
    show_program(demo.program, saved=False)
    adherence_command(day=None, as_json=False)
    journal_command(days=7, as_json=False)
    console.print(
        f"\nTo go on with this demo: export COLLAGEN_COACH_HOME={home}  "
        "then e.g. collagen-coach session, collagen-coach journal, collagen-coach calendar "
        "--out plan.ics"
    )
    if play and sys.stdin.isatty():
        console.rule("Today's session")
        session_command(day=None, quiet=quiet, as_json=False)
    elif play:
        console.print("(Not a terminal: the guided session is skipped. Run it in a terminal.)")


def _analyze_one(path: str) -> dict[str, Any]:
    """Analyse one photo in a worker process; give its JSON report."""
    from collagen_coach.vision.analysis import analyze_photo

    return analyze_photo(Path(path)).as_json()


def _analyze_with_overlay(job: tuple[str, str]) -> dict[str, Any]:
    from collagen_coach.vision.analysis import analyze_photo_in_detail
    from collagen_coach.vision.overlay import annotated_image

    path, overlay_dir = job
    report, measured = analyze_photo_in_detail(Path(path))
    data = report.as_json()
    if measured is not None:
        out = Path(overlay_dir) / f"{Path(path).stem}.overlay.png"
        annotated_image(measured, report).save(out)
        data["overlay"] = str(out)
    return data


@app.command("analyze")
def analyze_command(
    photos: Annotated[list[Path], typer.Argument(help="Photos: JPEG, PNG or HEIC.")],
    as_json: JsonFlag = False,
    overlay: Annotated[
        Path | None, typer.Option("--overlay", help="Write annotated images into this folder.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Parallel worker processes.")
    ] = max(1, min(4, os.cpu_count() or 1)),
) -> None:
    """Measure progress photos per facial zone, after a quality check of each."""
    from concurrent.futures import ProcessPoolExecutor

    from rich.progress import Progress

    missing = [p for p in photos if not p.is_file()]
    if missing:
        raise UserError(str(missing[0]), "file not found", "paths of photo files")
    if overlay is not None and not overlay.is_dir():
        raise UserError(
            "--overlay", f"folder {str(overlay)!r} does not exist", "an existing folder"
        )
    jobs: list[Any] = (
        [str(p) for p in photos] if overlay is None else [(str(p), str(overlay)) for p in photos]
    )
    work = _analyze_one if overlay is None else _analyze_with_overlay
    reports: list[dict[str, Any]] = []
    with Progress(console=err_console, transient=True, disable=len(photos) < 2) as progress:
        task = progress.add_task("Analysing photos", total=len(photos))
        if workers == 1 or len(photos) == 1:
            for job in jobs:
                reports.append(work(job))
                progress.advance(task)
        else:
            # Spawned, not forked: a fork of a process that runs the face model can deadlock.
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(min(workers, len(photos)), mp_context=spawn) as pool:
                for report in pool.map(work, jobs):
                    reports.append(report)
                    progress.advance(task)
    if as_json:
        print_json(reports)
        return
    for report in reports:
        _show_photo_report(report)


def _show_photo_report(report: dict[str, Any]) -> None:
    verdict = "[green]ok[/green]" if report["ok"] else "[red]not usable as it is[/red]"
    console.print(f"[bold]{report['file']}[/bold]: {verdict}")
    for problem in report["problem_details"]:
        measured = ""
        if problem["value"] is not None:
            measured = f" (measured {problem['value']:.3g}, limit {problem['threshold']:.3g})"
        console.print(f"  • {problem['id']}{measured}: {problem['hint']}", markup=False)
    pose = report["pose"]
    if pose:
        angles = ", ".join(f"{axis} {pose[axis]:+.1f}°" for axis in ("yaw", "pitch", "roll"))
        console.print(f"  pose: {angles}")
    if report["metrics"]:
        names = sorted({m for values in report["metrics"].values() for m in values})
        table = Table(title=f"Per zone ({report['algorithm']})")
        table.add_column("zone")
        for name in names:
            table.add_column(name.replace("_", " "), justify="right")
        for zone, values in report["metrics"].items():
            table.add_row(
                zone,
                *["—" if values.get(n) is None else f"{values[n]:.3g}" for n in names],
            )
        console.print(table)
    if report.get("overlay"):
        console.print(f"  overlay: {report['overlay']}")


@app.command("compare")
def compare_command(
    before: Annotated[Path, typer.Argument(help="The earlier photo.")],
    after: Annotated[Path, typer.Argument(help="The later photo.")],
    as_json: JsonFlag = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the aligned pair: .png side by side, .gif blink, .html slider."
        ),
    ] = None,
) -> None:
    """Compare two photos of the same person zone by zone, or say why they are not comparable."""
    from collagen_coach.vision.compare import blink_gif, compare_photos, side_by_side, slider_html

    for path in (before, after):
        if not path.is_file():
            raise UserError(str(path), "file not found", "paths of two photo files")
    if out is not None:
        if out.suffix.lower() not in (".png", ".gif", ".html"):
            raise UserError("--out", f"{out.name!r} has an unknown ending", ".png, .gif or .html")
        if not out.parent.is_dir():
            raise UserError(
                "--out", f"folder {str(out.parent)!r} does not exist", "an existing folder"
            )
    comparison, images = compare_photos(before, after, names=(str(before), str(after)))
    if out is not None and images is not None:
        suffix = out.suffix.lower()
        if suffix == ".png":
            buffer = io.BytesIO()
            side_by_side(images).save(buffer, format="PNG")
            write_atomically(out, buffer.getvalue())
        elif suffix == ".gif":
            write_atomically(out, blink_gif(images))
        else:
            write_atomically(out, slider_html(images).encode())
    if as_json:
        print_json(comparison.as_json() | {"out": str(out) if out and images else None})
        return
    if comparison.comparable:
        console.print(
            "[green]Comparable[/green]: taken alike, so differences below are real "
            "measurements (whether they beat measurement noise is for `progress`)."
        )
    else:
        console.print("[red]Not comparable[/red]:")
        for reason in comparison.reasons:
            console.print(f"  • {reason}", markup=False)
    table = Table(title="Change, after − before (whole zones)")
    for column in ("zone", "metric", "before", "after", "change"):
        table.add_column(
            column, justify="right" if column in ("before", "after", "change") else "left"
        )
    for zone, sides in comparison.deltas.items():
        for metric, change in sides.get("both", {}).items():
            first = comparison.before.metrics[zone][metric]
            second = comparison.after.metrics[zone][metric]
            table.add_row(zone, metric, f"{first:.3g}", f"{second:.3g}", f"{change:+.3g}")
    console.print(table)
    if out is not None and images is not None:
        console.print(f"Wrote {out}")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one line on stderr and exit code 2."""
    try:
        result = app(args=argv, standalone_mode=False)
    except UserError as exc:
        fail(exc.message)
    except typer.TyperException as exc:  # a usage error: unknown option, value of the wrong type
        code = getattr(exc, "exit_code", 2)
        if not exc.format_message():  # no command given: the help was just shown
            sys.exit(code)
        fail(f"{exc.format_message()} (see --help)", code=code)
    except (typer.Abort, KeyboardInterrupt):
        fail("interrupted", code=130)
    except Exception as exc:  # a defect: keep the details, show one line
        fail(f"unexpected error ({exc.__class__.__name__}: {exc}); {_keep_traceback()}", code=1)
    sys.exit(result if isinstance(result, int) else 0)


def _keep_traceback() -> str:
    """Write the current exception's traceback to a log file and say where it is."""
    import tempfile
    import traceback

    home = os.environ.get("COLLAGEN_COACH_HOME") or tempfile.gettempdir()
    path = Path(home) / "error.log"
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {dt.datetime.now().isoformat()}\n{traceback.format_exc()}\n")
    except OSError:
        return "no log could be written"
    return f"details in {path}"


if __name__ == "__main__":
    main()
