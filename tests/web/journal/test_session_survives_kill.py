"""A session cut short by a killed process keeps every step recorded before the kill."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from ..builders import START, program
from ..processes import embedded_env, run_python

RUN_AND_DIE = """
import datetime as dt, os, signal, sys
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.core.planning import Program
from collagen_coach.web.clients.services import local_client
from collagen_coach.web.journal.services import record_step, start_session_log
from collagen_coach.web.plans.services import save_program
client = local_client()
save_program(client, Program.model_validate_json(sys.argv[1]))
log = start_session_log(client, dt.date.fromisoformat(sys.argv[2]))
record_step(log, 0, 60)
record_step(log, 1, 0, skipped=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

LOOK_AND_ABANDON = """
import json
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.services import local_client
from collagen_coach.web.journal import services
client = local_client()
unfinished = services.unfinished_session_logs(client)
seen = {
    "unfinished": len(unfinished),
    "steps": unfinished[0].steps,
    "partial": [d.isoformat() for d in services.partial_session_dates(client)],
}
services.abandon_session_log(unfinished[0])
seen["after_abandon"] = [d.isoformat() for d in services.partial_session_dates(client)]
seen["unfinished_after"] = len(services.unfinished_session_logs(client))
print(json.dumps(seen))
"""


def test_steps_recorded_before_a_kill_are_kept_and_the_session_counts_as_partial(
    tmp_path: Path,
) -> None:
    env = embedded_env(tmp_path / "home")
    killed = run_python(RUN_AND_DIE, env, program().model_dump_json(), START.isoformat())
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    looked = run_python(LOOK_AND_ABANDON, env)
    assert looked.returncode == 0, looked.stderr
    seen = json.loads(looked.stdout)
    assert seen["unfinished"] == 1
    assert [(s["done_s"], s["skipped"]) for s in seen["steps"]] == [
        (60, False),
        (0, True),
        (None, False),
        (None, False),
    ]
    assert seen["partial"] == [START.isoformat()]
    assert seen["after_abandon"] == [START.isoformat()]
    assert seen["unfinished_after"] == 0
