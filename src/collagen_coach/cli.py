"""The ``collagen-coach`` command line: thin commands over the domain core and the store.

Every command takes ``--json`` for machine-readable output. Bad input is one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import contextlib
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
from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from collagen_coach.core import measures
from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import check_past_day, parse_json
from collagen_coach.local_time import local_time_zone
from collagen_coach.web.store import open_store, store_problem

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

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
UserOption = Annotated[
    str | None,
    typer.Option(
        "--user",
        envvar="COLLAGEN_COACH_USER",
        help="The account whose records to use (needed when DATABASE_URL is set).",
    ),
]


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
    return parse_json(text, str(path))


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
    user: UserOption = None,
) -> None:
    """Build a tailored, progressive program from a profile and make it your current plan."""
    from collagen_coach.core.planning import build_plan, parse_profile
    from collagen_coach.core.screening import Intake, screen

    profile = parse_profile(read_json_file(profile_file), today=dt.date.today())
    intake = profile.intake or Intake(age=profile.age, as_of=profile.start_date)
    decision = screen(intake, today=intake.as_of or profile.start_date)
    program = build_plan(profile, decision)
    if not dry_run and program.refused is None:
        open_store()
        from collagen_coach.web.clients.services import save_intake, terminal_client
        from collagen_coach.web.plans.services import save_program

        client = terminal_client(user)
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
    help="Write in your journal: peptides taken, how your skin looks and feels, progress photos.",
    no_args_is_help=True,
)
app.add_typer(log_app, name="log")

DayOption = Annotated[
    str | None, typer.Option("--date", help="The day, YYYY-MM-DD (default: today).")
]


def _journal_client(user: str | None) -> Any:
    """Give the client the command works for, the store opened (created and migrated on first
    use)."""
    open_store()
    from collagen_coach.web.clients.services import terminal_client

    return terminal_client(user)


def _day(value: str | None) -> Any:
    """Give the date typed for ``--date``, or today."""
    from collagen_coach.web.journal.checks import parse_day, today

    return today() if value is None else parse_day("date", value)


@import_app.command("readings")
def import_readings_command(
    csv_file: Annotated[
        Path, typer.Argument(help="CSV: date,instrument,parameter,zone,side,value[,unit]")
    ],
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Import skin-instrument readings (e.g. Cutometer R2 per zone): all rows or none."""
    client = _journal_client(user)
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
    client = _journal_client(user)
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
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Rate your skin today, each scale 0–10 (a second rating on a day replaces the first)."""
    client = _journal_client(user)
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


@log_app.command("photo")
def log_photo_command(
    photo: Annotated[Path, typer.Argument(help="A progress photo: JPEG, PNG or HEIC.")],
    date: DayOption = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Measure a progress photo and keep its measurements (only the numbers, never the photo)."""
    client = _journal_client(user)
    from collagen_coach.web.journal.checks import journal_day
    from collagen_coach.web.journal.services import log_photo

    day = journal_day("date", _day(date))  # before the analysis, which takes a few seconds
    if not photo.is_file():
        raise UserError(str(photo), "file not found", "the path of a photo file")
    from collagen_coach.vision.analysis import analyze_photo

    report = analyze_photo(photo)

    saved = log_photo(client, day, report)
    if as_json:
        print_json(
            {
                "date": saved.date.isoformat(),
                "file": saved.file_name,
                "ok": saved.ok,
                "problems": [problem["id"] for problem in saved.problems],
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


@app.command("journal")
def journal_command(
    days: Annotated[int, typer.Option("--days", help="How many days back to show.")] = 28,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show your recent sessions, peptides, self-ratings and instrument readings."""
    import datetime as dt

    from rich.text import Text

    if not 1 <= days <= 36500:
        raise UserError("days", f"{days} is out of range", "1–36500")
    client = _journal_client(user)
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


def _current_program_or_fail(user: str | None) -> tuple[Any, Program]:
    client = _journal_client(user)
    from collagen_coach.web.plans.services import current_program

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
    user: UserOption = None,
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
    client, program = _current_program_or_fail(user)
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
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show sessions planned vs done per week, your streaks and your habit strength."""
    from collagen_coach.core.adherence import measure_adherence

    today = check_past_day("--date", parse_date(day, "--date"), dt.date.today())
    client, program = _current_program_or_fail(user)
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
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Play today's session from your plan: one step at a time, with a countdown and cues.

    Keys: space pauses and resumes, s skips a step, q ends the session early.
    """
    from collagen_coach.core.planning import gentler
    from collagen_coach.core.techniques import load_library
    from collagen_coach.terminal import TerminalCue, TerminalKeys, play_session

    when = check_past_day("--date", parse_date(day, "--date"), dt.date.today())
    client, program = _current_program_or_fail(user)
    from collagen_coach.web.guide.services import fit_to_screening
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
    session, left_out = fit_to_screening(client, session, when, program.decision)
    for reason in left_out:
        screen.print(f"[yellow]Left out today: {reason}[/yellow]")
    if not session.steps:
        raise UserError(
            "safety check",
            "your newest one rules out every step of this session",
            "the steps it allows: see its result (collagen-coach screen INTAKE.json)",
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
    done = journal.counts_as_done(
        completed=outcome.completed, done_s=outcome.done_s, planned_s=session.duration_s
    )
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
    host: Annotated[
        str, typer.Option("--host", help="The address to serve on (this computer only by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to serve on.")
    ] = 8000,
    serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Serve the web app afterwards (default) or stop."),
    ] = True,
) -> None:
    """Create a demo self-carer with three weeks of history and photos in a fresh folder, then
    serve the web app: open the address shown and sign in with the name and password shown."""
    import tempfile

    from collagen_coach.web import server

    if home is not None:
        # Absolute, since it is shown as the folder to export: it must work from any folder.
        home = home.expanduser().resolve()
        if home.exists() and (not home.is_dir() or any(home.iterdir())):
            raise UserError(
                "--home", f"{str(home)!r} is not an empty folder", "a new or empty folder"
            )
    # The port is taken before anything is made, so a port in use changes nothing.
    sock = server.bind(host, port) if serve else None
    if home is None:
        home = Path(tempfile.mkdtemp(prefix="collagen-coach-demo-")).resolve()
    os.environ["COLLAGEN_COACH_HOME"] = str(home)
    # The demo's made-up history goes in its own file, never into a real database.
    os.environ.pop("DATABASE_URL", None)
    console.print("Making the demo (its photos are analysed; this takes a little while)…")
    open_store()
    from collagen_coach.web.demo import create_demo

    demo = create_demo(home)
    console.rule("collagen-coach demo")
    console.print(
        f"A demo self-carer, 58, new to facial massage, three weeks into the plan, up to "
        f"{demo.today:%a %d %b %Y}: {demo.sessions_done} sessions done, {demo.sessions_missed} "
        f"missed, {demo.photos} photos analysed. Today's session is still to do.",
        highlight=False,
    )
    console.print(
        f"Its data is in {home} (for the terminal commands too: "
        f"export COLLAGEN_COACH_HOME={home} then e.g. collagen-coach session).",
        highlight=False,
    )
    if sock is None:
        console.print(
            f"\nTo open it in a browser: COLLAGEN_COACH_HOME={home} collagen-coach serve, "
            f"then sign in with username {demo.username} and password {demo.password}",
            highlight=False,
        )
        return
    console.print(
        f"\nOpen {server.address_of(sock)} in your browser and sign in with\n"
        f"  username: {demo.username}\n  password: {demo.password}\n",
        highlight=False,
    )
    server.serve(sock, say=_say_plainly)


def _say_plainly(text: str) -> None:
    """Print a line of the server's as it is (no Rich markup or highlighting)."""
    console.print(text, markup=False, highlight=False)


@app.command("serve")
def serve_command(
    host: Annotated[
        str,
        typer.Option("--host", help="The address to serve on: 127.0.0.1 is this computer only."),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to serve on.")
    ] = 8000,
    threads: Annotated[
        int, typer.Option("--threads", min=1, max=64, help="Requests served at the same time.")
    ] = 4,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Run a photo-analysis worker beside the server (default), or none.",
        ),
    ] = True,
) -> None:
    """Serve the web app until Ctrl-C, with a photo-analysis worker beside it.

    The database is brought up to date first. Your data folder, or DATABASE_URL if set.
    """
    from collagen_coach.web import server

    sock = server.bind(host, port)
    open_store()
    server.serve(sock, threads=threads, worker=worker, say=_say_plainly)


@app.command("worker")
def worker_command(
    once: Annotated[
        bool, typer.Option("--once", help="Analyse the photos waiting, then stop.")
    ] = False,
    stop_with: Annotated[
        int | None,
        typer.Option("--stop-with", hidden=True, help="Stop when this process is gone."),
    ] = None,
) -> None:
    """Analyse uploaded photos as they come (the server starts one of these itself)."""
    open_store()
    if stop_with is not None:
        from collagen_coach.web.server import stop_with_parent

        stop_with_parent(stop_with)
    from collagen_coach.web.photos.worker import run_worker

    # Ctrl-C is a normal way to stop a worker started by hand.
    with contextlib.suppress(KeyboardInterrupt):
        run_worker(stop_when_idle=once)


def _analyze_one(path: str) -> dict[str, Any]:
    """Analyse one photo in a worker process; give its JSON report."""
    from collagen_coach.vision.analysis import analyze_photo

    return analyze_photo(Path(path)).as_json()


def _analyze_with_overlay(job: tuple[str, str]) -> dict[str, Any]:
    """Analyse one photo and write its annotated image to the given file, if it shows a face."""
    from collagen_coach.vision.analysis import analyze_photo_in_detail
    from collagen_coach.vision.overlay import annotated_image

    path, out = job
    report, measured = analyze_photo_in_detail(Path(path))
    data = report.as_json()
    if measured is not None:
        buffer = io.BytesIO()
        annotated_image(measured, report).save(buffer, format="PNG")
        write_atomically(Path(out), buffer.getvalue())
        data["overlay"] = out
    return data


def overlay_paths(photos: list[Path], folder: Path) -> list[Path]:
    """Give each photo's overlay file in ``folder``: ``NAME.overlay.png``, numbered ``NAME-2…``
    where photos from different folders or of different types share a name."""
    taken: set[str] = set()
    paths = []
    for photo in photos:
        name, number = photo.stem, 1
        while name.lower() in taken:
            number += 1
            name = f"{photo.stem}-{number}"
        taken.add(name.lower())
        paths.append(folder / f"{name}.overlay.png")
    return paths


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
        [str(p) for p in photos]
        if overlay is None
        else [
            (str(p), str(out))
            for p, out in zip(photos, overlay_paths(photos, overlay), strict=True)
        ]
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
    for index, report in enumerate(reports):
        if index:
            console.print()
        _show_photo_report(report)


# What the plain-text output shows per zone: (metric, heading, unit, decimals). Every metric,
# and each side apart, is in --json.
_ZONE_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("wrinkle_index", "wrinkles", "%", 2),
    ("texture_roughness", "texture", "%", 2),
    ("line_length_cm_per_cm2", "lines", "cm/cm²", 2),
    ("radiance", "radiance", "L*", 1),
    ("evenness_l_iqr", "evenness", "L* IQR", 1),
    ("redness", "redness", "a*", 1),
)
_ZONE_UNITS = (
    "%: lightness contrast · L*: lightness 0-100, follows the light too · a*: redness\n"
    "Lower is better, but for radiance (higher) and redness (neither).\n"
    "Every measure, each side apart: --json."
)


