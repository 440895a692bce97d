"""Uploading a progress photo: JPEG, PNG and HEIC are kept as a clean copy without metadata;
anything else is refused with one message and nothing is stored."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import simplejpeg
from django.test import override_settings
from django.urls import reverse
from PIL import ExifTags, Image, ImageFile

from collagen_coach.core.errors import UserError
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.photos.services import MAX_DECODED_PIXELS, store_photo

from .conftest import face_photo, stored_files

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def stored_image(photo: Photo) -> Image.Image:
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


@pytest.mark.parametrize(
    ("format_name", "name"),
    [("JPEG", "IMG_0001.JPG"), ("PNG", "face.png"), ("HEIF", "IMG_0002.HEIC")],
    ids=["jpeg", "png", "heic"],
)
def test_an_upload_is_kept_as_a_jpeg_without_exif_or_gps(
    make_person: Any, format_name: str, name: str
) -> None:
    _, client = make_person("ann")
    upload = face_photo(format_name)
    with Image.open(io.BytesIO(upload)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload does carry GPS

    photo = store_photo(client, upload, name, TODAY)

    photo.refresh_from_db()
    assert (photo.client, photo.taken_on, photo.original_name) == (client, TODAY, name)
    assert photo.status == PhotoStatus.QUEUED
    kept = stored_image(photo)
    assert kept.format == "JPEG"
    with Image.open(io.BytesIO(upload)) as original:
        assert kept.size == original.size
    assert not kept.getexif()
    assert not kept.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in kept.info
    assert "icc_profile" not in kept.info
    with photo.image.open("rb") as stored:
        raw = stored.read()
    assert b"Exif" not in raw
    assert b"PhoneMaker" not in raw


def test_the_copy_is_named_at_random_in_the_persons_own_folder(make_person: Any) -> None:
    _, client = make_person("ann")

    first = store_photo(client, face_photo("JPEG"), "my face.jpg", TODAY)
    second = store_photo(client, face_photo("JPEG"), "my face.jpg", TODAY)

    for photo in (first, second):
        folder, file_name = str(photo.image.name).split("/")
        assert folder == f"client-{client.pk}"
        assert "face" not in file_name
        assert file_name.endswith(".jpg")
    assert str(first.image.name) != str(second.image.name)


def test_a_photo_turned_by_its_exif_orientation_is_kept_upright(make_person: Any) -> None:
    _, client = make_person("ann")
    # Orientation 6: the stored pixels are to be turned 90° clockwise to be seen upright.
    with Image.open(io.BytesIO(face_photo("JPEG", face="obama2.jpg"))) as upright:
        width, height = upright.size
    sideways = Image.open(io.BytesIO(face_photo("JPEG", face="obama2.jpg"))).transpose(
        Image.Transpose.ROTATE_90
    )
    out = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    sideways.save(out, format="JPEG", quality=92, exif=exif.tobytes())

    photo = store_photo(client, out.getvalue(), "turned.jpg", TODAY)

    assert stored_image(photo).size == (width, height)


def test_a_text_file_is_refused_with_one_message_and_nothing_is_stored(make_person: Any) -> None:
    _, client = make_person("ann")
    before = stored_files()

    with pytest.raises(UserError) as refused:
        store_photo(client, b"Shopping: eggs, milk, bread\n", "notes.txt", TODAY)

    assert (
        refused.value.problem
        == "“notes.txt” is not a photo that can be read (it is another kind of file, or damaged)"
    )
    assert refused.value.allowed == "a JPEG, PNG or HEIC/HEIF photo up to 40 MB"
    assert Photo.objects.count() == 0
    assert stored_files() == before


def test_an_image_in_another_format_is_refused_naming_the_formats_taken(make_person: Any) -> None:
    _, client = make_person("ann")
    gif = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(gif, format="GIF")

    with pytest.raises(UserError) as refused:
        store_photo(client, gif.getvalue(), "face.gif", TODAY)

    assert "format that is not taken" in refused.value.problem
    assert "JPEG, PNG or HEIC/HEIF" in str(refused.value.allowed)
    assert Photo.objects.count() == 0


@override_settings(PHOTO_MAX_BYTES=100_000)
def test_a_file_larger_than_allowed_is_refused_before_decoding(make_person: Any) -> None:
    _, client = make_person("ann")
    upload = face_photo("JPEG")
    assert len(upload) > 100_000
    before = stored_files()

    with pytest.raises(UserError) as refused:
        store_photo(client, upload, "big.jpg", TODAY)

    assert "more than the 0.1 MB allowed" in refused.value.problem
    assert Photo.objects.count() == 0
    assert stored_files() == before


def test_a_date_in_the_future_is_refused(make_person: Any) -> None:
    _, client = make_person("ann")

    with pytest.raises(UserError, match="in the future"):
        store_photo(client, face_photo("JPEG"), "face.jpg", TODAY + dt.timedelta(days=1))

    assert Photo.objects.count() == 0


# --- through the upload page ---------------------------------------------------------------------


def upload_file(data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_upload_page_offers_images_and_heic_with_the_camera_and_today(browser_of: Any) -> None:
    web, _ = browser_of("ann")

    page = web.get(reverse("photos:upload")).content.decode()

    assert 'accept="image/*,.heic,.heif"' in page
    assert 'capture="user"' in page
    assert f'value="{TODAY.isoformat()}"' in page
    assert 'enctype="multipart/form-data"' in page


def test_uploading_a_heic_photo_keeps_it_and_returns_to_the_list(
    browser_of: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    web, client = browser_of("ann")

    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(
            reverse("photos:upload"),
            {"photo": upload_file(face_photo("HEIF"), "IMG_0002.HEIC"), "taken_on": TODAY},
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("photos:index")
    photo = Photo.objects.get(client=client)
    assert photo.original_name == "IMG_0002.HEIC"
    assert photo.status == PhotoStatus.DONE


def test_uploading_a_text_file_shows_one_message_and_stores_nothing(browser_of: Any) -> None:
    web, _ = browser_of("ann")
    before = stored_files()

    response = web.post(
        reverse("photos:upload"),
        {"photo": upload_file(b"not a photo", "notes.txt"), "taken_on": TODAY},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["photo"]
    assert errors == [
        "“notes.txt” is not a photo that can be read (it is another kind of file, or damaged). "
        "Please choose a JPEG, PNG or HEIC/HEIF photo up to 40 MB."
    ]
    assert errors[0] in response.content.decode().replace("&quot;", '"')
    assert Photo.objects.count() == 0
    assert stored_files() == before


@override_settings(PHOTO_MAX_BYTES=100_000)
def test_uploading_a_photo_too_large_says_how_large_is_allowed(browser_of: Any) -> None:
    web, _ = browser_of("ann")

    response = web.post(
        reverse("photos:upload"),
        {"photo": upload_file(face_photo("JPEG"), "big.jpg"), "taken_on": TODAY},
    )

    assert response.status_code == 400
    (error,) = response.context["form"].errors["photo"]
    assert "more than the 0.1 MB allowed" in error
    assert Photo.objects.count() == 0


def test_uploading_with_a_date_in_the_future_is_refused(browser_of: Any) -> None:
    web, _ = browser_of("ann")

    response = web.post(
        reverse("photos:upload"),
        {
            "photo": upload_file(face_photo("JPEG"), "face.jpg"),
            "taken_on": TODAY + dt.timedelta(days=2),
        },
    )

    assert response.status_code == 400
    (error,) = response.context["form"].errors["taken_on"]
    assert "is in the future" in error
    assert Photo.objects.count() == 0


def flat_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 170)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_a_small_file_of_more_pixels_than_an_upload_may_decode_is_refused(
    make_person: Any,
) -> None:
    _, client = make_person("ann")
    bomb = flat_png(7000, 7000)  # 49 megapixels, 147 MB decoded, in a small file
    assert len(bomb) < 200_000
    before = stored_files()

    with pytest.raises(UserError) as refused:
        store_photo(client, bomb, "wall.png", TODAY)

    assert refused.value.problem == (
        "“wall.png” has 49.0 megapixels, more than the 12.6 allowed for a PNG or HEIC photo "
        "(a JPEG may have up to 50)"
    )
    assert Photo.objects.count() == 0
    assert stored_files() == before


def test_the_upload_page_decodes_a_large_jpeg_at_a_reduced_size(
    browser_of: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    web, _ = browser_of("ann")
    with Image.open(io.BytesIO(face_photo("JPEG"))) as face:
        large = Image.new("RGB", (6000, 4500), (180, 170, 160))
        large.paste(face.resize((2000, 2000)), (2000, 1250))
    upload = io.BytesIO()
    large.save(upload, format="JPEG", quality=90)  # 27 megapixels
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load
    decode_jpeg = simplejpeg.decode_jpeg

    def recording_load(image: ImageFile.ImageFile) -> Any:
        loaded = load(image)
        decoded.append(image.size)
        return loaded

    def recording_decode(*args: Any, **kwargs: Any) -> Any:
        pixels = decode_jpeg(*args, **kwargs)
        decoded.append((pixels.shape[1], pixels.shape[0]))
        return pixels

    # Colour JPEGs are decoded by simplejpeg, anything else by Pillow: both are watched.
    monkeypatch.setattr(ImageFile.ImageFile, "load", recording_load)
    monkeypatch.setattr(simplejpeg, "decode_jpeg", recording_decode)

    response = web.post(
        reverse("photos:upload"),
        {"photo": upload_file(upload.getvalue(), "large.jpg"), "taken_on": TODAY},
    )

    assert response.status_code == 302
    assert decoded
    assert all(width * height <= MAX_DECODED_PIXELS for width, height in decoded), decoded
    assert stored_image(Photo.objects.get()).size == (3000, 2250)
