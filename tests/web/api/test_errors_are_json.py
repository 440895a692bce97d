"""Every answer under /api/ that is an error is the JSON error body, never an HTML page, and a
NUL character anywhere in a request is refused before it reaches the database."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from PIL import Image

from .conftest import DAY, World, with_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Caller = Callable[..., WebClient]
JSON = "application/json"
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 7, "sagging": 3}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(out, "PNG")
    return out.getvalue()


def _is_error_body(answer: Any) -> bool:
    """The API's error body: JSON with the problem (400/413/422) or a detail (401/403/404/500)."""
    if not answer["Content-Type"].startswith(JSON):
        return False
    body = answer.json()
    return ("error" in body and "message" in body) or "detail" in body


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        pytest.param(
            "ratings",
            {"date": DAY.isoformat(), **SCORES, "note": "soft\x00er"},
            422,
            "note",
            id="rating-note",
        ),
        pytest.param(
            "peptides",
            {"date": DAY.isoformat(), "grams": 5, "product": "Veri\x00sol"},
            422,
            "product",
            id="peptide-product",
        ),
        pytest.param(
            "sessions",
            {"date": DAY.isoformat(), "note": "\x00"},
            422,
            "note",
            id="session-note",
        ),
    ],
)
def test_a_nul_character_in_a_request_is_refused_by_name(
    api_as: Caller, world: World, path: str, body: dict[str, Any], status: int, field: str
) -> None:
    with_plan(world.ann)

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/{path}", body, content_type=JSON
    )

    assert (answer.status_code, answer.json()["error"]["field"]) == (status, field)
    assert answer.json()["error"]["allowed"] == "text without NUL characters (\\x00)"


def test_json_nested_too_deeply_is_refused_with_the_error_body(
    api_as: Caller, world: World
) -> None:
    deep = "[" * 100_000 + "]" * 100_000

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/ratings", deep, content_type=JSON
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "body"


def test_a_body_over_the_upload_limit_is_refused_with_the_error_body(
    api_as: Caller, world: World
) -> None:
    huge = '{"note": "' + "x" * (6 * 1024 * 1024) + '"}'

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/ratings", huge, content_type=JSON
    )

    assert answer.status_code == 413
    assert _is_error_body(answer)


def test_a_photo_with_a_very_long_file_name_is_taken_or_refused_with_the_error_body(
    api_as: Caller, world: World
) -> None:
    photo = io.BytesIO(_png())
    photo.name = "a" * 5000 + ".png"

    answer = api_as(world.ann_user).post(
        f"/api/clients/{world.ann.pk}/photos", {"photo": photo, "taken_on": DAY.isoformat()}
    )

    assert answer.status_code < 500
    assert answer.status_code == 202 or _is_error_body(answer)


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/clients/1/nothing-here"])
def test_an_address_under_api_that_leads_nowhere_answers_json(
    api_as: Caller, world: World, path: str
) -> None:
    answer = api_as(world.ann_user).get(path)

    assert answer.status_code == 404
    assert _is_error_body(answer)


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_method_an_address_does_not_take_answers_json_saying_which_it_takes(
    api_as: Caller, world: World, method: str
) -> None:
    answer = getattr(api_as(world.ann_user), method)(f"/api/clients/{world.ann.pk}/peptides")

    assert answer.status_code == 405
    assert _is_error_body(answer)
    assert "POST" in answer["Allow"]
