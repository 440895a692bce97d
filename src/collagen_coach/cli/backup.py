"""Backing up the whole store into one file, and restoring it into an empty store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from collagen_coach.cli.inputs import JsonFlag
from collagen_coach.cli.output import print_json, say

VENDORS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    power = min(3, (len(str(n)) - 1) // 3)
    return f"{n / 1000**power:.1f} {('kB', 'MB', 'GB')[power - 1]}"


def _what(held: dict[str, Any]) -> str:
    return (
        f"{held['rows']} rows in {held['tables']} tables ({VENDORS[held['database']]}) and "
        f"{held['files']} photo files ({_size(held['file_bytes'])})"
    )


def backup_command(
    file: Annotated[Path, typer.Argument(help="The backup file to write, e.g. backup.zip.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it already exists.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Back up the whole store into FILE: the database (taken consistently while the server and
    worker keep running) and every photo and overlay, with a manifest of checksums and counts.

    FILE holds everyone's health records and photos: it is made readable by you only (mode
    0600); keep it as safe as the data folder itself.
    """
    from collagen_coach.web.backup import describe, make_backup

    manifest = make_backup(file, force=force)
    held = describe(manifest)
    if as_json:
        print_json({"file": str(file), "size": file.stat().st_size, **held})
        return
    say(
        f"Backed up {_what(held)} to {file} ({_size(file.stat().st_size)}, readable by you "
        "only: it holds health records).",
        first="",
        rest="",
    )


def restore_command(
    file: Annotated[Path, typer.Argument(help="A backup file made by `collagen-coach backup`.")],
    as_json: JsonFlag = False,
) -> None:
    """Restore the backup FILE into this store, which must be empty (a new data folder, or a new
    database in DATABASE_URL). The whole backup is checked first; a damaged one changes nothing.

    Stop the server and worker of this store before restoring.
    """
    from collagen_coach.web.backup import describe, restore_backup

    manifest = restore_backup(file)
    held = describe(manifest)
    if as_json:
        print_json({"file": str(file), **held})
        return
    say(
        f"Restored {_what(held)} from {file}, a backup made {manifest.made_at:%Y-%m-%d %H:%M} "
        f"UTC by collagen-coach {manifest.product_version}.",
        first="",
        rest="",
    )
