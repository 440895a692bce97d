"""Bring one person back from their export zip (My data → Download everything, or
``collagen-coach export``): their account without its password, their client record, every
record and every stored file, all or nothing.

Records get new ids and keep every value, date and link between them (a photo's measurement, a
session log's plan); their files go to the new client's folder with the same bytes. Links to
rows that are not the person's (their practice, their practitioner) name those rows only by
number, which means something only in the store the export came from: they are kept only when
asked for (``keep_practice``) and the row is there, and are otherwise left empty.

The zip is checked before anything is written: a file that is not a zip, that is damaged or that
is not a collagen-coach export, or a person who is already here, is refused with one message.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.records import RecordKind, record_kinds
from collagen_coach.web.my_data.services import EXPORT_FORMAT
from collagen_coach.web.photos.models import client_folder
from collagen_coach.web.practice.models import AuditEvent

ALLOWED = "a zip made by My data → Download everything or by collagen-coach export"
CLIENT = "clients.client"


@dataclass(frozen=True)
class Export:
    """An export zip, read and checked: its records by kind, its account, its files' bytes."""

    account: dict[str, Any] | None
    records: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes]  # stored name → bytes

    @property
    def client_row(self) -> dict[str, Any]:
        return self.records[CLIENT][0]


@dataclass
class ImportedPerson:
    """What an import brought back."""

    client: Client
    username: str | None
    records: int = 0  # rows of every kind, the client's own included
    files: int = 0
    links_left_empty: list[str] = field(default_factory=list)  # e.g. "clients.client.practice"


def import_person(path: Path, *, keep_practice: bool = False) -> ImportedPerson:
    """Recreate the person exported in the zip at ``path`` and give what was brought back, or
    raise a UserError and change nothing.

    The account comes back without a password (the person sets one through a reset). With
    ``keep_practice`` the links to the practice and practitioners of this store are kept.
    """
    name = path.name
    export = read_export(path)
    written: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            return _recreate(export, name, keep_practice, written)
    except BaseException:
        for storage, stored in written:
            storage.delete(stored)
        raise


def set_password_path(user: User) -> str:
    """Give the path of the page where ``user`` chooses a password: Django's password reset
    link, good once and for PASSWORD_RESET_TIMEOUT (three days)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def read_export(path: Path) -> Export:
    """Give the export in the zip at ``path``, checked whole: every member against its CRC,
    every file against the SHA-256 that records.json gives it, every kind of record known."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise UserError(str(path), "file not found", ALLOWED) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(name, "is not a zip file", ALLOWED) from exc
    with archive:
        try:
            bad = archive.testzip()
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise UserError(name, f"is damaged ({exc})", ALLOWED) from exc
        if bad is not None:
            raise UserError(name, f"is damaged: {bad} does not match its checksum", ALLOWED)
        if "records.json" not in archive.namelist():
            problem = "is not a collagen-coach export (it has no records.json)"
            raise UserError(name, problem, ALLOWED)
        document = _document(archive.read("records.json"), name)
        records = _records(document, name)
        files = dict(_files(archive, records, document.get("files"), name))
    account = document.get("account")
    if account is not None and not (isinstance(account, dict) and account.get("username")):
        raise UserError(name, "is damaged: its account has no user name", ALLOWED)
    return Export(account=account, records=records, files=files)


def _document(text: bytes, name: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(name, "is damaged: records.json is not JSON", ALLOWED) from exc
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        problem = "is not a collagen-coach export" + (f" (format {found!r})" if found else "")
        raise UserError(name, problem, f"{ALLOWED}, format {EXPORT_FORMAT!r}")
    return document


def _records(document: dict[str, Any], name: str) -> dict[str, list[dict[str, Any]]]:
    records = document.get("records")
    if not isinstance(records, dict):
        raise UserError(name, "is damaged: records.json has no records", ALLOWED)
    known = {kind.label for kind in record_kinds()}
    if unknown := sorted(set(records) - known):
        raise UserError(name, f"holds kinds of record this version does not know: {unknown}")
    for label, rows in records.items():
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("id"), int) for r in rows
        ):
            raise UserError(name, f"is damaged: the {label} records are not a list of rows")
    if len(records.get(CLIENT, [])) != 1:
        raise UserError(name, "is damaged: it does not hold exactly one client record", ALLOWED)
    return records


