"""Backing up the whole store into one file, and restoring such a file into an empty store.

A backup is the database, taken consistently while a server and a worker may go on writing
(``databases``), and every photo, overlay and the demo marker from the data folder, in one zip with
a manifest of checksums and row counts (``archive``). The database is taken first and the files
after it: a photo is stored before its row is written, so every photo row in the snapshot finds
its file (a photo uploaded meanwhile only adds a file that no row names).

Photos kept in a bucket (``PHOTO_STORAGE_URL``) are read from the bucket and stored in the zip
under the names they would have in the data folder, so a backup restores into a store of either
kind; a restore into a store whose photos go to a bucket puts them there (the bucket must hold
no photo yet, and a failure midway takes out what was put).

The archive is written to a temporary file beside the target, made readable by its owner only
(it holds health data), and renamed into place when complete: a crash leaves no half archive.

A restore checks the whole archive before it changes anything: the manifest, every entry's size
and SHA-256, the database's own integrity (SQLite) and its row counts against the manifest. It goes
only into an empty store (no one's records in the database, no file in the photo folder or
bucket) of the same kind of database; then the store is brought up to this version's migrations.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from django.core.files import File

from collagen_coach.core.errors import UserError
from collagen_coach.web.backup.archive import (
    DATABASE_ENTRY,
    FILES,
    PHOTOS,
    VENDOR_NAMES,
    ArchiveWriter,
    Database,
    Manifest,
    StoredFile,
    Vendor,
    checked_entries,
    damaged,
    extract_checked,
    open_archive,
    read_manifest,
)
from collagen_coach.web.backup.databases import (
    Contents,
    Postgres,
    postgres_contents,
    postgres_empty,
    postgres_load,
    postgres_snapshot,
    sqlite_check_copy,
    sqlite_file_contents,
    sqlite_snapshot,
)
from collagen_coach.web.lib.demo import DEMO_MARKER
from collagen_coach.web.photo_storage import objects_under
from collagen_coach.web.store import check_sqlite_file, open_store

if TYPE_CHECKING:
    from django.core.files.storage import Storage

__all__ = ["Manifest", "describe", "make_backup", "restore_backup"]

EMPTY_STORE = (
    "an empty store: a new COLLAGEN_COACH_HOME, or a new, empty database named by DATABASE_URL"
)
ENGINES: dict[str, Vendor] = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql",
}


def _settings() -> Any:
    """Give Django's settings with the apps loaded, the database not yet opened."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collagen_coach.web.settings")
    import django
    from django.conf import settings

    django.setup()
    return settings


def _vendor(database: dict[str, Any]) -> Vendor:
    vendor = ENGINES.get(database["ENGINE"])
    if vendor is None:
        raise UserError(
            "DATABASE_URL", "names a database that backups do not support", "SQLite or PostgreSQL"
        )
    return vendor


def _stored_files(home: Path) -> list[PurePosixPath]:
    """Give the data folder's photos, overlays and demo marker, as paths inside it, in order."""
    found = [PurePosixPath(DEMO_MARKER)] if (home / DEMO_MARKER).is_file() else []
    for folder, dirs, files in os.walk(home / PHOTOS):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                found.append(PurePosixPath(path.relative_to(home).as_posix()))
    return found


def _bucket() -> Storage | None:
    """Give the bucket photos are kept in (``PHOTO_STORAGE_URL``), or None: the data folder."""
    if _settings().PHOTO_BUCKET is None:
        return None
    from django.core.files.storage import storages

    return storages["default"]


def _bucket_files(writer: ArchiveWriter, bucket: Storage) -> list[StoredFile]:
    """Add every object of the photo bucket, named as in the data folder; give them."""
    stored = []
    for name in objects_under(bucket):
        try:
            with bucket.open(name, "rb") as stream:
                stored.append(writer.add_stored(PurePosixPath(PHOTOS, name), stream))
        except FileNotFoundError:  # deleted since it was listed (its row is gone too)
            continue
    return stored


def _check_target(target: Path, force: bool) -> None:
    if target.is_dir():
        raise UserError(str(target), "is a folder", "a file name for the backup")
    if not target.parent.is_dir():
        raise UserError(
            str(target),
            f"cannot be made: there is no folder {target.parent}",
            "a file in a folder that exists",
        )
    if target.exists() and not force:
        raise UserError(
            str(target),
            "already exists; nothing was written",
            "another file name, or --force to replace it",
        )


def _snapshot(vendor: Vendor, database: dict[str, Any], into: Path) -> Contents:
    if vendor == "sqlite":
        return sqlite_snapshot(Path(database["NAME"]), into)
    return postgres_snapshot(Postgres(database), into)


