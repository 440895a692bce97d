"""Planning and practice: screen intake answers, build a plan, export it to a calendar, see
adherence, and play a session in the terminal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from collagen_coach.cli.inputs import (
    JsonFlag,
    UserOption,
    current_program_or_fail,
    parse_date,
    parse_time,
    read_json_file,
)
from collagen_coach.cli.output import console, err_console, print_json, write_atomically
from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import check_past_day
from collagen_coach.core.words import day_in_words
from collagen_coach.local_time import local_time_zone
from collagen_coach.web.store import open_store

if TYPE_CHECKING:
    from collagen_coach.core.planning import Program


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
    trial = {"split_face": profile.treated_side != "both", "on_off": profile.schedule == "on_off"}
    power: list[str] = []
    if not dry_run and program.refused is None:
        open_store()
        from collagen_coach.web.clients.services import save_intake, terminal_client
        from collagen_coach.web.plans.services import save_program, trial_power_lines

        client = terminal_client(user)
        save_intake(client, intake, decision)
        save_program(client, program)
        power = trial_power_lines(
            client, program, profile.days_per_week, plan_weeks=profile.weeks, **trial
        )
    elif program.refused is None and any(trial.values()):
        from collagen_coach.core.progress.power import trial_power

        power = trial_power([], profile.days_per_week, plan_weeks=profile.weeks, **trial)
    if as_json:
        print_json(program.model_dump(mode="json"))
        return
    show_program(program, saved=not dry_run)
    show_trial(program, power)


def show_trial(program: Program, power: list[str]) -> None:
    """Print a program's trial: the side and how it was settled, the off weeks, the weeks it
    needs (nothing without a trial)."""
    from collagen_coach.core.trials import DRAW_WHY

    profile = program.profile
    lines = []
    if profile.side_draw is not None:
        lines.append(profile.side_draw.words())
        if profile.side_draw.how == "drawn":
            lines.append(DRAW_WHY)
    if program.off_spans:
        lines += [f"Without massage: {first} to {last}" for first, last in program.off_spans]
    if lines or power:
        console.print(Panel("\n".join(lines + power), title="Your trial"), markup=False)


def show_program(program: Program, *, saved: bool) -> None:
    """Print a program as a person reads it: phases, the first week, daily items, notes."""
    from collagen_coach.core.techniques import load_library
    from collagen_coach.core.words import clock_duration, pressure_choice

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
                clock_duration(step.duration_s),
                pressure_choice(step.pressure),
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


def screen_command(
    intake_file: Annotated[Path, typer.Argument(help="Intake answers as JSON (see README).")],
    as_json: JsonFlag = False,
) -> None:
    """Check intake answers for safety: go, modify, defer or refer, with the reasons and the
    evidence behind each."""
    from rich.text import Text

    from collagen_coach.core.screening import parse_intake, screen
    from collagen_coach.core.techniques import load_library
    from collagen_coach.core.words import DECISION_WORDS, pressure_words
    from collagen_coach.web.clients.words import decision_context

    intake = parse_intake(read_json_file(intake_file))
    decision = screen(intake)
    if as_json:
        print_json(decision.model_dump(mode="json"))
        return
    colour = {"go": "green", "modify": "yellow", "defer": "dark_orange", "refer": "red"}[
        decision.decision
    ]
    headline = DECISION_WORDS[decision.decision].banner
    banner = Text(headline, style=f"bold {colour}", justify="center")
    console.print(Panel(banner, title="Safety screening", border_style=colour, padding=(1, 2)))
    # The reasons with their evidence levels, as the decision page shows them; a reason with no
    # rule of its own (a go) rests on the rules as a whole, expert opinion.
    shown = decision_context(decision, intake.as_of or dt.date.today())
    for reason in shown["reasons"]:
        console.print(Text(f"• {reason.text}"))
        evidence = reason.evidence or shown["rules_evidence"]
        source = f" — {reason.source}" if reason.source else ""
        console.print(Text(f"  {evidence[:1].upper()}{evidence[1:]}{source}", style="dim"))
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
        when = f"{day_in_words(decision.resume_on, weekday=True, year=True)}"
        if decision.decision == "defer":
            console.print(Text(f"Screen again on {when}.", style="bold"))
        else:
            console.print(Text(f"The areas to leave alone are free again from {when}."))


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

    start_time = parse_time(at, "--at")
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
    client, program = current_program_or_fail(user)
    data = ics(program.sessions, owner=f"client-{client.pk}")
    write_atomically(out, data)
    if as_json:
        print_json({"file": str(out), "events": len(program.sessions)})
    else:
        console.print(f"Wrote {len(program.sessions)} sessions to {out}.")


def adherence_command(
    day: Annotated[str | None, typer.Option("--date", help="As of this day (YYYY-MM-DD).")] = None,
    user: UserOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show sessions planned vs done per week, your streaks and your habit strength."""
    from collagen_coach.core.adherence import measure_adherence

    today = check_past_day("--date", parse_date(day, "--date"), dt.date.today())
    client, program = current_program_or_fail(user)
    from collagen_coach.web.journal.services import done_session_dates
    from collagen_coach.web.plans.services import asked_days

    result = measure_adherence(asked_days(client, program), done_session_dates(client), today=today)
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
    from collagen_coach.cli.player import TerminalCue, TerminalKeys, play_session
    from collagen_coach.core.planning import gentler
    from collagen_coach.core.techniques import load_library

    when = check_past_day("--date", parse_date(day, "--date"), dt.date.today())
    client, program = current_program_or_fail(user)
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
    done = journal.close_session_log(
        log,
        played_to_end=outcome.completed,
        pain=outcome.pain,
        redness=outcome.redness,
        note=outcome.note,
    )
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
