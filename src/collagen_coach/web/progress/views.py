"""The progress dashboard and the progress report to download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from collagen_coach.web.clients.access import client_of
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.pages import dashboard_context, report_response
from collagen_coach.web.progress.services import progress_dashboard


def dashboard(request: HttpRequest) -> HttpResponse:
    """Give the progress dashboard: sessions done, streaks, habit strength, and each measure's
    chart with its noise band and verdict."""
    board = progress_dashboard(client_of(request), today())
    return render(request, "progress/dashboard.html", dashboard_context(board))


def report(request: HttpRequest) -> HttpResponse:
    """Give the progress report to download, as PDF (``?format=pdf``) or one HTML page
    (``?format=html``): the same report ``collagen-coach report`` writes, with the before/after
    photos chosen on the photos' compare page (``?before=ID&after=ID``) or else the first and
    the latest that passed the quality check."""
    return report_response(request, client_of(request))