def _files(
    archive: zipfile.ZipFile,
    records: dict[str, list[dict[str, Any]]],
    sums: Any,
    name: str,
) -> Iterator[tuple[str, bytes]]:
    """Give every file the records name, with its bytes, checked against its SHA-256.

    A file named by a record but listed in neither the checksums nor the zip was already lost
    from storage when the export was made; its record still says where it was, as before.
    """
    sums = sums if isinstance(sums, dict) else {}
    members = set(archive.namelist())
    for kind in record_kinds():
        for row in records.get(kind.label, []):
            for f in kind.file_fields:
                stored = row.get(f.name)
                if not stored:
                    continue
                member = f"files/{stored}"
                if member not in members:
                    if stored in sums:
                        raise UserError(name, f"is damaged: {member} is missing", ALLOWED)
                    continue
                data = archive.read(member)
                if stored in sums and hashlib.sha256(data).hexdigest() != sums[stored]:
                    raise UserError(name, f"is damaged: {member} is not the file exported")
                yield stored, data


def refuse_if_present(export: Export, name: str) -> None:
    """Raise a UserError if the person in ``export`` is already in this store."""
    again = "delete them first (My data → Delete everything) or import into another store"
    if export.account is not None:
        username = str(export.account["username"])
        if get_user_model().objects.filter(username=username).exists():
            raise UserError(name, f"the account {username!r} is already here", again)
    client = _instance(CLIENT, {**export.client_row, "account": None}, name)
    assert isinstance(client, Client)
    if client.is_local and _local_client_with_records():
        raise UserError(
            name,
            "this data folder already has records of its own",
            "import into a fresh data folder (COLLAGEN_COACH_HOME)",
        )
    twin = Client.objects.filter(display_name=client.display_name, created_at=client.created_at)
    if twin.exists():
        raise UserError(name, f"{client.display_name!r} is already here", again)


def _local_client_with_records() -> bool:
    """Give whether this store's local client exists and holds records (one made by a first
    command, with none, makes way for the imported one)."""
    local = Client.objects.filter(is_local=True).first()
    return local is not None and any(k.rows_of(local).exists() for k in record_kinds()[1:])


def _recreate(
    export: Export, name: str, keep_practice: bool, written: list[tuple[Storage, str]]
) -> ImportedPerson:
    refuse_if_present(export, name)  # in the transaction: nothing comes in meanwhile
    if export.client_row.get("is_local"):
        Client.objects.filter(is_local=True).delete()  # one without records, as just checked
    user = _account(export.account)
    rows = _Rows(export, name, keep_practice, written)
    if user is not None:
        rows.users[export.client_row.get("account")] = user.pk
    client_kind, *kinds = _in_link_order(record_kinds())
    client = rows.add(client_kind, export.client_row)
    assert isinstance(client, Client)
    if client.account_id is None and client.practice_id is None and not client.is_local:
        raise UserError(
            name,
            f"{client.display_name!r} has no account, and no practice here would keep them",
            "--keep-practice, into the store of the practice that keeps their records",
        )
    rows.client = client
    for kind in kinds:
        for row in export.records.get(kind.label, []):
            rows.add(kind, row)
    if client.practice_id is not None:
        AuditEvent.record(
            client.practice_id,
            AuditEvent.Action.CHANGE,
            "brought back all their records from an export",
            actor_name="collagen-coach import",
            client=client,
        )
    return ImportedPerson(
        client=client,
        username=None if user is None else user.username,
        records=rows.count,
        files=len(written),
        links_left_empty=sorted(rows.left_empty),
    )


