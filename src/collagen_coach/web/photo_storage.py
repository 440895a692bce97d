"""Where photos and their overlays are kept: the data folder, or a bucket of S3-compatible storage.

``PHOTO_STORAGE_URL`` chooses; unset, photos stay in ``photos/`` in the data folder. A URL such
as ``s3://coach-photos?endpoint=http://10.0.0.5:9000`` puts them in that bucket through
django-storages (the S3 API, boto3), so that several hosts with data folders of their own show,
analyse, export and delete the same photos. Its parts:

- ``s3://BUCKET`` names the bucket; a path after it (``s3://BUCKET/practice-1``) keeps every
  object under that prefix.
- ``endpoint=`` the server's address (MinIO, Ceph, Garage, a cloud's S3 API); left out, AWS S3.
- ``region=`` the region; left out, boto3's own (``AWS_REGION`` or ``AWS_DEFAULT_REGION``).

Credentials are boto3's own: ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (or a profile).
Objects are private: written with no ACL (the bucket's own, private by default), never given a
public address; a browser gets a photo only through the app's views, which check who asks.
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collagen_coach.core.errors import UserError

if TYPE_CHECKING:
    from django.core.files.storage import Storage

VARIABLE = "PHOTO_STORAGE_URL"
ALLOWED = (
    "unset for the data folder, or s3://BUCKET[/PREFIX][?endpoint=http(s)://HOST[:PORT]"
    "&region=REGION], e.g. s3://coach-photos?endpoint=http://127.0.0.1:9000"
)
# S3's bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens, letter or digit
# at both ends.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_PREFIX = re.compile(r"[A-Za-z0-9._/-]*")
_OPTIONS = ("endpoint", "region")


@dataclass(frozen=True)
class Bucket:
    """A bucket of S3-compatible storage, as ``PHOTO_STORAGE_URL`` names it."""

    name: str
    prefix: str = ""
    endpoint: str | None = None
    region: str | None = None

    def storage_options(self) -> dict[str, Any]:
        """Give django-storages' S3Storage options for this bucket: private objects, names never
        overwritten, path-style addresses on a server of one's own (no DNS name per bucket)."""
        return {
            "bucket_name": self.name,
            "location": self.prefix,
            "endpoint_url": self.endpoint,
            "region_name": self.region,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": "path" if self.endpoint else None,
        }


def parse_photo_storage_url(url: str) -> Bucket | None:
    """Give the bucket ``url`` names, or None (the data folder) when it is empty.

    Raises UserError naming ``PHOTO_STORAGE_URL``, what is wrong and what is allowed.
    """
    url = url.strip()
    if not url:
        return None

    def refuse(problem: str) -> UserError:
        return UserError(VARIABLE, f"{url!r} {problem}", ALLOWED)

    try:
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise refuse(f"is not a URL ({exc})") from None
    if parts.scheme != "s3":
        raise refuse(f"is not an s3:// URL (it starts with {parts.scheme or 'no scheme'!r})")
    if parts.username or parts.password or parts.port is not None:
        raise refuse("has a user, password or port before the bucket: give only its name")
    if not _BUCKET.fullmatch(parts.hostname or "") or parts.netloc != parts.hostname:
        raise refuse("has no valid bucket name (3-63 lower-case letters, digits, dots, hyphens)")
    prefix = parts.path.strip("/")
    if not _PREFIX.fullmatch(prefix) or "//" in prefix or ".." in prefix.split("/"):
        raise refuse("has a prefix with characters other than letters, digits and . _ - /")
    if parts.fragment:
        raise refuse("has a #fragment")
    unknown = sorted(set(query) - set(_OPTIONS))
    if unknown:
        raise refuse(f"has an unknown option {unknown[0]!r} (known: {', '.join(_OPTIONS)})")
    repeated = sorted(name for name, values in query.items() if len(values) > 1)
    if repeated:
        raise refuse(f"gives {repeated[0]!r} more than once")
    endpoint = query.get("endpoint", [None])[0]
    if endpoint is not None:
        address = urllib.parse.urlsplit(endpoint)
        if address.scheme not in ("http", "https") or not address.hostname:
            raise refuse(f"has an endpoint that is not an http(s):// address: {endpoint!r}")
    region = query.get("region", [None])[0]
    if region is not None and not re.fullmatch(r"[a-z0-9-]{1,40}", region):
        raise refuse(f"has a region that is not a region name: {region!r}")
    return Bucket(name=parts.hostname or "", prefix=prefix, endpoint=endpoint, region=region)


def photo_storage(bucket: Bucket | None, photo_root: Path) -> dict[str, Any]:
    """Give Django's STORAGES entry for photos: the bucket, or the folder ``photo_root``."""
    if bucket is None:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            # No base URL: a photo has no address of its own, only the views that check who asks.
            "OPTIONS": {"location": str(photo_root), "base_url": None},
        }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": bucket.storage_options()}


def remove_folder(storage: Storage, folder: str) -> None:
    """Remove ``folder`` of ``storage`` and everything in it: the folder itself on disk (even
    empty, its name says someone was there), every object under ``folder/`` in a bucket."""
    try:
        path = Path(storage.path(folder))
    except NotImplementedError:  # a bucket: no folders, only objects named folder/...
        _remove_objects(storage, folder)
        return
    shutil.rmtree(path, ignore_errors=True)


def _remove_objects(storage: Storage, folder: str) -> None:
    for name in objects_under(storage, folder):
        storage.delete(name)


def objects_under(storage: Storage, folder: str = "") -> list[str]:
    """Give the name of every object of a bucket's ``storage`` under ``folder`` (all of them
    for ""), in order."""
    folders, files = storage.listdir(folder)
    within = f"{folder}/" if folder else ""
    names = [within + name for name in sorted(files)]
    for inner in sorted(folders):
        names.extend(objects_under(storage, within + inner))
    return names


# What a page says when the bucket does not answer (the app's own pages and the API alike).
UNREACHABLE = (
    "The photo store is not answering just now, so photos cannot be shown or kept. Nothing was "
    "lost: your records are safe. Try again in a minute."
)
UNREACHABLE_RETRY_S = 60


def is_unreachable(exc: BaseException) -> bool:
    """Give whether ``exc`` says the bucket could not be reached or failed on its side (the
    connection refused or timed out, or an answer 500 or over), rather than a request of ours
    it refused."""
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # no S3 support installed: no bucket to be away
        return False
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return int(status or 0) >= 500
    return isinstance(exc, BotoCoreError)
