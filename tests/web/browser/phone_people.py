"""Two people with records, made in the served app's database for the phone-size checks.

- ``selma``: a self-carer three weeks into a plan, with sessions, peptides, ratings, instrument
  readings and analysed photos.
- ``petra``: a practitioner who owns a practice with one client, Cora, whose safety check and
  plan she entered.

:func:`make_people` runs the making in a fresh Python process with the served app's settings
and gives the primary keys the pages' addresses need.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PASSWORD = "a long passphrase 1"
FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"

_SCRIPT = r"""
import datetime as dt, json, sys
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.core.planning import build_plan
from collagen_coach.core.screening import screen
from collagen_coach.web.accounts.services import sign_up
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.demo import demo_profile
from collagen_coach.web.journal.models import InstrumentReading, SessionLog, SessionStatus
from collagen_coach.web.journal.services import log_peptides, rate
from collagen_coach.web.photos.services import analyse, store_photo
from collagen_coach.web.plans.services import save_program
from collagen_coach.web.practice.services import start_practice

password, faces = sys.argv[1], Path(sys.argv[2])
today = dt.date.today()


def planned(client):
    profile = demo_profile(today)
    decision = screen(profile.intake, today=profile.start_date)
    intake = save_intake(client, profile.intake, decision)
    program = build_plan(profile, decision)
    return intake, save_program(client, program), program, profile.start_date


_, carer = sign_up(sys.argv[3], password)
intake, stored, program, start = planned(carer)
for session in program.sessions:
    if session.date >= today:
        break
    began = dt.datetime.combine(session.date, dt.time(7, 30), tzinfo=dt.UTC)
    SessionLog.objects.create(
        client=carer, planned_date=session.date, program=stored, started_at=began,
        finished_at=began + dt.timedelta(seconds=session.duration_s),
        status=SessionStatus.COMPLETED, pain=False, redness=False,
        steps=[{"technique": s.technique, "zone": s.zone, "side": s.side,
                "planned_s": s.duration_s, "done_s": s.duration_s, "skipped": False}
               for s in session.steps],
    )
day, peptide, rating, reading = start, None, None, None
while day < today:
    peptide = log_peptides(carer, day, "5", "hydrolysed bovine collagen")
    if (day - start).days % 7 == 0:
        rating = rate(carer, day, firmness=5, elasticity=5, fine_lines=6, glow=4, sagging=6)
        for zone in ("cheeks", "forehead"):
            for side in ("left", "right"):
                reading = InstrumentReading.objects.create(
                    client=carer, date=day, instrument="cutometer", parameter="R2", zone=zone,
                    side=side, value=0.7, source="cutometer-export-from-the-clinic.csv",
                )
    day += dt.timedelta(days=1)
photo = None
for weeks, name in enumerate(("obama-720p.jpg", "obama.jpg", "obama2.jpg")):
    day = start + dt.timedelta(days=7 * weeks)
    photo = analyse(store_photo(carer, (faces / name).read_bytes(), name, day))

practitioner, _ = sign_up(sys.argv[4], password)
practice = start_practice(practitioner, "Skin Studio")
cora = Client.objects.create(
    display_name="Cora Whitfield-Ashby", practice=practice, owner=practitioner
)
cora_intake, _, cora_program, _ = planned(cora)

print(json.dumps({
    "intake": intake.pk, "photo": photo.pk, "peptide": peptide.pk, "rating": rating.pk,
    "reading": reading.pk, "cora": cora.pk, "cora_intake": cora_intake.pk,
    "cora_phase": cora_program.sessions[-1].phase,
}))
"""


SELF_CARER = "selma"
PRACTITIONER = "petra"


def make_people(env: dict[str, str]) -> dict[str, Any]:
    """Make SELF_CARER and PRACTITIONER (with Cora) in the database ``env`` names; give their
    keys."""
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, PASSWORD, str(FACES), SELF_CARER, PRACTITIONER],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"could not make the people for the phone checks:\n{done.stderr}"
    keys: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return keys