class _Rows:
    """The rows brought in so far: their new ids by kind and old id, and what was left out."""

    def __init__(
        self, export: Export, name: str, keep_practice: bool, written: list[tuple[Storage, str]]
    ) -> None:
        self.export, self.name, self.keep_practice, self.written = (
            export,
            name,
            keep_practice,
            written,
        )
        self.new_ids: dict[str, dict[int, int]] = {k.label: {} for k in record_kinds()}
        self.users: dict[Any, int] = {}  # the account's id in the export → its new id
        self.client: Client | None = None
        self.count = 0
        self.left_empty: set[str] = set()

    def add(self, kind: RecordKind, row: dict[str, Any]) -> models.Model:
        """Insert one exported row with its links and files made this store's; give it."""
        values = {k: v for k, v in row.items() if k != "id"}
        for f in kind.model._meta.concrete_fields:
            if f.is_relation and values.get(f.name) is not None:
                values[f.name] = self.link(kind, f, values[f.name])
        for f in kind.file_fields:
            if values.get(f.name) and self.client is not None:
                values[f.name] = self.store_file(f, values[f.name])
        instance = _instance(kind.label, values, self.name)
        _save(instance, kind, self.name)
        self.new_ids[kind.label][row["id"]] = instance.pk
        self.count += 1
        return instance

    def link(self, kind: RecordKind, f: models.Field[Any, Any], old: Any) -> Any:
        """Give the new value of the link ``f`` that held ``old``: the new id of one of the
        person's rows or of their account; a row of this store's own only when the practice
        is kept and the row is here; otherwise None (noted in ``left_empty``)."""
        model = f.related_model
        assert model is not None
        assert not isinstance(model, str)
        target = model._meta.label_lower
        if target in self.new_ids:
            new = self.new_ids[target].get(old)
            if new is None and not f.null:
                raise UserError(
                    self.name, f"is damaged: a {kind.label} row links to a missing {target}"
                )
            return new
        if model is User and old in self.users:
            return self.users[old]
        if self.keep_practice and model._default_manager.filter(pk=old).exists():
            return old
        if not f.null:
            raise UserError(self.name, f"a {kind.label} row needs {target} {old}, not here")
        self.left_empty.add(f"{kind.label}.{f.name}")
        return None

    def store_file(self, f: models.FileField, stored: str) -> str:
        """Store an exported file in the new client's folder and give its stored name (the
        name as it was, for a file already lost when the export was made)."""
        assert self.client is not None
        if stored not in self.export.files:
            return stored
        old_folder = client_folder(int(self.export.client_row["id"])) + "/"
        if stored.startswith(old_folder):
            stored_as = client_folder(self.client.pk) + "/" + stored[len(old_folder) :]
        else:
            stored_as = stored
        saved = f.storage.save(stored_as, ContentFile(self.export.files[stored]))
        self.written.append((f.storage, saved))
        return saved


def _account(account: dict[str, Any] | None) -> User | None:
    """Give the person's account recreated without a usable password, or None."""
    if account is None:
        return None
    user = User(
        username=account["username"],
        email=account.get("email") or "",
        first_name=account.get("first_name") or "",
        last_name=account.get("last_name") or "",
    )
    for stamp in ("date_joined", "last_login"):
        if when := parse_datetime(str(account.get(stamp) or "")):
            setattr(user, stamp, when)
    user.set_unusable_password()
    user.save()
    return user


def _instance(label: str, values: dict[str, Any], name: str) -> models.Model:
    """Give the model instance the row ``values`` describe, its values converted and checked
    as a fixture's are (Django's serializers)."""
    try:
        [obj] = serializers.deserialize("python", [{"model": label, "pk": None, "fields": values}])
    except (DeserializationError, FieldDoesNotExist, ValidationError, ValueError) as exc:
        raise UserError(name, f"is damaged: a {label} row cannot be read ({exc})", ALLOWED) from exc
    instance: models.Model = obj.object
    return instance


def _save(instance: models.Model, kind: RecordKind, name: str) -> None:
    """Insert the row as it was (``raw``: its creation times are kept, not set to now)."""
    try:
        with transaction.atomic():
            instance.save_base(raw=True, force_insert=True)
    except (DatabaseError, ValidationError, ValueError) as exc:
        raise UserError(name, f"is damaged: a {kind.label} row cannot be stored ({exc})") from exc


def _in_link_order(kinds: list[RecordKind]) -> list[RecordKind]:
    """Give ``kinds`` ordered so that each comes after the kinds its links point to (a photo
    after its measurement, a session log after its plan), otherwise as found."""
    labels = {kind.label for kind in kinds}
    ordered: list[RecordKind] = []
    done: set[str] = set()
    waiting = list(kinds)
    while waiting:
        for kind in waiting:
            needs = {
                f.related_model._meta.label_lower
                for f in kind.model._meta.concrete_fields
                if f.is_relation and f.related_model not in (None, kind.model)
            }
            if (needs & labels) <= done:
                ordered.append(kind)
                done.add(kind.label)
                waiting.remove(kind)
                break
        else:
            raise RuntimeError(f"the kinds of record link in a circle: {waiting}")
    return ordered
