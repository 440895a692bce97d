"""The progress dashboard, one chosen series' chart data for it, and the progress report to
download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET

from collagen_coach.web.clients.access import client_of
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.pages import report_response
from collagen_coach.web.progress.services import progress_dashboard
from collagen_coach.web.progress.stored_page import STORED_PAGE_TEMPLATE, page_body, series_data


def dashboard(request: HttpRequest) -> HttpResponse:
    """Give the progress dashboard: one verdict per concern first, with how they are judged;
    sessions done, streaks, habit strength; then each measure's chart with its verdict."""
    client, day = client_of(request), today()
    # The page shows the stored body; the dashboard itself is made only when read (by tests).
    board = SimpleLazyObject(lambda: progress_dashboard(client, day))
    context = {"nav": "progress", "body": page_body(client, day), "board": board}
    return render(request, STORED_PAGE_TEMPLATE, context)


@require_GET
def series(request: HttpRequest, key: str) -> HttpResponse:
    """Give the chart data of one of the signed-in person's photo measures or split-face
    differences, with its card's words, as the dashboard's chooser shows it: the same shape as
    the page's own (``SeriesChart.chart_data``); 404 for a series the person has not measured."""
    data = series_data(client_of(request), today(), key)
    if data is None:
        return JsonResponse({"detail": "no such measured series"}, status=404)
    response = JsonResponse(data)
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


def report(request: HttpRequest) -> HttpResponse:
    """Give the progress report to download, as PDF (``?format=pdf``) or one HTML page
    (``?format=html``): the same report ``collagen-coach report`` writes, with the before/after
    photos chosen on the photos' compare page (``?before=ID&after=ID``) or else the first and
    the latest that passed the quality check."""
    return report_response(request, client_of(request))
