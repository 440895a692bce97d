"""On a shared database (DATABASE_URL) the command line works only for an account it is told
(``--user`` or COLLAGEN_COACH_USER); records made in the terminal never go to a stranger.

On a SQLite file named by DATABASE_URL, and on a fresh PostgreSQL database when DATABASE_URL
names a PostgreSQL server.
"""

from __future__ import annotations

import json

import pytest

from web.processes import run_cli, run_python, shared_database_env

pytestmark = [pytest.mark.postgres]

RECORDS_OF = """
import json, sys
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PeptideIntake
print(json.dumps({
    c.account.username if c.account else "(nobody)": PeptideIntake.objects.filter(client=c).count()
    for c in Client.objects.select_related("account")
}))
"""


def doses_by_account(env: dict[str, str]) -> dict[str, int]:
    seen = run_python(RECORDS_OF, env)
    assert seen.returncode == 0, seen.stderr
    return dict(json.loads(seen.stdout))


@pytest.mark.parametrize(
    ("account", "message"),
    [
        pytest.param(
            [],
            "collagen-coach: --user: is needed: this database (DATABASE_URL) is shared by many "
            "accounts (allowed: the user name of the account to work for, e.g. --user maria)\n",
            id="unnamed",
        ),
        pytest.param(
            ["--user", "mallory"],
            "collagen-coach: --user: 'mallory' is not an account here (allowed: the user name of "
            "a signed-up person)\n",
            id="unknown",
        ),
    ],
)
def test_a_write_without_a_known_account_is_refused_in_one_line(
    unnamed_env: dict[str, str], account: list[str], message: str
) -> None:
    done = run_cli("log", "peptides", "--grams", "5", *account, env=unnamed_env)
    assert (done.returncode, done.stderr) == (2, message)
    assert doses_by_account(unnamed_env) == {"maria": 0}


def test_a_named_account_gets_the_record_and_the_next_sign_up_does_not(
    unnamed_env: dict[str, str],
) -> None:
    done = run_cli("log", "peptides", "--grams", "5", "--user", "maria", env=unnamed_env)
    assert done.returncode == 0, done.stderr
    by_variable = run_cli(
        "log", "peptides", "--grams", "2.5", env={**unnamed_env, "COLLAGEN_COACH_USER": "maria"}
    )
    assert by_variable.returncode == 0, by_variable.stderr
    shared_database_env(unnamed_env, unnamed_env["DATABASE_URL"], "stranger")
    assert doses_by_account(unnamed_env) == {"maria": 2, "stranger": 0}
