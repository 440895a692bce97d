"""The API kit every section uses: values in addresses and bodies, the error bodies, paging.

The sections (``web/<app>/api.py``) build their routers from these; the mount (``web/api.py``)
gathers the routers and answers errors in these bodies.
"""

from collections.abc import Callable
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Path, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser

from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import NUL, parse_json

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


class JsonBody(Parser):
    """Request bodies read by the product's one JSON rule (not too deeply nested); NUL in text
    is refused by each field's schema (``Text``), which names the field."""

    def parse_body(self, request: HttpRequest) -> Any:
        return parse_json(request.body, "body", nul_checked_later=True)


# ---------------------------------------------------------------------------------------------
# Error bodies


def problem_body(error: UserError) -> dict[str, Any]:
    """Give the body that explains input the product cannot take (400, 413, 422)."""
    return {
        "error": {"field": error.field, "problem": error.problem, "allowed": error.allowed},
        "message": error.message,
    }


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
        return JsonResponse(problem_body(problem), status=413)
    if status == 400:
        reason = f" ({str(exception).rstrip('.')})" if exception and str(exception) else ""
        problem = UserError("request", f"could not be read{reason}", "a well-formed request")
        return JsonResponse(problem_body(problem), status=400)
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
