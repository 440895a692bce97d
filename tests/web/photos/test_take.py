"""Taking a photo with the live coach: the page, and the advice on one frame of the camera.

The frame endpoint checks what it is sent (one JSON message naming the field, what is wrong and
what is allowed), answers the vision's advice for the signed-in person, and stores nothing.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django.urls import reverse
from PIL import Image

from collagen_coach.web.photos.frames import MAX_FRAME_BYTES, MAX_FRAME_SIDE_PX
from collagen_coach.web.photos.models import Photo

from .conftest import FACES, stored_files

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CAMERA = {"camera_width": "1280", "camera_height": "720"}


def frame(width: int = 640, *, format_name: str = "JPEG", face: str = "obama-720p.jpg") -> Any:
    """Give a picture of a test face ``width`` px wide, as the page's canvas sends it."""
    with Image.open(FACES / face) as original:
        image = original.convert("RGB")
    image = image.resize((width, round(image.height * width / image.width)))
    out = io.BytesIO()
    image.save(out, format=format_name, quality=80)
    return SimpleUploadedFile("frame.jpg", out.getvalue(), content_type="image/jpeg")


def noise_jpeg(size_px: int) -> Any:
    """Give a JPEG of random pixels: large for its size (noise does not compress)."""
    import numpy as np

    pixels = np.random.default_rng(1).integers(0, 256, (size_px, size_px, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="JPEG", quality=95)
    return SimpleUploadedFile("frame.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_take_page_offers_the_camera_and_the_upload_form(browser_of: Any) -> None:
    web, _ = browser_of("ann")

    page = web.get(reverse("photos:take")).content.decode()

    assert "Start the camera" in page
    assert 'aria-live="polite"' in page
    assert f'data-frame-url="{reverse("photos:take_frame")}"' in page
    assert f'href="{reverse("photos:upload")}"' in page


@pytest.mark.parametrize("page", ["photos:index", "photos:upload"])
def test_the_photo_pages_lead_to_the_coach(browser_of: Any, page: str) -> None:
    web, _ = browser_of("ann")

    assert f'href="{reverse("photos:take")}"' in web.get(reverse(page)).content.decode()


def test_a_frame_gets_the_advice_and_nothing_is_stored(browser_of: Any) -> None:
    web, client = browser_of("ann")
    before = stored_files()

    response = web.post(reverse("photos:take_frame"), {"frame": frame(), **CAMERA})

    assert response.status_code == 200, response.content
    advice = response.json()
    assert {"ready", "check", "instruction", "face_box", "outline"} <= set(advice)
    assert isinstance(advice["ready"], bool)
    assert advice["instruction"]
    assert stored_files() == before
    assert not Photo.objects.filter(client=client).exists()


def test_a_frame_may_carry_the_previous_face_box(browser_of: Any) -> None:
    web, _ = browser_of("ann")
    data = {"frame": frame(), **CAMERA, "previous_box": "0.3,0.2,0.4,0.6"}

    assert web.post(reverse("photos:take_frame"), data).status_code == 200


ALLOWED_FRAME = f"a JPEG of at most {MAX_FRAME_BYTES // 1000} kB and {MAX_FRAME_SIDE_PX} px a side"


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        pytest.param(lambda: {**CAMERA}, "frame", "is missing", id="no-frame"),
        pytest.param(
            lambda: {"frame": SimpleUploadedFile("frame.jpg", b"not a picture"), **CAMERA},
            "frame",
            "is not a picture",
            id="not-a-picture",
        ),
        pytest.param(
            lambda: {"frame": frame(format_name="PNG"), **CAMERA},
            "frame",
            "is a PNG picture, not a JPEG",
            id="png",
        ),
        pytest.param(
            lambda: {"frame": frame(1280), **CAMERA}, "frame", "is 1280 × 720 px", id="too-wide"
        ),
        pytest.param(
            lambda: {"frame": noise_jpeg(640), **CAMERA}, "frame", None, id="too-many-bytes"
        ),
        pytest.param(
            lambda: {"frame": frame(), "camera_height": "720"},
            "camera_width",
            "is missing",
            id="no-width",
        ),
        pytest.param(
            lambda: {"frame": frame(), **CAMERA, "camera_height": "7.5"},
            "camera_height",
            "'7.5' is not a whole number",
            id="height-not-whole",
        ),
        pytest.param(
            lambda: {"frame": frame(), **CAMERA, "camera_width": "100000"},
            "camera_width",
            "100000 px is out of range",
            id="width-too-large",
        ),
        pytest.param(
            lambda: {"frame": frame(), **CAMERA, "previous_box": "0.1,0.2,0.3"},
            "previous_box",
            "'0.1,0.2,0.3' is not four numbers",
            id="box-three-numbers",
        ),
        pytest.param(
            lambda: {"frame": frame(), **CAMERA, "previous_box": "0.1,0.2,nan,0.4"},
            "previous_box",
            "'0.1,0.2,nan,0.4' is out of range",
            id="box-not-a-number",
        ),
    ],
)
def test_a_bad_frame_gets_one_message_naming_the_field_and_what_is_allowed(
    browser_of: Any, data: Any, field: str, problem: str | None
) -> None:
    web, _ = browser_of("ann")

    response = web.post(reverse("photos:take_frame"), data())

    assert response.status_code == 400
    body = response.json()
    assert body["error"]["field"] == field
    if problem is not None:
        assert body["error"]["problem"] == problem
    assert body["error"]["allowed"]
    assert body["message"].startswith(f"{field}: ")


def test_a_too_large_frame_says_the_limits(browser_of: Any) -> None:
    web, _ = browser_of("ann")

    response = web.post(reverse("photos:take_frame"), {"frame": noise_jpeg(1000), **CAMERA})

    assert response.json()["error"]["allowed"] == ALLOWED_FRAME


def test_signed_out_a_frame_gets_401_json(client: WebClient) -> None:
    response = client.post(reverse("photos:take_frame"), {"frame": frame(), **CAMERA})

    assert response.status_code == 401
    assert "signed out" in response.json()["message"]


def test_a_frame_without_the_csrf_token_is_refused(make_person: Any) -> None:
    user, _ = make_person("ann")
    web = WebClient(enforce_csrf_checks=True)
    web.force_login(user)

    response = web.post(reverse("photos:take_frame"), {"frame": frame(), **CAMERA})

    assert response.status_code == 403


def test_a_photo_sent_from_the_coach_leads_to_its_own_page(browser_of: Any) -> None:
    web, client = browser_of("ann")
    photo = SimpleUploadedFile("camera.jpg", (FACES / "obama-720p.jpg").read_bytes())
    today = web.get(reverse("photos:take")).context["today"]

    response = web.post(
        reverse("photos:upload"), {"photo": photo, "taken_on": today, "then": "photo"}
    )

    kept = Photo.objects.get(client=client)
    assert response.status_code == 302
    assert response["Location"] == reverse("photos:detail", args=[kept.pk])
    assert kept.taken_on == today


def test_a_damaged_frame_gets_one_message(browser_of: Any) -> None:
    web, _ = browser_of("ann")
    whole = frame().read()
    damaged = SimpleUploadedFile("frame.jpg", whole[: len(whole) // 3], content_type="image/jpeg")

    response = web.post(reverse("photos:take_frame"), {"frame": damaged, **CAMERA})

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "frame"
