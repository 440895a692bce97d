"""Import an export: the person comes back with every record's values, dates and links and every
photo's bytes; a person already here, a damaged zip or a file that is no export is refused with
one message, and nothing is changed."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import serializers
from django.test import Client as WebClient

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.records import record_kinds
from collagen_coach.web.clients.services import save_profile
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.lib.dates import today
from collagen_coach.web.my_data.importer import import_person, set_password_path
from collagen_coach.web.my_data.services import delete_everything, write_export
from collagen_coach.web.photos.models import Photo
from collagen_coach.web.practice.models import SessionNote
from web.builders import stored_reading
from web.history import make_history

from .test_export import add_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def filled(person: Client) -> None:
    """Give ``person`` a rich history: a fortnight's plan, sessions, ratings, peptides, photo
    measurements, a reading, a profile, and two photo files, one linked to its measurement."""
    make_history(person, today=today(), days=14, photos=3)
    stored_reading(person, today(), 0.71)
    from collagen_coach.core.planning import Profile

    save_profile(person, Profile.model_validate(_any_profile()))
    add_photo(person)
    photo = add_photo(person)
    photo.measurement = PhotoMeasurement.objects.filter(client=person).first()
    photo.save()


def _any_profile() -> dict[str, Any]:
    from collagen_coach.web.demo import demo_profile

    return demo_profile(today()).model_dump(mode="json")


def snapshot(client: Client) -> dict[str, list[dict[str, Any]]]:
    """Give every record of ``client`` with its ids made positions (a row's place among its
    kind's rows, oldest first), its links made the positions they point to, and each file made
    the SHA-256 of its bytes: what must survive an export and an import."""
    kinds = record_kinds()
    positions = {kind.label: _places(kind.rows_of(client)) for kind in kinds}
    account = client.account_id
    result = {}
    for kind in kinds:
        rows = []
        for item in serializers.serialize("python", kind.rows_of(client)):
            values = dict(item["fields"])
            for f in kind.model._meta.concrete_fields:
                if f.is_relation and values.get(f.name) is not None:
                    target = f.related_model._meta.label_lower
                    if target in positions:
                        values[f.name] = ("row", positions[target][values[f.name]])
                    elif values[f.name] == account:
                        values[f.name] = "the account"
            for f in kind.file_fields:
                if values[f.name]:
                    with f.storage.open(values[f.name], "rb") as stored:
                        values[f.name] = hashlib.sha256(stored.read()).hexdigest()
            rows.append(values)
        result[kind.label] = rows
    return result


def _places(rows: Any) -> dict[int, int]:
    return {pk: n for n, pk in enumerate(rows.values_list("pk", flat=True))}


def export_to(path: Path, client: Client) -> Path:
    with path.open("wb") as out:
        write_export(client, client.account, out)
    return path


def stored_files(media: Path) -> set[Path]:
    return {p for p in media.rglob("*") if p.is_file()}


@pytest.fixture
def media() -> Path:
    return Path(Photo._meta.get_field("image").storage.location)


def test_export_delete_and_import_give_back_every_record_and_photo(
    make_person: Callable[..., Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    user, ann = make_person("ann")
    user.email, user.first_name = "ann@example.org", "Ann"
    user.save()
    filled(ann)
    before = snapshot(ann)
    account_before = User.objects.values("username", "email", "first_name", "date_joined").get(
        pk=user.pk
    )
    zipped = export_to(tmp_path / "ann.zip", ann)

    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(user)
    assert not Client.objects.filter(pk=ann.pk).exists()

    imported = import_person(zipped)
    again = Client.objects.get(account__username="ann")
    assert imported.client == again
    assert again.pk != ann.pk
    assert snapshot(again) == before
    assert all(before[kind] for kind in ("plans.plannedsession", "journal.sessionlog",
                                         "photos.photo", "journal.photomeasurement"))  # fmt: skip
    assert sum(1 for p in Photo.objects.filter(client=again) if p.measurement_id) == 1
    assert imported.records == sum(len(rows) for rows in before.values())
    assert imported.files == 4  # two photos, each with its overlay
    assert all(p.image.name.startswith(f"client-{again.pk}/") for p in again.photos.all())
    new_user = User.objects.get(username="ann")
    assert (
        User.objects.values("username", "email", "first_name", "date_joined").get(pk=new_user.pk)
        == account_before
    )
    assert not new_user.has_usable_password()


def test_the_set_password_link_lets_the_person_choose_a_password(
    make_person: Callable[..., Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    user, ann = make_person("ann")
    zipped = export_to(tmp_path / "ann.zip", ann)
    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(user)
    imported = import_person(zipped)
    assert imported.client.account is not None
    web = WebClient()
    form = web.get(set_password_path(imported.client.account), follow=True)
    assert form.status_code == 200
    new = "another long passphrase 2"
    done = web.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert User.objects.get(username="ann").check_password(new)


def counts() -> dict[str, int]:
    return {kind.label: kind.model._default_manager.count() for kind in record_kinds()} | {
        "auth.user": User.objects.count()
    }


def test_a_person_already_here_is_refused_and_nothing_changes(
    make_person: Callable[..., Any], tmp_path: Path, media: Path
) -> None:
    _, ann = make_person("ann")
    filled(ann)
    zipped = export_to(tmp_path / "ann.zip", ann)
    before, files = counts(), stored_files(media)
    with pytest.raises(UserError, match="the account 'ann' is already here"):
        import_person(zipped)
    assert (counts(), stored_files(media)) == (before, files)


def test_a_second_import_of_the_same_zip_is_refused(
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    tmp_path: Path,
) -> None:
    practice, owner = make_practice()
    cora = make_practice_client(practice, "Cora", practitioner=owner)
    make_history(cora, today=today(), days=7, photos=1)
    zipped = export_to(tmp_path / "cora.zip", cora)
    cora.delete()
    first = import_person(zipped, keep_practice=True)
    assert (first.client.practice, first.client.owner) == (practice, owner)
    before = counts()
    with pytest.raises(UserError, match="'Cora' is already here"):
        import_person(zipped, keep_practice=True)
    assert counts() == before


def test_a_practice_client_comes_back_unlinked_unless_the_practice_is_kept(
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    practice, owner = make_practice()
    cora = make_practice_client(practice, "Cora", practitioner=owner, account="cora")
    SessionNote.objects.create(
        client=cora, author=owner, subjective="Calm skin.", shared_with_client=True
    )
    zipped = export_to(tmp_path / "cora.zip", cora)
    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(cora.account)
    imported = import_person(zipped)
    assert (imported.client.practice, imported.client.owner) == (None, None)
    assert imported.links_left_empty == [
        "clients.client.owner",
        "clients.client.practice",
        "practice.sessionnote.author",
    ]
    assert SessionNote.objects.get(client=imported.client).subjective == "Calm skin."


def test_a_client_without_account_needs_their_practice_kept(
    make_practice: Callable[..., Any], make_practice_client: Callable[..., Any], tmp_path: Path
) -> None:
    practice, owner = make_practice()
    cora = make_practice_client(practice, "Cora", practitioner=owner)
    zipped = export_to(tmp_path / "cora.zip", cora)
    cora.delete()
    before = counts()
    with pytest.raises(UserError, match="'Cora' has no account, and no practice here"):
        import_person(zipped)
    assert counts() == before


def rewritten(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Give a copy of the zip ``source`` with each member passed through ``change`` (None
    leaves the member out), its checksums made anew: damage the zip format does not see."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return target


def _records(change: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        if name != "records.json":
            return data
        document = json.loads(data)
        change(document)
        return json.dumps(document).encode()

    return edit


def _photo_changed(name: str, data: bytes) -> bytes:
    return data[:-1] + b"x" if name.endswith(".jpg") else data


def _photo_removed(name: str, data: bytes) -> bytes | None:
    return None if name.endswith(".jpg") and "overlay" not in name else data


def _no_records(name: str, data: bytes) -> bytes | None:
    return None if name == "records.json" else data


def _bad_day(document: dict[str, Any]) -> None:
    # The last kind brought in: the photo files are already written when it is refused.
    document["records"]["plans.plannedsession"][0]["date"] = "the day after"


def _another_format(document: dict[str, Any]) -> None:
    document["format"] = "somebody else's export 3"


def _new_kind(document: dict[str, Any]) -> None:
    document["records"]["journal.mood"] = [{"id": 1}]


DAMAGE = [
    pytest.param(_photo_changed, "files/client-.* is not the file exported", id="photo-changed"),
    pytest.param(_photo_removed, "files/client-.* is missing", id="photo-removed"),
    pytest.param(_no_records, "not a collagen-coach export", id="records-removed"),
    pytest.param(_records(_bad_day), "plans.plannedsession row cannot be read", id="bad-value"),
    pytest.param(_records(_another_format), "not a collagen-coach export", id="other-format"),
    pytest.param(_records(_new_kind), "kinds of record this version does not know", id="new-kind"),
]


@pytest.mark.parametrize(("change", "message"), DAMAGE)
def test_a_damaged_export_is_refused_and_changes_nothing(
    make_person: Callable[..., Any],
    tmp_path: Path,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
    change: Callable[[str, bytes], bytes | None],
    message: str,
) -> None:
    user, ann = make_person("ann")
    filled(ann)
    zipped = export_to(tmp_path / "ann.zip", ann)
    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(user)
    damaged = rewritten(zipped, tmp_path / "damaged.zip", change)
    before, files = counts(), stored_files(media)
    with pytest.raises(UserError, match=message):
        import_person(damaged)
    assert (counts(), stored_files(media)) == (before, files)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"date,grams\n2026-01-01,5\n", "is not a zip file", id="not-a-zip"),
        pytest.param(b"", "is not a zip file", id="empty"),
    ],
)
def test_a_file_that_is_no_zip_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        import_person(path)


def test_a_zip_whose_bytes_were_damaged_is_refused(
    make_person: Callable[..., Any], tmp_path: Path
) -> None:
    _, ann = make_person("ann")
    filled(ann)
    data = bytearray(export_to(tmp_path / "ann.zip", ann).read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # inside the photos' compressed bytes
    (tmp_path / "ann.zip").write_bytes(bytes(data))
    with pytest.raises(UserError, match="is damaged"):
        import_person(tmp_path / "ann.zip")
