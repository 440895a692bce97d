"""Middleware of the whole site: what every answer to a signed-in person or program carries."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

API_PREFIX = "/api/"


def never_store_private_pages(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Mark every answer to a signed-in person, and every API answer, ``Cache-Control: no-store``.

    Those pages hold health data (Today, the journal, progress, the report, photos…): no
    browser, shared computer's disk cache or proxy may keep a copy. Static files never come
    here (WhiteNoise serves them earlier) and stay cacheable.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIX) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response

    return middleware
