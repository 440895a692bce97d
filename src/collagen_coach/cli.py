"""The ``collagen-coach`` command line: thin commands over the domain core and the store.

Every command takes ``--json`` for machine-readable output. Bad input is one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from collagen_coach.core.errors import UserError

app = typer.Typer(
    name="collagen-coach",
    help="Facial self-massage, planned safely and measured honestly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit with ``code``."""
    err_console.print(f"collagen-coach: {message}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(code)


def read_json_file(path: Path) -> Any:
    """Give the parsed contents of a JSON file, or raise a UserError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UserError(str(path), "file not found") from exc
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise UserError(str(path), f"cannot be read ({exc.__class__.__name__})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            str(path), f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (dates as ISO strings)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one line on stderr and exit code 2."""
    try:
        app(args=argv)
    except UserError as exc:
        fail(exc.message)
    except KeyboardInterrupt:
        fail("interrupted", code=130)


if __name__ == "__main__":
    main()
