"""After "Delete everything" on the embedded SQLite store, nothing the person wrote can be read
back from the database file or its write-ahead log (their free pages included), while the app
is still running and after it has stopped."""

from __future__ import annotations

import json
from pathlib import Path

from ..processes import embedded_env, run_python

MARKER = "tingling-under-the-left-eye-7f3a"
WRITE_THEN_DELETE = """
import datetime as dt, json, sys
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.accounts.services import sign_up
from collagen_coach.web.journal.services import rate
from collagen_coach.web.my_data.services import delete_everything
user, client = sign_up("ann", "a long passphrase 1")
for days in range(60):
    rate(client, dt.date(2025, 1, 1) + dt.timedelta(days=days), firmness=5, elasticity=5,
         fine_lines=5, glow=5, sagging=5, note=sys.argv[1] * 20)
delete_everything(user)
database = Path(sys.argv[2])
files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]
print(json.dumps([f.name for f in files if f.exists() and sys.argv[1].encode() in f.read_bytes()]))
"""


def test_no_deleted_text_is_left_in_the_database_file(tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = home / "collagen-coach.sqlite3"
    done = run_python(WRITE_THEN_DELETE, embedded_env(home), MARKER, str(database))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []  # the app still running
    files = [database, *(database.with_name(database.name + end) for end in ("-wal", "-shm"))]
    # The app stopped.
    left = [f.name for f in files if f.exists() and MARKER.encode() in f.read_bytes()]
    assert left == []
