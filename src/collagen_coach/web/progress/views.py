"""The progress dashboard, one chosen series' chart data for it, and the progress report to
download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from collagen_coach.core.measures import MIN_WEEKS
from collagen_coach.core.progress import how_we_judge
from collagen_coach.reports.build import NO_CHANGE_MEANS
from collagen_coach.reports.render import pdf_bytes, render_html
from collagen_coach.reports.series import KIND_CAVEATS, verdict_glossary
from collagen_coach.web.clients.access import client_of
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.services import (
    REPORT_FORMATS,
    journal_report,
    progress_dashboard,
)


def dashboard(request: HttpRequest) -> HttpResponse:
    """Give the progress dashboard: one verdict per concern first, with how they are judged;
    sessions done, streaks, habit strength; then each measure's chart with its verdict."""
    board = progress_dashboard(client_of(request), today())
    return render(
        request,
        "progress/dashboard.html",
        {
            "nav": "progress",
            "board": board,
            "judge_after_weeks": MIN_WEEKS,
            "judge_evidence": board.evidence_for("judge_after_8_weeks"),
            "no_change_means": NO_CHANGE_MEANS,
            "photo_caveat": KIND_CAVEATS["photo"],
            "verdict_glossary": verdict_glossary(),
            "how_we_judge": how_we_judge(),
        },
    )


@require_GET
def series(request: HttpRequest, key: str) -> HttpResponse:
    """Give the chart data of one of the signed-in person's photo measures or split-face
    differences, with its card's words, as the dashboard's chooser shows it: the same shape as
    the page's own (``SeriesChart.chart_data``); 404 for a series the person has not measured."""
    data = progress_dashboard(client_of(request), today()).series_data(key)
    if data is None:
        return JsonResponse({"detail": "no such measured series"}, status=404)
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


def report(request: HttpRequest) -> HttpResponse:
    """Give the progress report to download, as PDF (``?format=pdf``) or one HTML page
    (``?format=html``): the same report ``collagen-coach report`` writes."""
    wanted = request.GET.get("format", "pdf")
    if wanted not in REPORT_FORMATS:
        return render(
            request,
            "progress/bad_format.html",
            {"nav": "progress", "wanted": wanted, "formats": REPORT_FORMATS},
            status=400,
        )
    day = today()
    made = journal_report(client_of(request), day)
    if wanted == "pdf":
        response = HttpResponse(pdf_bytes(made), content_type="application/pdf")
    else:
        response = HttpResponse(render_html(made), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="progress-report-{day.isoformat()}.{wanted}"'
    )
    return response
