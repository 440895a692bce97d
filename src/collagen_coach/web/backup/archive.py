"""The backup archive: one zip file with the database, the stored files and a manifest.

Layout: ``database/collagen-coach.sqlite3`` or ``database/collagen-coach.pgdump`` (pg_dump's
custom format), ``files/<path in the data folder>`` for each photo, overlay and the demo marker,
and ``manifest.json`` last, which lists every other entry with its size and SHA-256, the database's
vendor, migrations applied and rows per table, the product's version and when the backup was
made. Nothing in the archive is trusted before it is checked against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from collagen_coach.core.errors import UserError
from collagen_coach.web.lib.demo import DEMO_MARKER

FORMAT = "collagen-coach backup 1"
MANIFEST = "manifest.json"
FILES = "files/"
PHOTOS = "photos"  # the photo folder in the data folder (settings.PHOTO_ROOT)
DATABASE_ENTRY = {
    "sqlite": "database/collagen-coach.sqlite3",
    "postgresql": "database/collagen-coach.pgdump",
}
CHUNK = 1024 * 1024
Vendor = Literal["sqlite", "postgresql"]
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class StoredFile(BaseModel):
    """One file in the archive: where it goes in the data folder, its size and checksum."""

    model_config = ConfigDict(extra="forbid")
    path: str
    size: int
    sha256: str


class Database(BaseModel):
    """The database in the archive and what it held when the backup was made."""

    model_config = ConfigDict(extra="forbid")
    vendor: Vendor
    size: int
    sha256: str
    migrations: dict[str, list[str]]
    tables: dict[str, int]


class Manifest(BaseModel):
    """What a backup holds; written last into the archive, read and checked first."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["collagen-coach backup 1"]
    product_version: str
    made_at: dt.datetime
    database: Database
    files: list[StoredFile]

    def rows(self) -> int:
        return sum(self.database.tables.values())

    def file_bytes(self) -> int:
        return sum(f.size for f in self.files)


def damaged(archive: Path, problem: str) -> UserError:
    """Give the one refusal of an archive that is damaged or not a backup of this product."""
    return UserError(
        str(archive),
        f"is not a usable collagen-coach backup: {problem}; nothing was changed",
        "a file made by `collagen-coach backup`, unchanged since",
    )


def safe_path(path: str) -> PurePosixPath:
    """Give a stored file's path inside the data folder, refusing any that would leave it."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts):
        raise ValueError(f"it names a file outside the data folder ({path!r})")
    if "\\" in path or "\x00" in path:
        raise ValueError(f"it names a file with a character not allowed ({path!r})")
    if not ((pure.parts[0] == PHOTOS and len(pure.parts) > 1) or path == DEMO_MARKER):
        raise ValueError(f"it names a file that a backup does not hold ({path!r})")
    return pure


def copy_hashing(source: IO[bytes], target: IO[bytes]) -> tuple[int, str]:
    """Copy ``source`` into ``target``; give the bytes copied and their SHA-256."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


class ArchiveWriter:
    """Writes entries into a new zip, each one's size and checksum taken from the bytes written."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf

    def add(self, name: str, source: IO[bytes], compress: bool) -> tuple[int, str]:
        info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        with self.zf.open(info, "w", force_zip64=True) as target:
            return copy_hashing(source, target)

    def add_file(self, path: PurePosixPath, source: Path) -> StoredFile | None:
        """Add a file of the data folder; None when it went away before it could be read."""
        try:
            with source.open("rb") as stream:
                return self.add_stored(path, stream)
        except FileNotFoundError:
            return None

    def add_stored(self, path: PurePosixPath, stream: IO[bytes]) -> StoredFile:
        """Add the bytes of ``stream`` as the stored file ``path`` (of the data folder, or an
        object of the photo bucket named as in the folder)."""
        size, sha256 = self.add(FILES + path.as_posix(), stream, compress=False)
        return StoredFile(path=path.as_posix(), size=size, sha256=sha256)

    def finish(self, manifest: Manifest) -> None:
        self.zf.writestr(MANIFEST, manifest.model_dump_json(indent=2), zipfile.ZIP_DEFLATED)


def read_manifest(archive: Path, zf: zipfile.ZipFile) -> Manifest:
    """Give the archive's manifest, checked to list exactly the archive's other entries."""
    try:
        manifest = Manifest.model_validate_json(zf.read(MANIFEST))
    except KeyError:
        raise damaged(archive, f"it has no {MANIFEST}") from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise damaged(archive, f"its {MANIFEST} cannot be read back ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise damaged(
            archive, f"its {MANIFEST} is not one this version reads ({where}: {first['msg']})"
        ) from None
    expected = {MANIFEST, DATABASE_ENTRY[manifest.database.vendor]}
    try:
        expected |= {FILES + safe_path(f.path).as_posix() for f in manifest.files}
    except ValueError as exc:
        raise damaged(archive, str(exc)) from None
    found = set(zf.namelist())
    if found != expected:
        odd = sorted(found ^ expected)[0]
        which = "is missing" if odd in expected else "is not in the manifest"
        raise damaged(archive, f"{odd} {which}")
    return manifest


def checked_entries(manifest: Manifest) -> Iterator[tuple[str, int, str]]:
    """Give each entry the manifest lists (the database first) with the size and checksum it was
    made with, for :func:`extract_checked`."""
    database = manifest.database
    yield DATABASE_ENTRY[database.vendor], database.size, database.sha256
    for stored in manifest.files:
        yield FILES + stored.path, stored.size, stored.sha256


def extract_checked(
    archive: Path, zf: zipfile.ZipFile, entry: tuple[str, int, str], target: Path
) -> None:
    """Copy one entry into the new file ``target``, refusing it unless its size and SHA-256 are
    those of the manifest (zip's own CRC catches most damage first)."""
    name, size, sha256 = entry
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with target.open("xb") as out:
        target.chmod(0o600)
        try:
            with zf.open(name) as source:
                found = copy_hashing(source, out)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise damaged(archive, f"{name} cannot be read back ({exc})") from None
    if found != (size, sha256):
        raise damaged(archive, f"{name} does not match its checksum in the manifest")


def open_archive(archive: Path) -> zipfile.ZipFile:
    """Open a backup for reading, refusing a file that is not a zip archive."""
    if not archive.is_file():
        raise UserError(str(archive), "is not a file", "a backup made by `collagen-coach backup`")
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise damaged(archive, f"it is not a zip archive ({exc})") from None