def _zone_names() -> dict[str, str]:
    from collagen_coach.core.techniques import load_library

    return {zone_id: zone.name for zone_id, zone in load_library().zones.items()}


def _number(value: float | None, decimals: int | None = None, *, signed: bool = False) -> str:
    """Give ``value`` for a table: fixed decimals when given, else three significant digits."""
    if value is None:
        return "—"
    sign = "+" if signed else ""
    if decimals is not None:
        if round(value, decimals) == 0:
            return f"{0:.{decimals}f}"  # no "-0.0", no sign on no change
        return f"{value:{sign}.{decimals}f}"
    if abs(value) >= 10_000:
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.3g}"


def _say(text: str, first: str = "  ", rest: str = "  ") -> None:
    """Print ``text`` wrapped to the terminal, each line indented (``first`` on the first)."""
    import textwrap

    wrapped = textwrap.fill(
        text, max(40, console.width), initial_indent=first, subsequent_indent=rest
    )
    console.print(wrapped, markup=False, highlight=False, soft_wrap=True)


def _bullets(lines: list[str]) -> None:
    """Print a bulleted list whose long items wrap under their own text."""
    for line in lines:
        _say(line, "  • ", "    ")


def _pose_in_words(pose: dict[str, float]) -> str:
    """Say the head pose the way the person would correct it (see vision.face.Pose's signs)."""
    yaw, pitch, roll = pose["yaw"], pose["pitch"], pose["roll"]
    return (
        f"turned {abs(yaw):.1f}° to your {'left' if yaw > 0 else 'right'}, "
        f"chin {abs(pitch):.1f}° {'up' if pitch > 0 else 'down'}, "
        f"tilted {abs(roll):.1f}° toward your {'left' if roll > 0 else 'right'} shoulder"
    )


