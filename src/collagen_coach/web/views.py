"""Pages that belong to no one job: today's overview and the error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from collagen_coach.web.access import client_of


def home(request: HttpRequest) -> HttpResponse:
    """Give today's overview: what to do next."""
    client = client_of(request)
    return render(request, "home.html", {"client": client})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Give the page for an address that leads nowhere (or to someone else's record)."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Give the page for an unexpected failure; the details go to the server's log only."""
    return render(request, "500.html", status=500)
