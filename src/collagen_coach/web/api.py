"""The REST API under /api/ (django-ninja): who may call it, what its errors say, its sections.

- **Sign-in**: a personal API token (``Authorization: Bearer cc_…``, made on the API tokens page,
  kept only as its SHA-256) or the web app's own session (a method that changes something then
  needs the CSRF token, as a form does). Neither: 401.
- **Who sees what** is the pages' rule: a person reaches their own client (a self-carer, or a
  practice's client signed in with their own account) and, as a member of a practice, every
  client of that practice. Anything else answers 404, so that its existence is not revealed
  either; an operation only members may use answers 403 to anyone else.
- **Errors** are JSON: bad input the product explains (a UserError) is 400
  ``{"error": {"field", "problem", "allowed"}, "message"}``; input that does not fit the schema
  is 422 in the same form, with every problem under ``detail``; 401, 403 and 404 are
  ``{"detail": "…"}``.
- **Sections**: one router per app that owns the data (``web/<app>/api.py``), mounted here.
  The schema is at /api/openapi.json.
"""

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from collagen_coach.core.errors import UserError, field_path
from collagen_coach.core.inputs import NUL, NUL_ALLOWED, parse_json
from collagen_coach.web import throttle
from collagen_coach.web.access import membership_of, record_access
from collagen_coach.web.clients.models import Client

# A token's last use is written at most this often: enough to show which tokens are in use,
# without a write on every request.
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)
SIGN_IN_HINT = "Sign in, or send a personal API token as 'Authorization: Bearer <token>'."

# ---------------------------------------------------------------------------------------------
# Values every section uses

# Text a person types; PostgreSQL cannot store the NUL character, so it is refused up front.
Text = Annotated[str, Field(pattern=f"^[^{NUL}]*$")]
# A record's id in an address, as the database can hold it (a larger one is refused, not sought).
PathId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The record's id.")]


class Problem(Schema):
    field: str = Field(description="The field the problem is in (a path such as 'steps[0]').")
    problem: str = Field(description="What is wrong with it.")
    allowed: str | None = Field(description="What would be accepted, if it can be said.")


class ProblemOut(Schema):
    """Input the product cannot take, explained: nothing was changed."""

    error: Problem
    message: str = Field(description="The problem in one line.")


class InvalidItem(Schema):
    loc: list[str | int] = Field(description="Where: the source (body, query, path…) and field.")
    msg: str
    type: str


class InvalidOut(Schema):
    """Input that does not fit the schema: the first problem explained, then all of them."""

    error: Problem
    message: str
    detail: list[InvalidItem]


class DetailOut(Schema):
    """Not signed in (401), not allowed (403) or not found (404)."""

    detail: str


ERRORS: dict[int, Any] = {
    400: ProblemOut,
    401: DetailOut,
    403: DetailOut,
    404: DetailOut,
    422: InvalidOut,
}


def answers(schema: Any, status: int = 200) -> dict[int, Any]:
    """Give an operation's responses: ``schema`` for ``status``, and the errors it may answer."""
    return {status: schema, **ERRORS}


