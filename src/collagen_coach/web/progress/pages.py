"""The progress pages' answers, for the person herself (``progress:dashboard``, ``progress:report``)
and for her practitioner (``clinic:progress``, ``clinic:report``) alike: the dashboard's context and
the progress report as a download."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import json_script

from collagen_coach.core.measures import MIN_WEEKS
from collagen_coach.core.progress import how_we_judge
from collagen_coach.reports.build import NO_CHANGE_MEANS
from collagen_coach.reports.render import pdf_bytes, render_html
from collagen_coach.reports.series import KIND_CAVEATS, verdict_glossary
from collagen_coach.web.clients.models import Client
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos.models import Photo
from collagen_coach.web.progress.services import (
    REPORT_FORMATS,
    Dashboard,
    journal_report,
    report_photos,
)


def own_links() -> dict[str, str]:
    """Give the dashboard's links to the person's own pages: today's session, her plan, her
    journal and her photos."""
    return {
        "today": reverse("guide:today"),
        "plan": reverse("plans:plan"),
        "journal": reverse("journal:index"),
        "photos": reverse("photos:index"),
    }


def dashboard_context(
    board: Dashboard,
    *,
    progress_of: str = "",
    links: dict[str, str] | None = None,
    series_url: str = "",
) -> dict[str, Any]:
    """Give what ``progress/dashboard.html`` shows of ``board``: the person's own page, or, with
    ``progress_of`` (her name), the same page as her practitioner sees it, with ``links`` (the
    pages the notices link to, by name: "today", "plan", "journal", "photos"; one left out is
    not linked) and ``series_url`` (where a chosen chart's data comes from, with the
    ``SERIES_KEY_SLOT``) instead of her own."""
    chart_script = board.chart_script
    if series_url:
        chart_script = json_script(board.chart_data() | {"series_url": series_url}, "progress-data")
    return {
        "nav": "progress",
        "board": board,
        "progress_of": progress_of,
        "links": own_links() if links is None else links,
        "chart_script": chart_script,
        "judge_after_weeks": MIN_WEEKS,
        "judge_evidence": board.evidence_for("judge_after_8_weeks"),
        "no_change_means": NO_CHANGE_MEANS,
        "photo_caveat": KIND_CAVEATS["photo"],
        "verdict_glossary": verdict_glossary(),
        "how_we_judge": how_we_judge(),
    }


def report_response(request: HttpRequest, client: Client) -> HttpResponse:
    """Give ``client``'s progress report in the format ``request`` asks for, or say which
    formats there are."""
    wanted = request.GET.get("format", "pdf")
    if wanted not in REPORT_FORMATS:
        return render(
            request,
            "progress/bad_format.html",
            {"nav": "progress", "wanted": wanted, "formats": REPORT_FORMATS},
            status=400,
        )
    chosen = [request.GET.get(k, "") for k in ("before", "after")]
    ids = [int(c) for c in chosen if c.isdigit()]
    try:
        photos = report_photos(client, *ids) if len(ids) == 2 else report_photos(client)
    except Photo.DoesNotExist:
        raise Http404("no such photo") from None  # another person's photo, as everywhere
    day = today()
    made = journal_report(client, day, photos=photos)
    if wanted == "pdf":
        response = HttpResponse(pdf_bytes(made), content_type="application/pdf")
    else:
        response = HttpResponse(render_html(made), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="progress-report-{day.isoformat()}.{wanted}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