def _zone_table(
    title: str, values: dict[str, dict[str, float]], names: dict[str, str], *, signed: bool
) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("zone", no_wrap=True)
    for _, heading, unit, _ in _ZONE_COLUMNS:
        table.add_column(f"{heading}\n{unit}", justify="right")
    for zone, metrics in values.items():
        table.add_row(
            names.get(zone, zone),
            *[_number(metrics.get(m), places, signed=signed) for m, _, _, places in _ZONE_COLUMNS],
        )
    return table


def _shape_table(
    title: str, by_side: dict[str, dict[str, dict[str, float]]], *, signed: bool
) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for heading in ("measure", "your left", "your right", "unit", "better"):
        table.add_column(heading, justify="right" if heading.startswith("your") else "left")
    # The photo page's rows and the measures' one definition: the same names and units.
    from collagen_coach.core.measures import MEASURES
    from collagen_coach.web.photos.reading import SHAPE_ROWS

    for zone, metric, unit in SHAPE_ROWS:
        sides = by_side.get(zone, {})
        left, right = sides.get("left", {}).get(metric), sides.get("right", {}).get(metric)
        if left is not None or right is not None:
            table.add_row(
                MEASURES[metric].title.lower(),
                _number(left, 3, signed=signed),
                _number(right, 3, signed=signed),
                unit,
                MEASURES[metric].better,
            )
    return table


