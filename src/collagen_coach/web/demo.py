"""A demo self-carer ten weeks into a split-face trial, with a baseline week before it, for
trying the product out.

Everything goes through the same services the web app and the CLI use, except the past session
logs, whose start times have to be set in the past. The history is made with a fixed seed: the
same day gives the same demo. The self-carer has an account (the embedded app's local client
signs in as ``demo``) and progress photos, analysed: one on each of the three baseline days
before the first session and one a week after it.

The history is made up, and so are its trends, chosen so that every kind of verdict shows
(``demo_photos/PROVENANCE.md`` says the same to whoever reads the photos' folder):

- self-rated firmness and glow rise by :data:`RATING_TRENDS` points a week from the baseline,
  the other ratings stay level (their noise only);
- the Cutometer R2 readings stay level on both cheeks (instrument noise only);
- the photos are one real portrait taken again each week with small capture differences: no
  skin change was put in them.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from collagen_coach.core.planning import Profile, Program, Session, baseline_dates, build_plan
from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.web.accounts.services import sign_up
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import local_client, save_intake
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.journal.readings import import_readings
from collagen_coach.web.journal.services import log_peptides, rate
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.demo import DEMO_MARKER, DEMO_MARKER_TEXT
from collagen_coach.web.photos.services import analyse, store_photo
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import save_program

# Ten weeks of sessions, so that today is a planned day (the first of week 11) and the baseline
# week plus nine weeks of photos cover more than the 8 weeks a verdict waits for.
HISTORY_DAYS = 70
TRIAL_WEEKS = 12  # the split-face trial's planned length
TREATED_SIDE = "left"
SEED = 20261124
# The plan's baseline week (core.planning.baseline_dates): three measurement days before the
# first session, so that measurement noise can be told from change; here as days before it.
_BASELINE_WEEK = baseline_dates(dt.date(2000, 1, 3))
BASELINE_DAYS = tuple((_BASELINE_WEEK[-1] - day).days + 1 for day in _BASELINE_WEEK)
USERNAME = "demo"
# The demo's photos (PROVENANCE.md there): one per baseline day, then one a week from the start.
PHOTO_FOLDER = Path(__file__).resolve().parent / "demo_photos"
BASELINE_PHOTOS = ("baseline-1.jpg", "baseline-2.jpg", "baseline-3.jpg")
WEEKLY_PHOTOS = tuple(f"week-{n}.jpg" for n in range(1, 10))
# The trends put into the made-up self-ratings, in points a week after the first session.
RATING_TRENDS = {
    "firmness": 0.5,
    "elasticity": 0.0,
    "fine_lines": 0.0,
    "glow": 0.35,
    "sagging": 0.0,
}
RATING_BASELINE = {"firmness": 4, "elasticity": 5, "fine_lines": 6, "glow": 4, "sagging": 6}
DONE_SHARE = 0.88  # planned sessions done; the rest missed, and one stopped halfway
PARTIAL_SESSION = 23  # the planned session (counted from 0) stopped halfway
# Letters and digits that cannot be mistaken for one another when read off a screen.
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Demo:
    client: Client
    program: Program
    sessions_done: int
    sessions_missed: int
    sessions_partial: int
    username: str
    password: str
    photos: int
    today: dt.date


def demo_password() -> str:
    """Give a new password that is easy to type from the screen, e.g. ``k7mt-8qzp-3hwr``."""
    return "-".join("".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(4)) for _ in range(3))


def demo_profile(today: dt.date) -> Profile:
    """Give the demo self-carer: 58, new to facial massage, anti-wrinkle injections 10 days
    before the baseline week, 6 minutes a day, 5 days a week, taking collagen peptides, in a
    12-week split-face trial (her left side massaged, the right the control)."""
    start = today - dt.timedelta(days=HISTORY_DAYS)
    first_baseline = start - dt.timedelta(days=BASELINE_DAYS[0])
    intake = Intake(
        age=58,
        conditions=[],
        medications=["topical_retinoid"],
        procedures=[
            Procedure(
                kind="botulinum_toxin",
                zones=["forehead", "glabella"],
                date=first_baseline - dt.timedelta(days=10),
            )
        ],
        as_of=first_baseline,
    )
    return Profile(
        age=58,
        concerns=["sagging", "fine_lines", "dullness"],
        experience="new",
        minutes_per_day=6,
        days_per_week=5,
        sensitivity="normal",
        wants_peptides=True,
        treated_side=TREATED_SIDE,
        weeks=TRIAL_WEEKS,
        start_date=first_baseline,
        baseline_week=True,
        intake=intake,
    )


def create_demo(home: Path, today: dt.date | None = None, password: str | None = None) -> Demo:
    """Fill the open store with the demo self-carer's account, plan and history up to ``today``
    (default: today on this computer's calendar, the day the CLI plays sessions for).

    The plan starts after a baseline week: three measurement days (photo, rating, readings)
    before the first session. The account is ``demo`` with ``password`` (default: a new one,
    :func:`demo_password`); its client is the embedded app's local client, so the terminal
    commands see the same history.
    """
    today = today or computer_today()
    password = password or demo_password()
    rng = random.Random(SEED)
    profile = demo_profile(today)
    assert profile.intake is not None
    decision = screen(profile.intake, today=profile.intake.as_of)
    program = build_plan(profile, decision)
    # Everything dated in weeks counts from the first session, after the baseline week.
    start = program.first_session_on
    assert start == profile.start_date + dt.timedelta(days=BASELINE_DAYS[0]), "baseline week"
    assert start is not None
    with transaction.atomic():
        client = local_client()
        save_intake(client, profile.intake, decision)
        stored = save_program(client, program)
        done = missed = partial = 0
        for index, session in enumerate(program.sessions):
            if session.date >= today:
                break
            if index == PARTIAL_SESSION:
                _log_session(client, stored, session, rng, steps_done=len(session.steps) // 2)
                partial += 1
            elif rng.random() < DONE_SHARE:
                _log_session(client, stored, session, rng, steps_done=len(session.steps))
                done += 1
            else:
                missed += 1
        day = start - dt.timedelta(days=BASELINE_DAYS[0])
        while day < today:
            offset = (day - start).days
            if offset >= 0 and rng.random() < 0.85:
                log_peptides(client, day, "5", "hydrolysed bovine collagen")
            if -offset in BASELINE_DAYS or (offset >= 0 and offset % 7 == 0):
                weeks_in = max(0, offset) / 7
                scores = {
                    name: _score(rng, RATING_BASELINE[name] + trend * weeks_in)
                    for name, trend in RATING_TRENDS.items()
                }
                rate(
                    client,
                    day,
                    firmness=scores["firmness"],
                    elasticity=scores["elasticity"],
                    fine_lines=scores["fine_lines"],
                    glow=scores["glow"],
                    sagging=scores["sagging"],
                )
            day += dt.timedelta(days=1)
        import_readings(client, _cutometer_csv(home, start, today, rng))
        _, client = sign_up(USERNAME, password)
    photos = _add_photos(client, start, today)
    (home / DEMO_MARKER).write_text(DEMO_MARKER_TEXT, encoding="utf-8")  # pages say: a demo
    return Demo(
        client=client,
        program=program,
        sessions_done=done,
        sessions_missed=missed,
        sessions_partial=partial,
        username=USERNAME,
        password=password,
        photos=photos,
        today=today,
    )


def _log_session(
    client: Client, stored: StoredProgram, session: Session, rng: random.Random, steps_done: int
) -> None:
    """Log a planned session as played: completed with every step done, or else stopped
    (abandoned) after ``steps_done`` steps, the rest not done."""
    began = dt.datetime.combine(session.date, dt.time(7, rng.randrange(0, 50)), tzinfo=dt.UTC)
    steps = [
        {
            "technique": step.technique,
            "zone": step.zone,
            "side": step.side,
            "planned_s": step.duration_s,
            "done_s": step.duration_s if number < steps_done else 0,
            "skipped": number >= steps_done,
        }
        for number, step in enumerate(session.steps)
    ]
    whole = steps_done == len(session.steps)
    played_s = sum(step.duration_s for step in session.steps[:steps_done])
    SessionLog.objects.create(
        client=client,
        planned_date=session.date,
        program=stored,
        started_at=began,
        finished_at=began + dt.timedelta(seconds=played_s + 30),
        status=SessionStatus.COMPLETED if whole else SessionStatus.ABANDONED,
        steps=steps,
        pain=False,
        redness=False,
    )


def photo_days(start: dt.date, today: dt.date) -> list[tuple[dt.date, str]]:
    """Give the days the demo's photos were taken on, before ``today``, with their files."""
    days = [
        (start - dt.timedelta(days=before), name)
        for before, name in zip(BASELINE_DAYS, BASELINE_PHOTOS, strict=True)
    ]
    for week, name in enumerate(WEEKLY_PHOTOS, start=1):
        day = start + dt.timedelta(days=7 * week)
        if day < today:
            days.append((day, name))
    return days


def _add_photos(client: Client, start: dt.date, today: dt.date) -> int:
    """Store and analyse the demo's photos as an upload would be; give how many were added."""
    days = photo_days(start, today)
    for day, name in days:
        photo = store_photo(client, (PHOTO_FOLDER / name).read_bytes(), name, day)
        analyse(photo)
    return len(days)


def _score(rng: random.Random, centre: float) -> int:
    return max(0, min(10, round(centre + rng.gauss(0, 0.7))))


def _cutometer_csv(home: Path, start: dt.date, today: dt.date, rng: random.Random) -> Path:
    """Write weekly Cutometer R2 readings (three repeats per cheek) as an instrument exports
    them, typical facial values around 0.7 (EVIDENCE.md §3), level all along: no trend."""
    path = home / "demo-cutometer.csv"
    lines = ["date,instrument,parameter,zone,side,value,unit"]
    days = [start - dt.timedelta(days=d) for d in BASELINE_DAYS]
    day = start
    while day < today:
        days.append(day)
        day += dt.timedelta(days=7)
    for day in days:
        for side in ("left", "right"):
            for _ in range(3):
                value = 0.70 + rng.gauss(0, 0.02)
                lines.append(f"{day.isoformat()},cutometer,R2,cheeks,{side},{value:.3f},ratio")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
