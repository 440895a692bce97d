"""Middleware of the whole site: what every answer to a signed-in person or program carries."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from collagen_coach.web import photo_storage, throttle

API_PREFIX = "/api/"

logger = logging.getLogger(__name__)


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


def refuse_guessing_addresses(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Answer 429 to a sign-in or an API token from an address with too many failures
    (``throttle``): a plain page for the sign-in form, a JSON error body for the API."""

    def middleware(request: HttpRequest) -> HttpResponse:
        signing_in = request.method == "POST" and request.path == reverse("accounts:login")
        with_token = request.path.startswith(API_PREFIX) and "Authorization" in request.headers
        if (signing_in or with_token) and throttle.is_refused(request):
            if with_token:
                response: HttpResponse = JsonResponse({"detail": throttle.REFUSAL}, status=429)
            else:
                response = render(request, "throttled.html", {"why": throttle.REFUSAL}, status=429)
            response["Retry-After"] = str(throttle.WINDOW_S)
            return response
        return get_response(request)

    return middleware


def secure_cookies_over_https(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Mark every cookie set in an answer to a request that came over HTTPS ``Secure``, so a
    browser never sends it over plain HTTP.

    With ``serve --lan`` the same server answers plain HTTP on this computer's own address and
    HTTPS on the home network; Django's ``SESSION_COOKIE_SECURE`` is one setting for both, which
    would keep the sign-in on 127.0.0.1 from working (its cookie would never come back).
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response

    return middleware


class PhotoStoreAway:
    """Answer 503, with a page (or the API's JSON error body) that says so and when to try
    again, to a request that found the photo bucket unreachable (``photo_storage``), instead
    of the plain server error. An upload keeps its photo in the bucket before saving its record,
    so one that could not reach the bucket saved nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not photo_storage.is_unreachable(exception):
            return None
        logger.warning(
            "the photo store did not answer %s %s: %s", request.method, request.path, exception
        )
        if request.path.startswith(API_PREFIX):
            response: HttpResponse = JsonResponse({"detail": photo_storage.UNREACHABLE}, status=503)
        else:
            context = {"why": photo_storage.UNREACHABLE}
            response = render(request, "photo_store_away.html", context, status=503)
        response["Retry-After"] = str(photo_storage.UNREACHABLE_RETRY_S)
        return response
