"""Everything a person has stored: found, exported as one zip, or deleted with their account.

What belongs to a person is found from the models themselves, not from a list kept by hand:
their Client row, every row of a model with a foreign key to Client pointing at it, and every
row of a model with a foreign key to one of those (a plan's planned sessions, say), and so on.
A model added later is exported and deleted without a change here; so is every file one of its
FileFields holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import tempfile
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.core import serializers
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connection, models, transaction

from collagen_coach.core.spreadsheet import spreadsheet_text
from collagen_coach.web.accounts.services import forget_sign_ins
from collagen_coach.web.clients.changes import records_changed
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.records import RecordKind, record_kinds
from collagen_coach.web.lib import dates
from collagen_coach.web.photo_storage import remove_folder
from collagen_coach.web.photos.models import Photo, client_folder
from collagen_coach.web.practice.models import AuditEvent, Membership, Role

EXPORT_FORMAT = "collagen-coach export 1"
logger = logging.getLogger(__name__)
ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeping times to the microsecond (it cuts them to milliseconds), so an
    imported export gives back the very values it was made from."""

    def default(self, o: Any) -> Any:
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


def _record_json(kind: RecordKind, rows: list[models.Model]) -> list[dict[str, Any]]:
    data = serializers.serialize("python", rows)
    return [{"id": item["pk"], **item["fields"]} for item in data]


def _account_json(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {name: getattr(user, name, None) for name in ACCOUNT_FIELDS}


def _csv_text(records: list[dict[str, Any]]) -> str:
    """Give records as CSV, one column per field; lists and mappings as JSON text."""
    out = io.StringIO()
    columns: list[str] = []
    for record in records:
        columns += [c for c in record if c not in columns]
    writer = csv.writer(out)
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(c)) for c in columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    """Give one CSV cell: numbers as numbers, dates in ISO 8601, lists and mappings as JSON, any
    other text as a spreadsheet shows it as typed (never as a formula)."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return str(value)  # "-1.5" is a number: it stays one
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return spreadsheet_text(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))
    return spreadsheet_text(str(value))


def _stored_files(kind: RecordKind, rows: list[models.Model]) -> Iterator[tuple[Storage, str]]:
    for row in rows:
        for f in kind.file_fields:
            value = getattr(row, f.attname)
            if value:
                yield f.storage, str(value)


README = """\
Everything collagen-coach keeps about you, exported on {when}.