def _show_photo_report(report: dict[str, Any]) -> None:
    verdict = "[green]ok[/green]" if report["ok"] else "[red]not usable as it is[/red]"
    console.print(f"[bold]{report['file']}[/bold]: {verdict}", highlight=False)
    lines = []
    for problem in report["problem_details"]:
        measured = ""
        if problem["value"] is not None and problem["threshold"] is not None:
            measured = (
                f" (measured {_number(problem['value'])}, limit {_number(problem['threshold'])})"
            )
        lines.append(f"{problem['id']}: {problem['hint']}{measured}")
    if lines:
        _bullets(lines)
    if report["pose"]:
        _say(f"Head: {_pose_in_words(report['pose'])}")
    if not report["metrics"]:
        return
    if not report["ok"]:
        _say(
            "Measured despite the problems: do not compare these numbers with your other "
            "photos until a retake passes."
        )
    names = _zone_names()
    console.print()
    console.print(
        _zone_table(
            f"Each zone, both sides together ({report['algorithm']})",
            report["metrics"],
            names,
            signed=False,
        )
    )
    console.print(_shape_table("Face shape", report["metrics_by_side"], signed=False))
    console.print(f"[dim]{_ZONE_UNITS}[/dim]")
    if report.get("overlay"):
        console.print(f"Annotated image: {report['overlay']}", highlight=False)


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
    from collagen_coach.vision.compare import blink_gif, compare_photos, side_by_side, slider_html

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
    _show_comparison(comparison, out=out, written=images is not None)


