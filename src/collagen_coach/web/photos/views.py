"""Progress photos: the list, capture guidance, the live capture coach, upload, one photo's
analysis, compare, delete.

Every photo is looked up through ``clients.access`` (another person's photo answers 404), and the
image files are served only by ``image`` and ``overlay``, never cached by the browser or a proxy.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collagen_coach.core.errors import UserError
from collagen_coach.core.techniques import EVIDENCE_LEVEL_MEANING
from collagen_coach.vision import words
from collagen_coach.vision.face import PhotoProblem
from collagen_coach.vision.quality import MAX_POSE_DEG
from collagen_coach.web.clients.access import client_of, get_own_or_404, own
from collagen_coach.web.journal.services import progress_observations
from collagen_coach.web.lib.api import problem_body
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos import baseline, reading, services, summary
from collagen_coach.web.photos.forms import CompareForm, UploadForm
from collagen_coach.web.photos.frames import FRAME_ALLOWED, FRAME_WIDTH_PX, read_frame_request
from collagen_coach.web.photos.models import Photo, PhotoStatus

PRIVATE = "private, no-store, max-age=0"
# How often a page asks whether a pending analysis has finished.
POLL_EVERY_S = 2


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Give the list of the person's photos, newest first, each with its status, its verdict
    and whether it is comparable with her baseline photos."""
    photos = list(own(request, Photo).select_related("measurement"))
    comparable = sum(1 for p in photos if p.status == PhotoStatus.DONE)
    days = set(baseline.baseline_days(client_of(request))) if comparable else set()
    rows = [(photo, _baseline_reading(photo, days)) for photo in photos]
    return render(
        request,
        "photos/index.html",
        {
            "nav": "photos",
            "photos": photos,
            "rows": rows,
            "can_compare": comparable >= 2,
            "poll": POLL_EVERY_S,
        },
    )


def _baseline_reading(photo: Photo, days: set[dt.date]) -> reading.BaselineReading | None:
    """Give whether an analysed photo is comparable with the baseline photos of ``days``."""
    measurement = photo.measurement if photo.status == PhotoStatus.DONE else None
    if measurement is None:
        return None
    return reading.baseline_reading(
        day=measurement.date,
        ok=measurement.ok,
        problems=measurement.problems,
        look=measurement.look,
        lit_like_baseline=measurement.lit_like_baseline,
        baseline_photo=measurement.date in days,
    )