records.json
    Every record in one file: your account (name, e-mail, dates; never your password) and, under
    "records", each kind of record by its name, each a list of rows with their fields. Dates are
    ISO 8601 (YYYY-MM-DD), times ISO 8601 in UTC. Under "files", each file below with its
    SHA-256 checksum. `collagen-coach import person` brings the whole zip back into a store.
{csv_lines}
files/
    The files kept with your records (your progress photos without their metadata, and the
    annotated copies the analysis drew), in the folders they are stored in. The records point to
    them by the same path (e.g. a photo's "image" field).

Nothing else is kept about you: deleting everything (My data → Delete everything) removes all of
the above.
"""


def write_export(client: Client, user: User | None, out: IO[bytes]) -> None:
    """Write everything stored for ``client`` (and their account's details) as a zip to ``out``:
    records.json with every record, one CSV per kind of record, the stored files, README.txt."""
    records: dict[str, list[dict[str, Any]]] = {}
    files: list[tuple[Storage, str]] = []
    names: dict[str, str] = {}
    for kind in record_kinds():
        rows = list(kind.rows_shown_to(client))
        records[kind.label] = _record_json(kind, rows)
        names[kind.label] = kind.name
        files += _stored_files(kind, rows)
    now = dates.now()
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": now,
        "account": _account_json(user),
        "records": records,
    }
    csv_lines = "\n".join(
        f"{label}.csv\n    Your {names[label]}: one row each, one column per field "
        f"({len(rows)} row{'' if len(rows) == 1 else 's'})."
        for label, rows in records.items()
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt", README.format(when=f"{now:%Y-%m-%d %H:%M} UTC", csv_lines=csv_lines)
        )
        for label, rows in records.items():
            archive.writestr(f"{label}.csv", _csv_text(rows))
        # Each file's SHA-256, so that an import can tell a damaged or changed photo.
        sums = {name: _copy_file(storage, name, archive) for storage, name in files}
        document["files"] = {name: sha for name, sha in sums.items() if sha is not None}
        archive.writestr(
            "records.json",
            json.dumps(document, cls=ExactJSONEncoder, ensure_ascii=False, indent=1),
        )


def _copy_file(storage: Storage, name: str, archive: zipfile.ZipFile) -> str | None:
    """Copy the stored file ``name`` into ``archive`` under files/; give its SHA-256, or None
    for a file lost from storage (its record still says where it was)."""
    if not storage.exists(name):
        return None
    digest = hashlib.sha256()
    with storage.open(name, "rb") as src, archive.open(f"files/{name}", "w") as dst:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def export_file(client: Client, user: User | None) -> IO[bytes]:
    """Give the export zip in a temporary file, rewound (it disappears once closed)."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it, after sending it)
    try:
        write_export(client, user, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def why_account_must_stay(user: User) -> str | None:
    """Give why ``user``'s account cannot be deleted now, or None.

    The owner of a practice that still holds clients' records, with nobody else working there,
    must stay: otherwise those records would be left with no one able to look after them.
    """
    membership = Membership.objects.filter(user=user).select_related("practice").first()
    if membership is None or not membership.is_owner:
        return None
    practice = membership.practice
    if Membership.objects.filter(practice=practice).exclude(user=user).exists():
        return None  # a colleague takes the practice over
    held = Client.objects.filter(practice=practice).exclude(account=user).count()
    if held:
        return (
            f"{practice.name} still keeps the records of {held} client{'s' if held != 1 else ''}"
            " and nobody else works there, so it needs you: your account stays until they have"
            " left the practice."
        )
    return None


def _hand_over(user: User) -> None:
    """Leave the practice in others' hands: clients named to ``user`` keep their practice with
    no practitioner named, and an owner's longest-serving colleague becomes the owner."""
    named = Client.objects.filter(owner=user).exclude(account=user)
    records_changed(list(named.values_list("pk", flat=True)))
    named.update(owner=None)
    membership = Membership.objects.filter(user=user).first()
    if membership is None or not membership.is_owner:
        return
    successor = (
        Membership.objects.filter(practice=membership.practice)
        .exclude(user=user)
        .order_by("joined_at", "pk")
        .select_related("user")
        .first()
    )
    if successor is not None:
        successor.role = Role.OWNER
        successor.save(update_fields=["role"])
        AuditEvent.record(
            membership.practice_id,
            AuditEvent.Action.CHANGE,
            f"deleted their account; {successor.user.get_username()} now owns the practice",
            actor_name=user.get_username(),
        )


def delete_everything(user: User) -> None:
    """Delete the account ``user``, their client and every record of it, and, once that is
    committed, every file those records kept in storage.

    The practice's audit log keeps its lines about the client, by the name they had, with a
    last line saying that they deleted their records.
    """
    client = Client.objects.filter(account=user).first()
    files: list[tuple[Storage, str]] = []
    with transaction.atomic():
        forget_sign_ins(user.get_username())
        _hand_over(user)
        if client is not None and client.practice_id is not None:
            AuditEvent.record(
                client.practice_id,
                AuditEvent.Action.CHANGE,
                "deleted all their records and their account",
                actor_name=user.get_username(),
                client_name=client.display_name,
            )
        if client is not None:
            # Deepest kinds first, so nothing is left pointing at a deleted row; each delete()
            # cascades and sends the models' own signals (a photo's removes its files).
            for kind in reversed(record_kinds()):
                rows = kind.rows_of(client)
                files += _stored_files(kind, list(rows))
                rows.delete()
        user.delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)  # no error for a file already gone
        if client is not None:
            _remove_photo_folder(client.pk)
        _wipe_free_space()

    transaction.on_commit(remove_files)


def _remove_photo_folder(client_id: int) -> None:
    """Remove the client's photo folder, even empty (its name says a client was there), with
    anything left in it (in a bucket: every object under it)."""
    remove_folder(Photo._meta.get_field("image").storage, client_folder(client_id))


def _wipe_free_space() -> None:
    """On SQLite, rewrite the file and empty its write-ahead log, so that no deleted text stays
    readable in free pages (``secure_delete`` zeroes them as rows go; VACUUM and a truncating
    checkpoint leave no old copy in the -wal file either)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except OperationalError:
        # Another process is writing: the rows are already zeroed; the file is tidied next time.
        logger.warning("could not VACUUM the database after deleting everything", exc_info=True)
