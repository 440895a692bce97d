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

# This docstring is the schema's description. The mount sits above the apps: only the site's
# addresses (web/urls.py) import it; the sections' kit (schemas, error bodies, paging) is
# web/lib/api.py, below every app.

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.operation import Operation

from collagen_coach.core.errors import UserError, field_path
from collagen_coach.core.inputs import NUL, NUL_ALLOWED
from collagen_coach.web.accounts.auth import SessionAuth, TokenAuth
from collagen_coach.web.clients.api import router as clients
from collagen_coach.web.journal.api import router as journal
from collagen_coach.web.lib import kept
from collagen_coach.web.lib.api import JsonBody, problem_body
from collagen_coach.web.photos.api import router as photos
from collagen_coach.web.plans.api import router as plans
from collagen_coach.web.practice.api import router as practice
from collagen_coach.web.progress.api import router as progress

SIGN_IN_HINT = "Sign in, or send a personal API token as 'Authorization: Bearer <token>'."


class CoachAPI(NinjaAPI):
    """The API: every address signed in by the API itself (a token or the session) instead of
    being sent to the sign-in page."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            # The API answers 401 itself; the pages' sign-in redirect must not catch it first.
            if isinstance(pattern, URLPattern):
                login_not_required(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return str(operation.view_func.__name__)


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
for router in (practice, clients, plans, journal, photos, progress):
    api.add_router("", router)


@api.exception_handler(kept.KeptAnswer)
def _kept_answer(request: HttpRequest, exc: kept.KeptAnswer) -> HttpResponse:
    return HttpResponse(exc.body, content_type=exc.content_type)


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
    return api.create_response(request, problem_body(exc), status=400)


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
    body = problem_body(UserError(field, problem, _allowed(first)))
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
        body = problem_body(UserError(problem.field, problem.problem, "a JSON object"))
        return api.create_response(request, body, status=400)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)
