"""A made-up history of any length (a daily plan, sessions done, self-ratings, peptides, photo
measurements), for measuring the progress dashboard on years of data and for its tests.

Rows are written in bulk: five years take seconds, not the minutes that one service call per
record would. The numbers are made with a fixed seed: the same call gives the same history.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from collagen_coach.core.planning import PhaseSpan, Profile, Program, Session, Step
from collagen_coach.core.screening import Decision
from collagen_coach.vision import ALGORITHM
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import (
    PeptideIntake,
    PhotoMeasurement,
    SelfRating,
    SessionLog,
    SessionStatus,
)
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import save_program

PHOTO_ZONES = (
    "forehead",
    "glabella",
    "temples",
    "crows_feet",
    "under_eye",
    "cheeks",
    "nasolabial",
    "mouth",
    "jawline",
    "chin",
    "neck",
)
# Typical values of the photo metrics (as the analysis of a real photo gives them).
SKIN_METRICS = {
    "wrinkle_index": 1.2,
    "line_density": 0.04,
    "line_length_cm_per_cm2": 0.6,
    "texture_roughness": 2.1,
    "radiance": 62.0,
    "evenness_l_iqr": 6.5,
    "evenness_ita_iqr": 9.0,
    "redness": 12.0,
}
SHAPE_METRICS = {
    "cheeks": {"malar_height": 0.42},
    "nasolabial": {"nasolabial_depth": 0.08},
    "jawline": {"jawline_sag": 0.05, "jowl_position": 0.03},
}
BASELINE_DAYS = 7  # measurements in the week before the first session


@dataclass(frozen=True)
class History:
    sessions_planned: int
    sessions_done: int
    ratings: int
    peptide_doses: int
    photos: int


def _step(technique: str, zone: str, duration_s: int) -> Step:
    return Step(
        technique=technique,
        zone=zone,
        side="both",
        duration_s=duration_s,
        pressure=2,
        tempo_value=2.0,
        tempo_unit="s_per_circle",
        tempo_cue="one slow circle every two seconds",
        why="warms and loosens the area",
    )


def daily_program(start: dt.date, days: int) -> Program:
    """Give a program with one short session every day for ``days`` days from ``start``."""
    steps = [
        _step("tapping", "forehead", 60),
        _step("circular_motions", "cheeks", 120),
        _step("fascial_stretch", "jawline", 90),
    ]
    sessions = [
        Session(date=start + dt.timedelta(days=n), phase="foundation", steps=steps)
        for n in range(days)
    ]
    return Program(
        profile=Profile(age=58, concerns=["sagging"], minutes_per_day=5, start_date=start),
        decision=Decision(
            decision="go",
            reasons=["no contraindication found"],
            avoid_zones=[],
            exclude_techniques=[],
            max_pressure=5,
            resume_on=None,
        ),
        phases=[
            PhaseSpan(
                name="foundation",
                start=start,
                end=start + dt.timedelta(days=days - 1),
                goal="learn the strokes",
            )
        ],
        sessions=sessions,
        notes=["Judge progress after at least 8 weeks."],
    )


def done_log(
    client: Client, stored: StoredProgram, session: Session, began: dt.datetime
) -> SessionLog:
    """Give (unsaved) the log of ``session`` done in full, begun at ``began``."""
    return SessionLog(
        client=client,
        planned_date=session.date,
        program=stored,
        started_at=began,
        finished_at=began + dt.timedelta(seconds=session.duration_s),
        status=SessionStatus.COMPLETED,
        steps=[
            {
                "technique": s.technique,
                "zone": s.zone,
                "side": s.side,
                "planned_s": s.duration_s,
                "done_s": s.duration_s,
                "skipped": False,
            }
            for s in session.steps
        ],
        pain=False,
        redness=False,
    )


def make_history(
    client: Client,
    *,
    today: dt.date,
    days: int,
    photos: int,
    done_share: float = 0.85,
    seed: int = 20261124,
) -> History:
    """Give ``client`` a daily plan of ``days`` days up to yesterday, with about ``done_share``
    of its sessions done, a self-rating and a peptide dose most days, and ``photos`` photo
    measurements spread evenly (a week of baseline ratings and photos before the first day)."""
    rng = random.Random(seed)
    start = today - dt.timedelta(days=days)
    program = daily_program(start, days)
    with transaction.atomic():
        stored = save_program(client, program)
        logs = []
        for session in program.sessions:
            if rng.random() >= done_share:
                continue
            began = dt.datetime.combine(session.date, dt.time(7, 30), tzinfo=dt.UTC)
            logs.append(done_log(client, stored, session, began))
        SessionLog.objects.bulk_create(logs, batch_size=500)
        first = start - dt.timedelta(days=BASELINE_DAYS)
        all_days = [first + dt.timedelta(days=n) for n in range((today - first).days)]
        ratings = []
        for day in all_days:
            if day >= start and rng.random() < 0.2:
                continue  # not every day is rated
            weeks = max(0, (day - start).days) / 7

            def score(centre: float) -> int:
                return max(0, min(10, round(centre + rng.gauss(0, 0.8))))

            ratings.append(
                SelfRating(
                    client=client,
                    date=day,
                    firmness=score(5 + min(2.0, 0.05 * weeks)),
                    elasticity=score(5 + min(1.5, 0.03 * weeks)),
                    fine_lines=score(6 - min(1.0, 0.02 * weeks)),
                    glow=score(4 + min(2.5, 0.06 * weeks)),
                    sagging=score(6.0),
                )
            )
        SelfRating.objects.bulk_create(ratings, batch_size=500)
        doses = [
            PeptideIntake(client=client, date=day, grams="5.00", product="hydrolysed collagen")
            for day in all_days
            if rng.random() < 0.8
        ]
        PeptideIntake.objects.bulk_create(doses, batch_size=500)
        photo_days = _photo_days(first, start, today, photos)
        PhotoMeasurement.objects.bulk_create(
            [photo_measurement(client, day, rng) for day in photo_days], batch_size=200
        )
    return History(
        sessions_planned=len(program.sessions),
        sessions_done=len(logs),
        ratings=len(ratings),
        peptide_doses=len(doses),
        photos=len(photo_days),
    )


def _photo_days(first: dt.date, start: dt.date, today: dt.date, count: int) -> list[dt.date]:
    """Give ``count`` days: three in the baseline week, the rest spread evenly after."""
    baseline = [first, first + dt.timedelta(days=2), first + dt.timedelta(days=4)][:count]
    rest = count - len(baseline)
    span = (today - start).days
    after = [start + dt.timedelta(days=(span - 1) * (n + 1) // rest) for n in range(rest)]
    return baseline + after


def photo_measurement(client: Client, day: dt.date, rng: random.Random) -> PhotoMeasurement:
    by_side = {}
    for zone in PHOTO_ZONES:
        typical = {**SKIN_METRICS, **SHAPE_METRICS.get(zone, {})}
        by_side[zone] = {
            side: {m: round(v * (1 + rng.gauss(0, 0.05)), 5) for m, v in typical.items()}
            for side in ("left", "right")
        }
    return PhotoMeasurement(
        client=client,
        date=day,
        file_name=f"photo-{day.isoformat()}.jpg",
        ok=True,
        problems=[],
        pose={"yaw": 1.0, "pitch": -2.0, "roll": 0.5},
        metrics_by_side=by_side,
        metrics={
            zone: {m: (sides["left"][m] + sides["right"][m]) / 2 for m in sides["left"]}
            for zone, sides in by_side.items()
        },
        algorithm=ALGORITHM,
        created_at=timezone.now(),
    )
