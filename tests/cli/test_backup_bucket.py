"""`collagen-coach backup` and `restore` with photos in a bucket (``PHOTO_STORAGE_URL``), on a
real S3-compatible server: the backup holds every object of the bucket, named as in a data folder;
a restore puts them into the new store's own bucket, only when that bucket holds no photo, and
into a data folder just as well."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cli.test_backup import (
    MAKE_STORE,
    files_of,
    home_of,
    new_postgresql_database,
    ok,
    refused,
    served,
    with_tests_importable,
)
from s3_server import CREDENTIALS
from web.processes import embedded_env, run_cli, run_python

if TYPE_CHECKING:
    from s3_server import S3Bucket, S3Server


def _store(home: Path, bucket: S3Bucket | None) -> dict[str, str]:
    env = with_tests_importable(embedded_env(home))
    if bucket is not None:
        env |= {**CREDENTIALS, "PHOTO_STORAGE_URL": bucket.url}
    return env


__all__ = ["new_postgresql_database"]  # a fixture of these tests


@pytest.mark.parametrize(
    "database",
    ["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.postgres_only])],
)
def test_photos_in_a_bucket_are_backed_up_and_restored_into_an_empty_bucket_only(
    s3_server: S3Server, tmp_path: Path, database: str, request: pytest.FixtureRequest
) -> None:
    first, second = s3_server.new_bucket(), s3_server.new_bucket()
    origin = _store(tmp_path / "origin", first)
    target = _store(tmp_path / "target", second)
    if database == "postgresql":
        for env in (origin, target):
            env["DATABASE_URL"] = request.getfixturevalue("new_postgresql_database")()
    ok(run_python(MAKE_STORE, origin))
    objects = {key: first.read(key) for key in sorted(first.keys())}
    assert len(objects) == 8  # two people, two photos each, each with its overlay
    assert files_of(home_of(origin)) == {}  # none in the data folder
    archive = tmp_path / "backup.zip"
    made = json.loads(ok(run_cli("backup", str(archive), "--json", env=origin)))
    assert made["files"] == 8

    s3_server.client().put_object(Bucket=second.name, Key="someone-else.jpg", Body=b"x")
    message = refused(run_cli("restore", str(archive), env=target))
    assert f"the photo bucket {second.name}: already holds photos; nothing was changed" in message
    assert second.keys() == {"someone-else.jpg"}
    assert not served(target)["rows"].get("clients_client")  # no one's records came in

    s3_server.client().delete_object(Bucket=second.name, Key="someone-else.jpg")
    ok(run_cli("restore", str(archive), env=target))
    assert {key: second.read(key) for key in sorted(second.keys())} == objects
    before, after = served(origin), served(target)
    assert after == before
    assert [status for _, status, _ in after["anns_photos"]] == [200, 200]


def test_a_backup_from_a_bucket_restores_into_a_data_folder(
    s3_bucket: S3Bucket, tmp_path: Path
) -> None:
    origin = _store(tmp_path / "origin", s3_bucket)
    ok(run_python(MAKE_STORE, origin))
    archive = tmp_path / "backup.zip"
    ok(run_cli("backup", str(archive), env=origin))
    target = _store(tmp_path / "target", None)
    ok(run_cli("restore", str(archive), env=target))
    assert files_of(home_of(target)) == {
        f"photos/{key}": s3_bucket.read(key) for key in sorted(s3_bucket.keys())
    }
    assert served(target)["anns_photos"] == served(origin)["anns_photos"]