@require_GET
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the small status fragment of one photo (polled while its analysis is pending).

    Polled from the photo's own page (``?page=detail``), a finished analysis reloads that page.
    """
    photo = get_own_or_404(request, Photo, pk=pk)
    page = "detail" if request.GET.get("page") == "detail" else ""
    response = render(
        request, "photos/_status.html", {"photo": photo, "poll": POLL_EVERY_S, "page": page}
    )
    if page and not photo.pending:
        response["HX-Refresh"] = "true"  # the photo's page now has results to show
    response["Cache-Control"] = PRIVATE
    return response


@require_GET
def guidance(request: HttpRequest) -> HttpResponse:
    """Give the capture guidance: how to take photos that can be compared week to week."""
    return render(
        request,
        "photos/guidance.html",
        {"nav": "photos", "level": "EO", "level_meaning": EVIDENCE_LEVEL_MEANING["EO"]},
    )


@require_GET
def take(request: HttpRequest) -> HttpResponse:
    """Give the live capture coach: the camera's picture, one instruction at a time, and the
    photo taken by itself once the face is ready (then sent through the upload form)."""
    context = {"nav": "photos", "today": today(), "frame_max_px": FRAME_WIDTH_PX}
    response = render(request, "photos/take.html", context)
    response["Cache-Control"] = PRIVATE
    return response


@require_POST
@login_not_required  # signed out, this answers 401 JSON, not the sign-in page
def take_frame(request: HttpRequest) -> HttpResponse:
    """Give the advice on one frame of the live camera, for the signed-in person's own face.

    Answers ``FrameAdvice.as_json()``; 400 with one message naming the field, what is wrong and
    what is allowed on a bad frame; 401 when signed out. Nothing is stored.
    """
    if not request.user.is_authenticated:
        error = UserError("", "you are signed out", "sign in again, then take your photo")
        return JsonResponse(problem_body(error), status=401)
    # The landmark model loads with the first frame, not when the web app starts.
    from collagen_coach.vision.live import advise_frame

    client = client_of(request)
    try:
        frame = read_frame_request(request.POST, request.FILES)
    except UserError as exc:
        return JsonResponse(problem_body(exc), status=400)
    try:
        advice = advise_frame(
            frame.jpeg,
            camera_size=frame.camera_size,
            baseline=baseline.baseline_look(client),
            previous_box=frame.previous_box,
        )
    except PhotoProblem as exc:  # a JPEG header over damaged pixels
        error = UserError("frame", exc.problem.hint.rstrip("."), FRAME_ALLOWED)
        return JsonResponse(problem_body(error), status=400)
    response = JsonResponse(advice.as_json())
    response["Cache-Control"] = PRIVATE
    return response


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Give the upload form; on a good photo, keep it and queue its analysis.

    Sent from the capture coach (``then=photo``), it then leads to the photo's own page.
    """
    client = client_of(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["photo"]
            try:
                photo = services.store_photo(
                    client, upload_file, upload_file.name or "", form.cleaned_data["taken_on"]
                )
            except UserError as exc:
                form.add_error("photo", _in_words(exc))
            else:
                messages.success(
                    request, "Your photo is saved. It is being analysed: this takes a few seconds."
                )
                if request.POST.get("then") == "photo":
                    return redirect("photos:detail", photo.pk)
                return redirect("photos:index")
        return render(request, "photos/upload.html", _upload_context(form), status=400)
    return render(request, "photos/upload.html", _upload_context(UploadForm()))


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one photo: first in plain words (passed or what to retake, what moved since the
    baseline), then the annotated image with its legend, and the measurements behind them."""
    photo = get_own_or_404(request, Photo, pk=pk)
    measurement = photo.measurement if photo.status == PhotoStatus.DONE else None
    context = {
        "nav": "photos",
        "photo": photo,
        "measurement": measurement,
        "poll": POLL_EVERY_S,
        "evidence": reading.judging_evidence(),
    }
    if measurement is not None:
        days = set(baseline.baseline_days(photo.client))
        context |= {
            "baseline": _baseline_reading(photo, days),
            "problems": reading.problems_in_words(measurement.problems),
            "pose": words.pose_in_words(measurement.pose),
            "pose_limit": MAX_POSE_DEG,
            "summary": summary.photo_summary(
                ok=measurement.ok,
                day=measurement.date,
                algorithm=measurement.algorithm,
                metrics_by_side=measurement.metrics_by_side,
                observations=progress_observations(photo.client) if measurement.ok else [],
            ),
            "how_we_judge": summary.HOW_WE_JUDGE,
            "tables": reading.measure_tables(measurement.metrics),
            "legend": reading.overlay_legend(list(measurement.metrics)),
            "shape_rows": reading.shape_rows(measurement.metrics_by_side),
        }
    response = render(request, "photos/detail.html", context)
    response["Cache-Control"] = PRIVATE
    return response


@require_GET
def image(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the photo's clean copy (``?size=small``: a thumbnail), to its owner only."""
    photo = get_own_or_404(request, Photo, pk=pk)
    try:
        data = (
            services.thumbnail_bytes(photo)
            if request.GET.get("size") == "small"
            else services.clean_copy_bytes(photo)
        )
    except OSError:
        raise Http404("the photo's file is missing") from None
    return _private_file(data, "image/jpeg")


@require_GET
def overlay(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the annotated image of the photo's analysis, to its owner only."""
    photo = get_own_or_404(request, Photo, pk=pk)
    try:
        data = services.overlay_bytes(photo)
    except OSError:
        data = None
    if data is None:
        raise Http404("this photo has no annotated image")
    return _private_file(data, "image/jpeg")


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """Give the choice of two photos and, once chosen, the aligned pair or why it is refused."""
    for choice in ("before", "after"):  # another person's photo answers 404, as everywhere
        chosen = request.GET.get(choice, "")
        if chosen.isdigit():
            get_own_or_404(request, Photo, pk=int(chosen))
    photos = own(request, Photo).filter(status=PhotoStatus.DONE).select_related("measurement")
    form = CompareForm(request.GET or None, photos=photos.order_by("taken_on", "created_at"))
    context: dict[str, object] = {
        "nav": "photos",
        "form": form,
        "enough": photos.count() >= 2,
        "evidence": reading.judging_evidence(),
    }
    if form.is_bound and form.is_valid():
        before, after = form.cleaned_data["before"], form.cleaned_data["after"]
        if before.taken_on > after.taken_on:
            before, after = after, before
        pair = services.compare(before, after)
        comparison = pair.comparison
        context |= {
            "before": before,
            "after": after,
            "comparison": comparison,
            "reasons": _reasons_in_words(comparison.reasons, before, after),
            "before_src": _data_url(pair.before_jpeg),
            "after_src": _data_url(pair.after_jpeg),
            "alignment": _share_words(comparison.alignment_error_ipd),
            "summary": _pair_summary(before, after) if comparison.comparable else None,
            "how_we_judge": summary.PAIR_HOW_WE_JUDGE,
            "tables": reading.measure_tables(
                {zone: sides.get("both", {}) for zone, sides in comparison.deltas.items()},
                signed=True,
            ),
            "shape_rows": reading.shape_rows(
                {
                    zone: {s: v for s, v in sides.items() if s != "both"}
                    for zone, sides in comparison.deltas.items()
                },
                signed=True,
            ),
        }
    response = render(request, "photos/compare.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = PRIVATE
    return response


def _share_words(share: float | None) -> str:
    """Give a small share in words: "less than 1 %", "about 3 %"."""
    if share is None:
        return ""
    percent = 100 * share
    return "less than 1 %" if percent < 1 else f"about {round(percent)} %"


def _pair_summary(before: Photo, after: Photo) -> summary.PhotoSummary | None:
    """Give what differs between two analysed photos beyond the usual variation between two
    photos (``summary.pair_summary``), or None when they were measured by different versions."""
    first, second = before.measurement, after.measurement
    if first is None or second is None or first.algorithm != second.algorithm:
        return None
    return summary.pair_summary(
        before=first.date,
        after=second.date,
        algorithm=first.algorithm,
        before_by_side=first.metrics_by_side,
        after_by_side=second.metrics_by_side,
        observations=progress_observations(before.client),
    )


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the question "delete this photo?"; on yes, delete it with its files and numbers."""
    photo = get_own_or_404(request, Photo, pk=pk)
    if request.method == "POST":
        taken_on = photo.taken_on
        services.delete_photo(photo)
        messages.success(
            request, f"The photo of {taken_on:%-d %B %Y} is deleted, with its numbers."
        )
        return redirect("photos:index")
    return render(request, "photos/delete.html", {"nav": "photos", "photo": photo})


def _upload_context(form: UploadForm) -> dict[str, object]:
    return {"nav": "photos", "form": form}


def _in_words(exc: UserError) -> str:
    allowed = f" Please choose {exc.allowed}." if exc.allowed else ""
    return f"{exc.problem[0].upper()}{exc.problem[1:]}.{allowed}"


def _private_file(data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = PRIVATE
    response["Content-Disposition"] = "inline"
    return response


def _data_url(jpeg: bytes | None) -> str | None:
    if jpeg is None:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _reasons_in_words(reasons: list[str], before: Photo, after: Photo) -> list[str]:
    """Give vision.compare's reasons with "before: id (hint)" said as a person would."""
    words = []
    for reason in reasons:
        for prefix, photo in (("before: ", before), ("after: ", after)):
            if reason.startswith(prefix):
                text = reason.removeprefix(prefix)
                hint = text.split(" (", 1)[1].removesuffix(")") if " (" in text else text
                which = "before" if photo is before else "after"
                reason = f"The {which} photo ({photo.taken_on:%-d %B %Y}): {hint}"
                break
        else:
            reason = reason[0].upper() + reason[1:]
        words.append(reason)
    return words