def _show_comparison(comparison: Any, *, out: Path | None, written: bool) -> None:
    console.print(
        f"Before: {comparison.before.file}\nAfter:  {comparison.after.file}", highlight=False
    )
    if comparison.comparable:
        console.print(
            "[green]Comparable[/green]: taken alike (pose, light and distance within limits), "
            f"lined up to {comparison.alignment_error_ipd:.3f} of the eye distance."
        )
        names = _zone_names()
        both = {zone: sides.get("both", {}) for zone, sides in comparison.deltas.items()}
        console.print()
        console.print(
            _zone_table(
                "Change per zone, after − before, both sides together", both, names, signed=True
            )
        )
        console.print(_shape_table("Change in face shape", comparison.deltas, signed=True))
        console.print(
            f"[dim]{_ZONE_UNITS}\nWhether a change is more than measurement noise: "
            "`collagen-coach progress`, over several photos.[/dim]"
        )
    else:
        console.print(
            "[red]Not comparable[/red]: differences would come from how the photos were taken, "
            "not from the skin."
        )
        _bullets(comparison.reasons)
        console.print(
            "No changes are shown (--json has the numbers anyway). Retake and compare again."
        )
    if out is not None:
        if written:
            console.print(f"Wrote the two faces aligned: {out}", highlight=False)
        else:
            console.print(
                f"Nothing written to {out}: both photos must show a face to be aligned.",
                highlight=False,
            )


# ---------------------------------------------------------------------------------------------
# The progress report

REPORT_SUFFIXES = (".pdf", ".html")


@app.command("report")
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
    observations = read_progress_csv(from_csv) if from_csv is not None else []
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
        client = _journal_client(user)
        from collagen_coach.web.journal.checks import today
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
    console.print(f"Wrote your progress report to {out}. {report.summary()}", highlight=False)


# ---------------------------------------------------------------------------------------------
# progress

PROGRESS_CSV_REQUIRED = ("date", "metric", "value")
PROGRESS_CSV_OPTIONAL = ("zone", "side", "phase", "algorithm", "unit")
PROGRESS_CSV_HELP = "date,metric,value[,zone,side,phase,algorithm,unit]"
PROGRESS_SIDES = ("left", "right", "both")
PROGRESS_PHASES = ("baseline", "treatment", "off")
_PROGRESS_TEXT_MAX_CHARS = 100


