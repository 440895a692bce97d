"""The ``collagen-coach`` command line: thin commands over the domain core and the store.

Every command takes ``--json`` for machine-readable output. Bad input is one line on stderr and
exit code 2, never a traceback. The commands live by job: ``plan`` (screen, plan, calendar,
adherence, session), ``journal`` (log, import, journal), ``photos`` (analyze, compare),
``progress`` (progress, report), ``transfer`` (export, import person) and ``serve``
(serve, worker, demo).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import typer

from collagen_coach.cli import backup, journal, photos, plan, progress, serve, transfer
from collagen_coach.cli.output import fail
from collagen_coach.core.errors import UserError
from collagen_coach.web.store import store_problem

app = typer.Typer(
    name="collagen-coach",
    help="Facial self-massage, planned safely and measured honestly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# In the order `collagen-coach --help` lists them.
app.command("plan")(plan.plan_command)
app.command("screen")(plan.screen_command)
journal.import_app.command("person")(transfer.import_person_command)
app.add_typer(journal.import_app, name="import")
app.command("export")(transfer.export_command)
app.add_typer(journal.log_app, name="log")
app.command("journal")(journal.journal_command)
app.command("calendar")(plan.calendar_command)
app.command("adherence")(plan.adherence_command)
app.command("session")(plan.session_command)
app.command("demo")(serve.demo_command)
app.command("serve")(serve.serve_command)
app.command("worker")(serve.worker_command)
app.command("analyze")(photos.analyse_command)
app.command("compare")(photos.compare_command)
app.command("report")(progress.report_command)
app.command("progress")(progress.progress_command)
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)


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
