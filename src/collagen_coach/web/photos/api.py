"""The API's progress photos: upload (analysed in the background), where the analysis stands,
what it found, and the clean copy itself (the file's place in storage is never given out)."""

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from collagen_coach.web.clients.access import changed, client_or_404, clients_of, viewed
from collagen_coach.web.lib.api import ERRORS, Pages, PathId, answers
from collagen_coach.web.photos import services
from collagen_coach.web.photos.models import Photo

router = Router(tags=["photos"])

PRIVATE = "private, no-store, max-age=0"


class PhotoProblemOut(Schema):
    id: str = Field(description="e.g. blurry, pose_off, underexposed.")
    hint: str = Field(description="What to do about it, in words.")
    value: float | None
    threshold: float | None


class PoseOut(Schema):
    yaw: float | None = Field(description="Degrees.")
    pitch: float | None = Field(description="Degrees.")
    roll: float | None = Field(description="Degrees.")


class PhotoOut(Schema):
    """A progress photo and its analysis; ``problems``, ``pose`` and ``metrics`` once done."""

    id: int
    client_id: int
    taken_on: dt.date
    status: Literal["queued", "analysing", "done", "failed"]
    error: str = Field(description="Why the analysis could not run (status failed).")
    passed: bool | None = Field(description="The quality verdict; null until analysed.")
    problems: list[PhotoProblemOut]
    pose: PoseOut | None
    metrics: dict[str, dict[str, float | None]] | None = Field(
        description="Zone → metric → value, for the face as a whole (null until analysed)."
    )
    algorithm: str | None = Field(description='"name@version" that measured it.')
    lit_like_baseline: bool | None = Field(
        description="Whether it was lit like the person's baseline photos; null where it was "
        "not judged against them (a baseline photo, or none yet). When false, the measures "
        "that follow the light are left out of progress for its day."
    )
    created_at: dt.datetime
    analysed_at: dt.datetime | None

    @staticmethod
    def resolve_problems(obj: Photo) -> list[Any]:
        return [] if obj.measurement is None else list(obj.measurement.problems)

    @staticmethod
    def resolve_pose(obj: Photo) -> Any:
        return None if obj.measurement is None else obj.measurement.pose

    @staticmethod
    def resolve_metrics(obj: Photo) -> Any:
        return None if obj.measurement is None else obj.measurement.metrics

    @staticmethod
    def resolve_algorithm(obj: Photo) -> str | None:
        return None if obj.measurement is None else str(obj.measurement.algorithm)

    @staticmethod
    def resolve_lit_like_baseline(obj: Photo) -> bool | None:
        return None if obj.measurement is None else obj.measurement.lit_like_baseline


def _photos(request: HttpRequest) -> QuerySet[Photo]:
    return Photo.objects.filter(client__in=clients_of(request)).select_related(
        "measurement", "client"
    )


def _photo_or_404(request: HttpRequest, photo_id: int) -> Photo:
    photo = _photos(request).filter(pk=photo_id).first()
    if photo is None:
        raise Http404("no such photo")
    return photo


@router.get(
    "/clients/{client_id}/photos", response=answers(list[PhotoOut]), url_name="client_photos"
)
@paginate(Pages)
def list_photos(request: HttpRequest, client_id: PathId) -> QuerySet[Photo]:
    """The client's progress photos, newest first, each with where its analysis stands."""
    client = client_or_404(request, client_id)
    viewed(request, client, "photos")
    return (
        Photo.objects.filter(client=client)
        .select_related("measurement")
        .order_by("-taken_on", "-created_at", "-pk")
    )


@router.post("/clients/{client_id}/photos", response=answers(PhotoOut, 202))
def upload_photo(
    request: HttpRequest,
    client_id: PathId,
    photo: File[UploadedFile],
    taken_on: Form[dt.date],
) -> Status[Photo]:
    """Upload a progress photo (JPEG, PNG or HEIC): a clean copy without metadata is kept and
    its analysis queued (poll GET /api/photos/{id} until status is done)."""
    client = client_or_404(request, client_id)
    stored = services.store_photo(client, photo, photo.name or "photo", taken_on)
    changed(request, client, "photo")
    return Status(202, _photos(request).get(pk=stored.pk))


@router.get("/photos/{photo_id}", response=answers(PhotoOut), url_name="photo")
def get_photo(request: HttpRequest, photo_id: PathId) -> Photo:
    """One photo: where its analysis stands and, once done, what it found."""
    photo = _photo_or_404(request, photo_id)
    viewed(request, photo.client, "photo")
    return photo


@router.get(
    "/photos/{photo_id}/image",
    response=ERRORS,
    url_name="photo_image",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The clean copy (JPEG, no metadata).",
                "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def photo_image(request: HttpRequest, photo_id: PathId) -> HttpResponse:
    """The photo's clean copy as JPEG (never cached by the browser or a proxy)."""
    photo = _photo_or_404(request, photo_id)
    viewed(request, photo.client, "photo image")
    response = HttpResponse(services.clean_copy_bytes(photo), content_type="image/jpeg")
    response["Cache-Control"] = PRIVATE
    return response