class PageInput(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many items, at most 200.")
    offset: int = Field(0, ge=0, le=10**9, description="How many items to skip.")


class Pages(LimitOffsetPagination):
    """Lists come a page at a time: ``limit`` items (at most 200) after the first ``offset``;
    ``count`` says how many there are in all."""

    Input = PageInput  # type: ignore[assignment]


# ---------------------------------------------------------------------------------------------
# Whose records


def clients_of(request: HttpRequest) -> QuerySet[Client]:
    """Give the clients the signed-in person may reach: their own and, as a member of a
    practice, every client of that practice."""
    reach = Q(account=request.user)
    membership = membership_of(request)
    if membership is not None:
        reach |= Q(practice_id=membership.practice.pk)
    return Client.objects.filter(reach)


def client_or_404(request: HttpRequest, client_id: int) -> Client:
    """Give one client the signed-in person may reach, or answer 404 (another's or nobody's)."""
    try:
        return clients_of(request).get(pk=client_id)
    except Client.DoesNotExist:
        raise Http404("no such client") from None


def viewed(request: HttpRequest, client: Client, what: str) -> None:
    """Note in the practice's audit log that ``what`` of the client's health data was shown."""
    record_access(request, client, "view", what)


def changed(request: HttpRequest, client: Client, what: str) -> None:
    """Note in the practice's audit log that ``what`` of the client's health data was changed."""
    record_access(request, client, "change", what)


# ---------------------------------------------------------------------------------------------
# Signing in


class TokenAuth(HttpBearer):
    """A personal API token: ``Authorization: Bearer cc_…``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from collagen_coach.web.practice.models import ApiToken

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


# ---------------------------------------------------------------------------------------------
# The API


class CoachAPI(NinjaAPI):
    """The API: each section's router mounted once, every address signed in by the API itself
    (a token or the session) instead of being sent to the sign-in page."""

    _sections_mounted = False

    def mount_sections(self) -> None:
        """Mount every section's router (once; imported here, so they may import this module)."""
        if self._sections_mounted:
            return
        self._sections_mounted = True
        from collagen_coach.web.clients.api import router as clients
        from collagen_coach.web.journal.api import router as journal
        from collagen_coach.web.photos.api import router as photos
        from collagen_coach.web.plans.api import router as plans
        from collagen_coach.web.practice.api import router as practice
        from collagen_coach.web.progress.api import router as progress

        for router in (practice, clients, plans, journal, photos, progress):
            self.add_router("", router)

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        self.mount_sections()
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            # The API answers 401 itself; the pages' sign-in redirect must not catch it first.
            if isinstance(pattern, URLPattern):
                login_not_required(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        self.mount_sections()
        return super().get_openapi_schema(**kwargs)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return str(operation.view_func.__name__)


class JsonBody(Parser):
    """Request bodies read by the product's one JSON rule (not too deeply nested); NUL in text
    is refused by each field's schema (``Text``), which names the field."""

    def parse_body(self, request: HttpRequest) -> Any:
        return parse_json(request.body, "body", nul_checked_later=True)


api = CoachAPI(
    title="collagen-coach",
    parser=JsonBody(),
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
    # The interactive docs page would load its scripts from a CDN; the schema is enough.
    docs_url=None,
    auth=[TokenAuth(), SessionAuth()],
)


def _problem_body(error: UserError) -> dict[str, Any]:
    return {
        "error": {"field": error.field, "problem": error.problem, "allowed": error.allowed},
        "message": error.message,
    }


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
    return api.create_response(request, _problem_body(exc), status=400)


def _field(loc: list[Any]) -> str:
    """Give where a schema problem is, as a person reads it: ``steps[0].done_s``, ``limit``."""
    source, *rest = loc or ["request"]
    # A body or form is read into one parameter: its name says nothing to the caller.
    if source in ("body", "form") and len(rest) > 1:
        rest = rest[1:]
    return field_path(tuple(rest)) or str(source)


def _allowed(error: dict[str, Any]) -> str | None:
    ctx = error.get("ctx") or {}
    if "expected" in ctx:
        return str(ctx["expected"])
    bounds = [
        f"{words} {ctx[key]}"
        for key, words in (
            ("gt", "more than"),
            ("ge", "at least"),
            ("lt", "less than"),
            ("le", "at most"),
            ("min_length", "at least length"),
            ("max_length", "at most length"),
        )
        if key in ctx
    ]
    if ctx.get("pattern") == f"^[^{NUL}]*$":
        return NUL_ALLOWED
    return ", ".join(bounds) or None


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = [
        {
            "loc": [p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "is not valid")),
            "type": str(e.get("type", "invalid")),
        }
        for e in exc.errors
    ]
    first = exc.errors[0] if exc.errors else {}
    field = _field(list(first.get("loc", ())))
    problem = str(first.get("msg", "is not valid"))
    problem = problem[:1].lower() + problem[1:]
    body = _problem_body(UserError(field, problem, _allowed(first)))
    return api.create_response(request, {**body, "detail": items}, status=422)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(AuthenticationError)
def _not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else SIGN_IN_HINT
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="collagen-coach"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # the body could not be read as JSON
        cause = exc.__cause__
        problem = cause if isinstance(cause, UserError) else UserError("body", exc.message)
        body = _problem_body(UserError(problem.field, problem.problem, "a JSON object"))
        return api.create_response(request, body, status=400)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


# ---------------------------------------------------------------------------------------------
# Errors Django answers before or after the API's own code (the site's error handlers ask here)


def is_api_request(request: HttpRequest) -> bool:
    """Say whether ``request`` is addressed to the API (its errors are then JSON)."""
    return request.path_info.startswith("/api/")


def api_error(
    request: HttpRequest, status: int, exception: Exception | None = None
) -> JsonResponse:
    """Give an error Django raised outside the API's handlers as the API's JSON error body."""
    if isinstance(exception, RequestDataTooBig):
        limit = f"at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB"
        problem = UserError("body", "is too large", f"{limit} (a photo: its own upload)")
        return JsonResponse(_problem_body(problem), status=413)
    if status == 400:
        reason = f" ({str(exception).rstrip('.')})" if exception and str(exception) else ""
        problem = UserError("request", f"could not be read{reason}", "a well-formed request")
        return JsonResponse(_problem_body(problem), status=400)
    words = {
        403: "not allowed",
        404: "no such address in the API",
        405: "this address does not take that method",
    }
    detail = words.get(status, "the server failed; nothing was changed, try again later")
    return JsonResponse({"detail": detail}, status=status)


def errors_as_json(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., Any]:
    """Middleware: an error answered under /api/ in another form (a 405 from the router, a page
    from elsewhere in Django) is given as the API's JSON error body, its headers kept."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        answer = api_error(request, response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                answer[header] = response[header]
        return answer

    return middleware