def make_backup(target: Path, force: bool = False, now: dt.datetime | None = None) -> Manifest:
    """Write a backup of the store (database and stored files) to ``target``; give its manifest.

    Refuses an existing ``target`` unless ``force``. The file is readable by its owner only.
    """
    target = target.expanduser().absolute()
    _check_target(target, force)
    settings = _settings()
    database = settings.DATABASES["default"]
    vendor = _vendor(database)
    if vendor == "sqlite" and not Path(database["NAME"]).exists():
        raise UserError(
            database["NAME"],
            "does not exist: there is no store here to back up",
            "COLLAGEN_COACH_HOME set to the data folder of a store",
        )
    open_store()
    made_at = now or dt.datetime.now(dt.UTC)
    # mkstemp makes the file readable and writable by its owner only, whatever the umask.
    handle, partial_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
    )
    partial = Path(partial_name)
    try:
        with os.fdopen(handle, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as zf:
                writer = ArchiveWriter(zf)
                manifest = _write_archive(writer, vendor, database, settings.HOME, made_at)
                writer.finish(manifest)
            raw.flush()
            os.fsync(raw.fileno())
        _check_target(target, force)  # again: a file may have been put there meanwhile
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write_archive(
    writer: ArchiveWriter,
    vendor: Vendor,
    database: dict[str, Any],
    home: Path,
    made_at: dt.datetime,
) -> Manifest:
    """Add the database's snapshot, then the stored files; give the manifest (not yet added)."""
    entry = DATABASE_ENTRY[vendor]
    with tempfile.TemporaryDirectory(dir=home, prefix=".backup-") as work:
        copy = Path(work) / PurePosixPath(entry).name
        contents = _snapshot(vendor, database, copy)
        with copy.open("rb") as stream:
            size, sha256 = writer.add(entry, stream, compress=vendor == "sqlite")
    files = [writer.add_file(path, home / path) for path in _stored_files(home)]
    bucket = _bucket()
    if bucket is not None:
        files.extend(_bucket_files(writer, bucket))
    return Manifest(
        format="collagen-coach backup 1",
        product_version=version("collagen-coach"),
        made_at=made_at,
        database=Database(
            vendor=vendor,
            size=size,
            sha256=sha256,
            migrations=contents.migrations,
            tables=contents.tables,
        ),
        files=[f for f in files if f is not None],
    )


def _known_migrations(archive: Path, manifest: Manifest) -> None:
    """Refuse a backup whose database was migrated further than this version knows."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.database.migrations.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise UserError(
            str(archive),
            f"was made by a newer collagen-coach ({manifest.product_version}: its database has "
            f"migration {unknown[0]}, which this version does not know); nothing was changed",
            "restoring with that version or a later one",
        )


def _refuse_unless_empty(vendor: Vendor, database: dict[str, Any], photos: Path) -> None:
    """Refuse a store whose database holds anyone's records or whose photo folder holds files."""
    if vendor == "sqlite":
        where = database["NAME"]
        if Path(where).exists():
            check_sqlite_file(Path(where))
        records = sqlite_file_contents(Path(where)).records()
    else:
        where = f"the database {database['NAME']}"
        records = postgres_contents(Postgres(database)).records()
    if records:
        held = ", ".join(f"{rows} in {table}" for table, rows in list(records.items())[:3])
        raise UserError(
            where, f"already holds records (rows: {held}…); nothing was changed", EMPTY_STORE
        )
    if photos.is_dir() and any(p.is_file() for p in photos.rglob("*")):
        raise UserError(str(photos), "already holds files; nothing was changed", EMPTY_STORE)
    bucket = _bucket()
    if bucket is not None and objects_under(bucket):
        named = _settings().PHOTO_BUCKET
        where = f"the photo bucket {named.name}" + (f"/{named.prefix}" if named.prefix else "")
        raise UserError(where, "already holds photos; nothing was changed", EMPTY_STORE)


@contextmanager
def _photos_in_bucket(staged: Path) -> Iterator[None]:
    """Put the checked photos into the photo bucket under their own names (where photos go to
    one), for the rest of the restore; a failure then, or midway, takes out what was put, so
    the store stays empty."""
    bucket = _bucket()
    if bucket is None or not (staged / PHOTOS).is_dir():
        yield
        return
    put: list[str] = []
    try:
        for path in sorted(p for p in (staged / PHOTOS).rglob("*") if p.is_file()):
            name = path.relative_to(staged / PHOTOS).as_posix()
            with path.open("rb") as stream:
                put.append(bucket.save(name, File(stream)))
            if put[-1] != name:
                raise UserError(name, "is already in the bucket; nothing was changed", EMPTY_STORE)
        shutil.rmtree(staged / PHOTOS)
        yield
    except BaseException:
        for name in put:
            bucket.delete(name)
        raise


def _same_contents(archive: Path, found: Contents, manifest: Manifest) -> None:
    if found.tables != manifest.database.tables:
        table = next(
            t
            for t in sorted(found.tables.keys() | manifest.database.tables.keys())
            if found.tables.get(t) != manifest.database.tables.get(t)
        )
        raise damaged(
            archive,
            f"its database's table {table} holds {found.tables.get(table)} "
            f"rows, its manifest says {manifest.database.tables.get(table)}",
        )
    if found.migrations != manifest.database.migrations:
        raise damaged(archive, "its database's migrations are not those of its manifest")


def _put_files(staged: Path, home: Path) -> None:
    """Move the checked files into the data folder (whose photo folder holds no file); photos
    already put into a bucket are no longer among them."""
    if (staged / PHOTOS).is_dir():
        # Only empty folders are there (checked before); rmdir keeps any file come since.
        for folder, _, _ in os.walk(home / PHOTOS, topdown=False):
            try:
                os.rmdir(folder)
            except OSError:
                raise UserError(
                    str(home / PHOTOS), "already holds files; nothing was changed", EMPTY_STORE
                ) from None
        os.replace(staged / PHOTOS, home / PHOTOS)
    if (staged / DEMO_MARKER).is_file():
        os.replace(staged / DEMO_MARKER, home / DEMO_MARKER)


def restore_backup(archive: Path) -> Manifest:
    """Restore the backup ``archive`` into this empty store; give its manifest.

    Everything is checked before anything is changed; a damaged or foreign archive, a store that
    is not empty, or a backup of the other kind of database is refused with one message.
    """
    archive = archive.expanduser().absolute()
    with open_archive(archive) as zf:
        manifest = read_manifest(archive, zf)
        settings = _settings()
        database = settings.DATABASES["default"]
        vendor = _vendor(database)
        if manifest.database.vendor != vendor:
            raise UserError(
                str(archive),
                f"holds a {VENDOR_NAMES[manifest.database.vendor]} database and this store's is "
                f"{VENDOR_NAMES[vendor]}; nothing was changed",
                "restoring into a store of the same kind (DATABASE_URL set for PostgreSQL, unset "
                "for SQLite); moving between the two is not supported",
            )
        _known_migrations(archive, manifest)
        home = Path(settings.HOME)
        _refuse_unless_empty(vendor, database, home / PHOTOS)
        staging = Path(tempfile.mkdtemp(dir=home, prefix=".restoring-"))
        try:
            for entry in checked_entries(manifest):
                extract_checked(archive, zf, entry, staging / entry[0])
            copy = staging / DATABASE_ENTRY[vendor]
            if vendor == "sqlite":
                _check_sqlite_copy(archive, manifest, copy)
            with _photos_in_bucket(staging / FILES):
                if vendor == "sqlite":
                    _put_files(staging / FILES, home)
                    _put_sqlite(copy, Path(database["NAME"]))
                else:
                    _load_postgres(archive, manifest, copy, Postgres(database))
                    _put_files(staging / FILES, home)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    open_store()
    return manifest


def _check_sqlite_copy(archive: Path, manifest: Manifest, copy: Path) -> None:
    try:
        sqlite_check_copy(copy)
    except ValueError as exc:
        raise damaged(archive, str(exc)) from None
    _same_contents(archive, sqlite_file_contents(copy), manifest)


def _put_sqlite(copy: Path, database: Path) -> None:
    # The store holds no records (checked): its old file and companions make way for the copy.
    for companion in (Path(f"{database}-wal"), Path(f"{database}-shm")):
        companion.unlink(missing_ok=True)
    os.replace(copy, database)


def _load_postgres(archive: Path, manifest: Manifest, dump: Path, database: Postgres) -> None:
    postgres_load(database, dump)
    try:
        _same_contents(archive, postgres_contents(database), manifest)
    except UserError:
        postgres_empty(database)  # back to an empty store: no half restore is left
        raise


def describe(manifest: Manifest) -> dict[str, Any]:
    """Give what a backup holds, for the command line's output."""
    return {
        "made_at": manifest.made_at.isoformat(),
        "product_version": manifest.product_version,
        "database": manifest.database.vendor,
        "tables": len(manifest.database.tables),
        "rows": manifest.rows(),
        "files": len(manifest.files),
        "file_bytes": manifest.file_bytes(),
    }
