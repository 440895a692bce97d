"""Moving one person's records: everything exported as My data's zip, and such a zip imported."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from collagen_coach.cli.inputs import JsonFlag, UserOption
from collagen_coach.cli.output import console, print_json, say, say_plainly
from collagen_coach.core.errors import UserError
from collagen_coach.web.store import open_store

ClientOption = Annotated[
    int | None,
    typer.Option(
        "--client", min=1, help="A practice's client by number (one without an account, say)."
    ),
]
ZipArgument = Annotated[Path, typer.Argument(help="The zip file.", dir_okay=False)]


def export_command(
    file: ZipArgument,
    user: UserOption = None,
    client_id: ClientOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Write everything stored for one person as a zip (the same as My data's download),
    readable only by you."""
    open_store()
    from collagen_coach.web.clients.services import terminal_client

    if client_id is not None and user is not None:
        raise UserError("--client", "cannot go with --user", "one of --user or --client")
    client = _client_by_number(client_id) if client_id is not None else terminal_client(user)
    _write_export(file, client)
    if as_json:
        print_json({"file": str(file), "client": client.pk, "user": _username(client)})
        return
    console.print(f"Wrote everything stored for {client.display_name} to {file}.", markup=False)


def import_person_command(
    file: ZipArgument,
    keep_practice: Annotated[
        bool,
        typer.Option(
            "--keep-practice",
            help="Keep the links to the practice and practitioners (same store only).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Bring back a person from their export zip: account, records and photos, all or nothing."""
    open_store()
    from collagen_coach.web.my_data.importer import import_person, set_password_path

    imported = import_person(file, keep_practice=keep_practice)
    user = imported.client.account
    link = None if user is None else set_password_path(user)
    if as_json:
        print_json(
            {
                "client": imported.client.pk,
                "user": imported.username,
                "records": imported.records,
                "files": imported.files,
                "links_left_empty": imported.links_left_empty,
                "set_password_path": link,
            }
        )
        return
    who = imported.username or imported.client.display_name
    console.print(
        f"Brought back {who}: {imported.records} records and {imported.files} files "
        f"(client number {imported.client.pk}).",
        markup=False,
    )
    if imported.links_left_empty:
        say(
            "Not linked, as they name rows of the store the export came from: "
            + ", ".join(imported.links_left_empty)
            + " (use --keep-practice when importing into that same store)."
        )
    if link is not None:
        from django.conf import settings

        from collagen_coach.web.server import DEFAULT_HOST, DEFAULT_PORT

        site = str(getattr(settings, "SITE_URL", "") or "")
        where = "" if site else ", at the address collagen-coach is served at if not this"
        say(
            f"The account has no password yet. To choose one, {who} opens this link (good "
            f"once, for three days){where}:"
        )
        say_plainly(f"  {site or f'http://{DEFAULT_HOST}:{DEFAULT_PORT}'}{link}")


def _client_by_number(number: int) -> Any:
    from collagen_coach.web.clients.models import Client

    client = Client.objects.filter(pk=number).first()
    if client is None:
        raise UserError("--client", f"there is no client number {number}", "a client's number")
    return client


def _username(client: Any) -> str | None:
    return None if client.account is None else client.account.get_username()


def _write_export(path: Path, client: Any) -> None:
    """Write the export zip to ``path`` so that a crash leaves the old file or the whole new
    one, and readable by its owner only (mode 0600): it holds health records and photos."""
    from collagen_coach.web.my_data.services import write_export

    if path.is_dir():
        raise UserError(str(path), "is a folder", "the path of the zip file to write")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise UserError(str(path), f"cannot be written ({exc.strerror})") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            write_export(client, client.account, out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)  # an old temporary file of the same name kept its own mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