def read_progress_csv(path: Path) -> list[Any]:
    """Give the observations in a progress CSV, every row checked first: the first bad one
    raises UserError naming its line, its column and what is allowed."""
    import csv
    import math

    from collagen_coach.core.progress import Observation
    from collagen_coach.core.techniques import ZONE_IDS

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(str(path), "file not found") from None
    except UnicodeDecodeError:
        raise UserError(str(path), "is not UTF-8 text", "a CSV file saved as UTF-8") from None
    except OSError as exc:
        raise UserError(str(path), f"cannot be read ({exc.__class__.__name__})") from None
    name = path.name
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    observations: list[Any] = []
    allowed_zones = ", ".join(ZONE_IDS) + " or empty"
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line = reader.line_num
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                for column in header:
                    if column not in PROGRESS_CSV_REQUIRED + PROGRESS_CSV_OPTIONAL:
                        raise UserError(
                            f"{name} line {line}", f"unknown column {column!r}", PROGRESS_CSV_HELP
                        )
                    if header.count(column) > 1:
                        raise UserError(
                            f"{name} line {line}", f"the column {column!r} appears twice"
                        )
                for column in PROGRESS_CSV_REQUIRED:
                    if column not in header:
                        raise UserError(
                            f"{name} line {line}",
                            f"the header lacks the column {column!r}",
                            PROGRESS_CSV_HELP,
                        )
                continue
            if len(cells) != len(header):
                raise UserError(
                    f"{name} line {line}",
                    f"has {len(cells)} fields but the header has {len(header)}",
                    ",".join(header),
                )
            given = {column: cell.strip() for column, cell in zip(header, cells, strict=True)}

            def where(column: str, line: int = line) -> str:
                return f"{name} line {line}, {column}"

            try:
                day = dt.date.fromisoformat(given["date"])
            except ValueError:
                raise UserError(
                    where("date"), f"{given['date']!r} is not a date", "YYYY-MM-DD"
                ) from None
            measures.check_day(where("date"), day, dt.date.today())
            metric = given["metric"]
            if not metric or len(metric) > _PROGRESS_TEXT_MAX_CHARS:
                raise UserError(
                    where("metric"),
                    "is empty" if not metric else "is too long",
                    f"a name of 1–{_PROGRESS_TEXT_MAX_CHARS} characters, e.g. wrinkle_index",
                )
            try:
                value = float(given["value"])
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise UserError(
                    where("value"), f"{given['value']!r} is not a number", "e.g. 0.71 or -1.5"
                )
            zone = given.get("zone", "").lower()
            if zone and zone not in ZONE_IDS:
                raise UserError(where("zone"), f"{given['zone']!r} is not a zone", allowed_zones)
            side = given.get("side", "").lower()
            if side and side not in PROGRESS_SIDES:
                raise UserError(
                    where("side"),
                    f"{given['side']!r} is not a side",
                    ", ".join(PROGRESS_SIDES) + " or empty",
                )
            phase = given.get("phase", "").lower()
            if phase and phase not in PROGRESS_PHASES:
                raise UserError(
                    where("phase"),
                    f"{given['phase']!r} is not a phase",
                    ", ".join(PROGRESS_PHASES) + " or empty",
                )
            algorithm, unit = given.get("algorithm", ""), given.get("unit", "")
            for column, text_given in (("algorithm", algorithm), ("unit", unit)):
                if len(text_given) > _PROGRESS_TEXT_MAX_CHARS:
                    raise UserError(
                        where(column), "is too long", f"at most {_PROGRESS_TEXT_MAX_CHARS} chars"
                    )
            observations.append(
                Observation(
                    day,
                    metric,
                    value,
                    zone=zone or None,
                    side=side or None,
                    phase=phase or None,  # type: ignore[arg-type]
                    algorithm=algorithm or None,
                    unit=unit or None,
                )
            )
    except csv.Error as exc:
        raise UserError(f"{name} line {reader.line_num}", f"is not valid CSV ({exc})") from None
    if header is None:
        raise UserError(name, "is empty", f"a header line {PROGRESS_CSV_HELP}, then one row a line")
    if not observations:
        raise UserError(name, "has no rows after the header", "one measurement a line")
    return observations


@app.command("progress")
def progress_command(
    from_csv: Annotated[
        Path | None, typer.Option("--from-csv", help=f"Analyse a CSV: {PROGRESS_CSV_HELP}.")
    ] = None,
    treated_side: Annotated[
        str | None,
        typer.Option("--treated-side", help="Split-face trial: the side massaged, left or right."),
    ] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Say, per measurement, whether it changed by more than its own noise since the baseline."""
    from collagen_coach.core.progress import analyse_progress

    if treated_side is not None and treated_side not in ("left", "right"):
        raise UserError("--treated-side", f"{treated_side!r} is not a side", "left, right")
    if from_csv is not None:
        observations = read_progress_csv(from_csv)
        result = analyse_progress(observations, treated_side=treated_side)
    else:
        client = _journal_client(user)
        from collagen_coach.web.journal.checks import today
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
    _progress_table("Progress: change beyond your own measurement noise", result.series)
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
    _bullets(result.notes)


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
            change = f"{_number(est, signed=True)} [{_number(lo, signed=True)}, "
            change += f"{_number(hi, signed=True)}]"
        table.add_row(
            one.metric.replace("_", " "),
            one.zone or "—",
            one.side or "—",
            str(one.n),
            "—" if one.mdc is None else _number(one.mdc),
            change,
            one.verdict.replace("_", " "),
            Text(one.reason),
        )
    console.print(table)


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
        if problem := store_problem(exc):  # unless the store itself is damaged or read-only
            fail(problem.message)
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
