"""How the API signs a caller in: a personal API token, or the web app's own session."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from collagen_coach.web import throttle
from collagen_coach.web.practice.models import ApiToken

# A token's last use is written at most this often: enough to show which tokens are in use,
# without a write on every request.
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """A personal API token: ``Authorization: Bearer cc_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_sha256=ApiToken.digest(token.strip()))
            .first()
        )
        if found is None or not found.user.is_active:
            throttle.note_failure(request)
            # A wrong token is an error of its own, even beside a signed-in session.
            raise AuthenticationError(401, "This API token is not known: revoked or mistyped.")
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= TOKEN_TOUCH_EVERY:
            stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOKEN_TOUCH_EVERY)
            ApiToken.objects.filter(stale, pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The web app's own sign-in; a method that changes something needs the CSRF token too.

    Signed out, this answers "not signed in" (401) before any CSRF check (which would be 403).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if not exempt and check_csrf(request) is not None:
            raise HttpError(
                403,
                "The CSRF token is missing or wrong: send the csrftoken cookie's value as the "
                "X-CSRFToken header, or use an API token instead.",
            )
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None
