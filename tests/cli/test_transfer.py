"""``collagen-coach export`` and ``import person``, run as a user runs them: one person's zip,
written atomically for its owner only, brought back into another data folder, refused when
the person is already there or the file is no export."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from web.processes import embedded_env, run_cli

RATING = ["--firmness", "6", "--elasticity", "5", "--fine-lines", "4", "--glow", "7"]


def _ok(*args: str, env: dict[str, str]) -> str:
    done = run_cli(*args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _refused(*args: str, env: dict[str, str]) -> str:
    done = run_cli(*args, env=env)
    assert done.returncode == 2, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    return done.stderr


def test_export_writes_the_zip_for_its_owner_only_and_import_brings_the_journal_back(
    tmp_path: Path, env: dict[str, str]
) -> None:
    _ok("log", "peptides", "--grams", "5", "--product", "Verisol", env=env)
    _ok("log", "rating", *RATING, "--sagging", "3", "--note", "=firmer", env=env)
    zipped = tmp_path / "me.zip"
    zipped.write_bytes(b"an older file of that name")
    written = json.loads(_ok("export", str(zipped), "--json", env=env))
    assert written["file"] == str(zipped)
    assert stat.S_IMODE(zipped.stat().st_mode) == 0o600
    assert "records.json" in zipfile.ZipFile(zipped).namelist()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    elsewhere = embedded_env(tmp_path / "elsewhere")
    imported = json.loads(_ok("import", "person", str(zipped), "--json", env=elsewhere))
    assert imported["records"] == 3  # the client, the dose, the rating
    assert imported["set_password_path"] is None  # the local records have no account
    before = json.loads(_ok("journal", "--days", "3", "--json", env=env))
    after = json.loads(_ok("journal", "--days", "3", "--json", env=elsewhere))
    assert after == before
    assert "already has records of its own" in _refused("import", "person", str(zipped), env=env)


@pytest.mark.postgres
def test_an_account_comes_back_with_a_link_to_choose_a_password_but_not_twice(
    tmp_path: Path, unnamed_env: dict[str, str]
) -> None:
    _ok("log", "peptides", "--grams", "5", "--user", "maria", env=unnamed_env)
    zipped = tmp_path / "maria.zip"
    _ok("export", "--user", "maria", str(zipped), env=unnamed_env)
    message = _refused("import", "person", str(zipped), env=unnamed_env)
    assert "the account 'maria' is already here" in message

    other = {
        **embedded_env(tmp_path / "other"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "SITE_URL": "https://studio.example.org",
    }
    said = _ok("import", "person", str(zipped), env=other)
    assert "Brought back maria: 2 records and 0 files" in said
    # The site's real address, whole on its own line, ready to copy.
    assert "\n  https://studio.example.org/accounts/reset/" in said
    assert "127.0.0.1" not in said
    journal = json.loads(_ok("journal", "--json", "--user", "maria", env=other))
    assert [e["kind"] for e in journal["entries"]] == ["peptides"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"date,grams\n", "is not a zip file", id="not-a-zip"),
        pytest.param(b"PK\x05\x06" + bytes(18), "not a collagen-coach export", id="empty-zip"),
    ],
)
def test_a_file_that_is_no_export_is_refused_in_one_line(
    tmp_path: Path, env: dict[str, str], content: bytes, message: str
) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(content)
    assert message in _refused("import", "person", str(path), env=env)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--client", "99"], "there is no client number 99", id="unknown-client"),
        pytest.param(["--user", "zoe"], "'zoe' is not an account here", id="unknown-user"),
        pytest.param(["--user", "zoe", "--client", "1"], "cannot go with --user", id="both"),
    ],
)
def test_export_names_a_person_who_is_here(
    tmp_path: Path, env: dict[str, str], args: list[str], message: str
) -> None:
    assert message in _refused("export", *args, str(tmp_path / "x.zip"), env=env)
    assert not (tmp_path / "x.zip").exists()
