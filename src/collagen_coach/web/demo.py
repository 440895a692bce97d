"""A demo self-carer with a few weeks of realistic history, for trying the product out.

Everything goes through the same services the web app and the CLI use, except the past session
logs, whose start times have to be set in the past. The history is made with a fixed seed: the
same day gives the same demo. The self-carer has an account (the embedded app's local client
signs in as ``demo``) and progress photos, analysed: baseline photos before the first session and
one a week after it.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from collagen_coach.core.planning import Profile, Program, build_plan
from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.web.accounts.services import sign_up
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import local_client, save_intake
from collagen_coach.web.journal.models import SessionLog, SessionStatus
from collagen_coach.web.journal.readings import import_readings
from collagen_coach.web.journal.services import log_peptides, rate
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.photos.services import analyse, store_photo
from collagen_coach.web.plans.services import save_program

HISTORY_DAYS = 21  # three weeks, so that today is a planned day (the first of the build phase)
SEED = 20261124
# Baseline measurements before the first session (days before it), as the product asks for:
# at least three on different days, so that measurement noise can be told from change.
BASELINE_DAYS = (6, 4, 2)
USERNAME = "demo"
# The demo's photos (PROVENANCE.md there): one per baseline day, then one a week from the start.
PHOTO_FOLDER = Path(__file__).resolve().parent / "demo_photos"
BASELINE_PHOTOS = ("baseline-1.jpg", "baseline-2.jpg", "baseline-3.jpg")
WEEKLY_PHOTOS = ("week-1.jpg", "week-2.jpg")
# Letters and digits that cannot be mistaken for one another when read off a screen.
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Demo:
    client: Client
    program: Program
    sessions_done: int
    sessions_missed: int
    username: str
    password: str
    photos: int
    today: dt.date


def demo_password() -> str:
    """Give a new password that is easy to type from the screen, e.g. ``k7mt-8qzp-3hwr``."""
    return "-".join("".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(4)) for _ in range(3))


def demo_profile(today: dt.date) -> Profile:
    """Give the demo self-carer: 58, new to facial massage, anti-wrinkle injections 10 days
    before starting, 6 minutes a day, 5 days a week, taking collagen peptides."""
    start = today - dt.timedelta(days=HISTORY_DAYS)
    intake = Intake(
        age=58,
        conditions=[],
        medications=["topical_retinoid"],
        procedures=[
            Procedure(
                kind="botulinum_toxin",
                zones=["forehead", "glabella"],
                date=start - dt.timedelta(days=10),
            )
        ],
        as_of=start,
    )
    return Profile(
        age=58,
        concerns=["sagging", "fine_lines", "dullness"],
        experience="new",
        minutes_per_day=6,
        days_per_week=5,
        sensitivity="normal",
        wants_peptides=True,
        start_date=start,
        intake=intake,
    )


def create_demo(home: Path, today: dt.date | None = None, password: str | None = None) -> Demo:
    """Fill the open store with the demo self-carer's account, plan and history up to ``today``
    (default: today on this computer's calendar, the day the CLI plays sessions for).

    The account is ``demo`` with ``password`` (default: a new one, :func:`demo_password`); its
    client is the embedded app's local client, so the terminal commands see the same history.
    """
    today = today or computer_today()
    password = password or demo_password()
    rng = random.Random(SEED)
    profile = demo_profile(today)
    assert profile.intake is not None
    decision = screen(profile.intake, today=profile.start_date)
    program = build_plan(profile, decision)
    with transaction.atomic():
        client = local_client()
        save_intake(client, profile.intake, decision)
        stored = save_program(client, program)
        done = missed = 0
        for session in program.sessions:
            if session.date >= today:
                break
            # A realistic run-in: most sessions done, a few missed, more in the second week.
            week = (session.date - profile.start_date).days // 7
            if rng.random() < (0.65 if week == 1 else 0.9):
                start = dt.datetime.combine(
                    session.date, dt.time(7, rng.randrange(0, 50)), tzinfo=dt.UTC
                )
                SessionLog.objects.create(
                    client=client,
                    planned_date=session.date,
                    program=stored,
                    started_at=start,
                    finished_at=start + dt.timedelta(seconds=session.duration_s + 30),
                    status=SessionStatus.COMPLETED,
                    steps=[
                        {
                            "technique": step.technique,
                            "zone": step.zone,
                            "side": step.side,
                            "planned_s": step.duration_s,
                            "done_s": step.duration_s,
                            "skipped": False,
                        }
                        for step in session.steps
                    ],
                    pain=False,
                    redness=False,
                )
                done += 1
            else:
                missed += 1
        day = profile.start_date - dt.timedelta(days=BASELINE_DAYS[0])
        while day < today:
            offset = (day - profile.start_date).days
            if offset >= 0 and rng.random() < 0.85:
                log_peptides(client, day, "5", "hydrolysed bovine collagen")
            if -offset in BASELINE_DAYS or (offset >= 0 and offset % 7 == 0):
                weeks_in = max(0, offset) / 7
                rate(
                    client,
                    day,
                    firmness=_score(rng, 5 + 0.3 * weeks_in),
                    elasticity=_score(rng, 5 + 0.2 * weeks_in),
                    fine_lines=_score(rng, 6 - 0.2 * weeks_in),
                    glow=_score(rng, 4 + 0.4 * weeks_in),
                    sagging=_score(rng, 6 - 0.1 * weeks_in),
                )
            day += dt.timedelta(days=1)
        import_readings(client, _cutometer_csv(home, profile.start_date, today, rng))
        _, client = sign_up(USERNAME, password)
    photos = _add_photos(client, profile.start_date, today)
    return Demo(
        client=client,
        program=program,
        sessions_done=done,
        sessions_missed=missed,
        username=USERNAME,
        password=password,
        photos=photos,
        today=today,
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
    them, typical facial values around 0.7 (EVIDENCE.md §3)."""
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
