"""What the commands write: Rich consoles, the one-line failure, JSON, wrapped text, files."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit with ``code``."""
    err_console.print(f"collagen-coach: {message}", markup=False, highlight=False, soft_wrap=True)
    sys.exit(code)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (dates as ISO strings)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def say(text: str, first: str = "  ", rest: str = "  ") -> None:
    """Print ``text`` wrapped to the terminal, each line indented (``first`` on the first)."""
    wrapped = textwrap.fill(
        text, max(40, console.width), initial_indent=first, subsequent_indent=rest
    )
    console.print(wrapped, markup=False, highlight=False, soft_wrap=True)


def bullets(lines: list[str]) -> None:
    """Print a bulleted list whose long items wrap under their own text."""
    for line in lines:
        say(line, "  • ", "    ")


def say_plainly(text: str) -> None:
    """Print a line as it is: no Rich markup or highlighting, and not wrapped, so that an address
    or a command stays whole for copying."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
