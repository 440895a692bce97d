"""Running the app in a separate process, as a user would, against a fresh data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = Path(sys.executable).with_name("collagen-coach")


def embedded_env(home: Path) -> dict[str, str]:
    """Give an environment for the embedded app with its data in ``home`` (SQLite, no server)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["COLLAGEN_COACH_HOME"] = str(home)
    env["COLUMNS"] = "120"  # keep Rich from wrapping lines differently on each terminal
    return env


def run_python(script: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh Python process (Django's global state starts clean)."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``collagen-coach ARGS`` as installed in this environment."""
    return subprocess.run(
        [str(CLI), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


SIGN_UP = """
import sys
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.accounts.services import sign_up
sign_up(sys.argv[1], "a long passphrase 1")
"""


def shared_database_env(
    env: dict[str, str], database_url: str, user: str = "maria"
) -> dict[str, str]:
    """Give ``env`` on the shared database ``database_url``, with a signed-up account ``user``
    there that the command line works for (COLLAGEN_COACH_USER, as --user)."""
    env = {**env, "DATABASE_URL": database_url}
    # The account is made from a folder of its own: the data folder stays as the test left it.
    maker = {**env, "COLLAGEN_COACH_HOME": env["COLLAGEN_COACH_HOME"] + "-account"}
    made = run_python(SIGN_UP, maker, user)
    assert made.returncode == 0, made.stderr
    return {**env, "COLLAGEN_COACH_USER": user}
