"""Export everything: one zip with every record in JSON, a CSV per kind of record, the photo
files, and a README that says what each file is."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.records import record_kinds
from collagen_coach.web.journal.models import InstrumentReading
from collagen_coach.web.journal.services import rate
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos.models import Photo
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FACE = Path(__file__).parents[2] / "fixtures" / "faces" / "obama-240p.jpg"
EXPORT = reverse("my_data:export")


def add_photo(person: Client) -> Photo:
    """Store a real photo for ``person`` (as the photos section keeps it) and give its row."""
    photo = Photo(client=person, taken_on=today(), original_name="me.jpg")
    photo.image.save("me.jpg", ContentFile(FACE.read_bytes()), save=False)
    photo.overlay.save("me.png", ContentFile(b"\x89PNG overlay"), save=False)
    photo.save()
    return photo


def download(web: WebClient) -> zipfile.ZipFile:
    answer = web.post(EXPORT)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"].startswith('attachment; filename="collagen-coach-export-')
    return zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    answer = WebClient().post(EXPORT)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_the_zip_holds_every_kind_of_record_and_the_photo_files(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=14, photos=3)
    photo = add_photo(person)
    archive = download(web)
    names = set(archive.namelist())

    document = json.loads(archive.read("records.json"))
    assert document["account"]["username"] == "ann"
    assert "password" not in document["account"]
    records = document["records"]
    for kind in ("clients.client", "plans.storedprogram", "plans.plannedsession",
                 "journal.sessionlog", "journal.selfrating", "journal.peptideintake",
                 "journal.photomeasurement", "photos.photo"):  # fmt: skip
        assert records[kind], f"{kind} is exported"
        assert f"{kind}.csv" in names
    # Every kind of record the models know, found from them (a model added later comes too).
    assert set(records) == {kind.label for kind in record_kinds()}
    assert len(records["plans.plannedsession"]) == 14

    ratings = list(csv.DictReader(io.StringIO(archive.read("journal.selfrating.csv").decode())))
    assert len(ratings) == len(records["journal.selfrating"])
    assert {"date", "firmness", "glow"} <= set(ratings[0])

    assert archive.read(f"files/{photo.image.name}") == FACE.read_bytes()
    assert archive.read(f"files/{photo.overlay.name}") == b"\x89PNG overlay"
    readme = archive.read("README.txt").decode()
    for name in ("records.json", "journal.selfrating.csv", "files/"):
        assert name in readme


def test_the_zip_holds_nothing_of_another_person(browser_of: Callable[..., Any]) -> None:
    web, ann = browser_of("ann")
    _, bob = browser_of("bob")
    make_history(bob, today=today(), days=14, photos=2)
    bobs_photo = add_photo(bob)
    archive = download(web)
    records = json.loads(archive.read("records.json"))["records"]
    assert [c["id"] for c in records["clients.client"]] == [ann.pk]
    assert records["journal.selfrating"] == []
    assert records["photos.photo"] == []
    assert f"files/{bobs_photo.image.name}" not in archive.namelist()


def test_the_export_page_says_what_is_stored(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=14, photos=2)
    page = web.get(reverse("my_data:index"))
    assert page.status_code == 200
    assert "Download everything" in page.text
    assert "self-ratings" in page.text


def test_text_cells_never_open_as_formulas_and_numbers_stay_numbers(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    rate(person, today(), firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5,
         note="-5 feels tighter")  # fmt: skip
    InstrumentReading.objects.create(
        client=person, date=today(), instrument="colorimeter", parameter="b", zone="cheeks",
        side="left", value=-1.5, source='=HYPERLINK("http://x.example","open me")',
    )  # fmt: skip
    archive = download(web)

    def rows(label: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(archive.read(f"{label}.csv").decode())))

    [rating] = rows("journal.selfrating")
    assert (rating["note"], rating["firmness"]) == ("'-5 feels tighter", "5")
    [reading] = rows("journal.instrumentreading")
    assert reading["source"] == '\'=HYPERLINK("http://x.example","open me")'
    assert reading["value"] == "-1.5"
    # The JSON copy keeps every text exactly as typed.
    records = json.loads(archive.read("records.json"))["records"]
    assert records["journal.selfrating"][0]["note"] == "-5 feels tighter"
