"""Who gets what, for every address of the web app and every operation of its REST API, for
every kind of visitor, on their own records and on another's.

The addresses come from the URL conf itself (every route, namespaced includes walked), the API's
operations from its OpenAPI schema (paths × methods). Each is crossed with six roles —
anonymous, a self-carer, a practice's client with an account, a practitioner of another
practice, a practitioner and the practice's owner (``web/matrix_roles.py`` says who they are) —
and, for an address that names a record, with two tenancies: the record is the role's own (their
own records, or a client of their practice) or another tenant's. Each cell asserts one status:

- signed out, a page leads to the sign-in page and the API answers 401;
- a person's own pages answer 200 on their own records; another person's record answers 404
  (not 403: its existence is not revealed either);
- the practice pages answer 404 to anyone who is not a member; a member gets their practice's
  clients and 404 for another practice's; the audit log is the owner's alone;
- the API, with a personal token, reaches the caller's own client record (a self-carer, a client)
  or their practice's clients (a member), 404 for any other; an operation only members may use
  answers 403 to anyone else.

A new address or API operation without an entry in ``PAGES`` or ``API`` makes the first test fail,
naming it and the line to add.

Size when written: 79 routes (60 pages of the URL conf, 19 operations of the API) × 6 roles ×
own/other tenancy for the 35 routes that name a record = 649 cells (455 for the pages, 194 for
the API); ``test_the_matrix_covers_every_route_role_and_tenancy`` prints the count and asserts
at least ``MATRIX_SIZE_AT_LEAST``.

The people and their records are made once for the module (inside a transaction rolled back at
its end); every cell runs in a transaction of its own, rolled back afterwards, so a cell that
changes or deletes something leaves the others as they were.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from web.matrix_roles import (
    DAY,
    MEMBERS,
    OWNERS,
    PERSON,
    PLANNED,
    PRACTICE,
    ROLES,
    SIGNED_IN,
    Records,
    Tenants,
    build_tenants,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

JSON = "application/json"
LOGIN = "login"  # a redirect to the sign-in page, with ?next=
SMALL_FACE = Path(__file__).resolve().parents[1] / "fixtures" / "faces" / "obama-240p.jpg"
RATING_SCALES = ("firmness", "elasticity", "fine_lines", "glow", "sagging")
# Cells in the matrix when this was written; adding routes only makes it larger.
MATRIX_SIZE_AT_LEAST = 649


def _nothing(records: Records) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Rule:
    """Who may use an address (or API operation) and what each role gets.

    ``allowed`` roles get ``ok``; other signed-in roles get ``denied``; anonymous gets
    ``signed_out``. On another tenant's record every signed-in role gets ``denied``.
    ``cells`` overrides single cells: ``{"client": 302}`` or ``{"owner-other": 404}``.
    """

    allowed: frozenset[str] = SIGNED_IN
    ok: int = 200
    scope: str = PERSON  # whose records the arguments name: a person's own, or a practice client
    kwargs: Callable[[Records], dict[str, Any]] = _nothing
    method: str = "get"
    data: Any = None  # the query (GET), form or JSON body; a callable gives it afresh each time
    content_type: str | None = None  # JSON for a JSON body; None for a form
    signed_out: str | int = LOGIN
    denied: int = 404
    # Whether the arguments name a record (then own and other tenancy are both tried); by
    # default, whether the address has arguments at all.
    names_a_record: bool | None = None
    cells: Mapping[str, str | int] = field(default_factory=dict)

    def expected(self, role: str, tenancy: str) -> str | int:
        """Give the status (or LOGIN) that ``role`` gets on a record of ``tenancy``."""
        for key in (f"{role}-{tenancy}", role):
            if key in self.cells:
                return self.cells[key]
        if role == "anonymous":
            return self.signed_out
        if tenancy == "other":
            return self.denied
        return self.ok if role in self.allowed else self.denied


def mine(**how: Any) -> Rule:
    """A person's own page: every signed-in person, on their own records."""
    return Rule(**{"allowed": SIGNED_IN, "scope": PERSON, **how})


def members(**how: Any) -> Rule:
    """A practice page: members only, on their own practice's clients."""
    return Rule(**{"allowed": MEMBERS, "scope": PRACTICE, **how})


def owners(**how: Any) -> Rule:
    """A practice owner's page."""
    return Rule(**{"allowed": OWNERS, "scope": PRACTICE, **how})


def public(signed_in: int = 200, **how: Any) -> Rule:
    """A page anyone may open; ``signed_in``: what a signed-in person gets instead."""
    return Rule(allowed=frozenset(ROLES), ok=signed_in, signed_out=200, **how)


PUSH_DEVICE = {"endpoint": "https://push.example.net/a", "keys": {"p256dh": "B", "auth": "x"}}


def _stop_token(client: Any) -> str:
    from collagen_coach.web.reminders.services import stop_token

    return stop_token(client)


def photo(r: Records) -> dict[str, Any]:
    return {"pk": r.photo.pk}


def log(r: Records) -> dict[str, Any]:
    return {"log_id": r.session_log.pk}


def client_id(r: Records) -> dict[str, Any]:
    return {"client_id": r.client.pk}


def note(r: Records) -> int:
    """Give the id of the client's SOAP note; a self-carer has none: an id nobody has."""
    return r.note.pk if r.note is not None else 2**31 - 1


# ---------------------------------------------------------------------------------------------
# The pages, by URL name, in the order of the sections' urls.py.


def camera_frame() -> dict[str, Any]:
    """A small frame of the live camera, as the "Take my photo" page sends it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    frame = SimpleUploadedFile("frame.jpg", SMALL_FACE.read_bytes(), content_type="image/jpeg")
    return {"frame": frame, "camera_width": "1280", "camera_height": "720"}


PAGES: dict[str, Rule] = {
    "home": mine(),
    # A practice member's own Today, apart from the practice's day; anyone else: to Today.
    "my_routine": mine(cells={"self_carer": 302, "client": 302}),
    # Accounts. Signing in or up while signed in leads home.
    "accounts:signup": public(signed_in=302),
    "accounts:login": public(signed_in=302),
    "accounts:logout": mine(method="post", ok=302),
    "accounts:password_change": mine(),
    "accounts:password_change_done": mine(),
    "accounts:password_reset": public(),
    "accounts:password_reset_done": public(),
    "accounts:password_reset_confirm": public(
        kwargs=lambda r: {"uidb64": "MQ", "token": "not-a-token"}, names_a_record=False
    ),
    "accounts:password_reset_complete": public(),
    "accounts:recover": public(signed_in=302),  # signed in: to the recovery codes page
    "accounts:recovery_codes": mine(),
    "accounts:tokens": mine(),
    "accounts:revoke_token": mine(kwargs=lambda r: {"pk": r.api_token.pk}, method="post", ok=302),
    # Intake.
    "clients:intake": mine(),
    "clients:latest": mine(ok=302),  # to the newest decision's page
    "clients:decision": mine(kwargs=lambda r: {"pk": r.intake.pk}),
    # Plan.
    "plans:plan": mine(),
    "plans:profile": mine(),
    "plans:replan": mine(method="post", ok=302),
    "plans:skip_baseline": mine(method="post", ok=302),
    "plans:pause_for_baseline": mine(method="post", ok=302),
    # Guided session. The JSON endpoints answer 401 signed out.
    "guide:today": mine(),
    "guide:play": mine(ok=302),  # back to Today: the matrix's plan has no session today
    "guide:abandon": mine(kwargs=log, method="post", ok=302),
    # Allowed, and refused with a 400 JSON answer: the matrix's plan has no session today.
    "guide:start": mine(method="post", signed_out=401, ok=400, data={}, content_type=JSON),
    "guide:step": mine(
        kwargs=log,
        method="post",
        signed_out=401,
        data={"step": 0, "done_s": 10, "skipped": False},
        content_type=JSON,
    ),
    "guide:finish": mine(
        kwargs=log,
        method="post",
        signed_out=401,
        data={"pain": False, "redness": False, "note": ""},
        content_type=JSON,
    ),
    # Journal.
    "journal:index": mine(),
    "journal:peptides": mine(),
    "journal:peptides_entry": mine(kwargs=lambda r: {"pk": r.peptide.pk}),
    "journal:rating": mine(),
    "journal:rating_entry": mine(kwargs=lambda r: {"pk": r.rating.pk}),
    "journal:readings": mine(),
    "journal:reading_entry": mine(kwargs=lambda r: {"pk": r.reading.pk}),
    "journal:calendar": mine(),
    # Photos.
    "photos:index": mine(),
    "photos:guidance": mine(),
    "photos:take": mine(),
    "photos:take_frame": mine(method="post", signed_out=401, data=camera_frame),
    "photos:upload": mine(),
    "photos:compare": mine(),
    "photos:detail": mine(kwargs=photo),
    "photos:status": mine(kwargs=photo),
    "photos:image": mine(kwargs=photo),
    "photos:overlay": mine(kwargs=photo),
    "photos:delete": mine(kwargs=photo, method="post", ok=302),
    # Progress.
    "progress:dashboard": mine(),
    # Everyone has rated firmness once: each gets their own series of it, never another's.
    "progress:series": mine(kwargs=lambda r: {"key": "firmness"}, names_a_record=False),
    "progress:report": mine(),
    # My data.
    "my_data:index": mine(),
    "my_data:export": mine(method="post"),
    "my_data:delete": mine(),
    # Reminders: her own settings and devices.
    "reminders:settings": mine(),
    "reminders:switch": mine(method="post", data={"stop": "1"}, ok=302),
    "reminders:test": mine(method="post", ok=302),
    "reminders:subscribe": mine(method="post", data=PUSH_DEVICE, content_type=JSON),
    "reminders:unsubscribe": mine(
        method="post", data={"endpoint": PUSH_DEVICE["endpoint"]}, content_type=JSON
    ),
    # The link in a reminder email stops them without signing in (its page has one button);
    # the service worker shows pushed reminders. Neither names anyone's records.
    "reminders:stop": public(
        kwargs=lambda r: {"token": _stop_token(r.client)}, names_a_record=False
    ),
    # The practice. Starting one: a member is already in one (to the client list), a
    # practice's client cannot start one (409).
    "practice:start": mine(cells={"client": 409, **dict.fromkeys(MEMBERS, 302)}),
    "practice:team": owners(),
    "practice:clients": members(),
    "practice:add_client": members(),
    "practice:edit_client": members(kwargs=client_id),
    "practice:invite": members(kwargs=client_id),
    # An invitation link works for whoever holds it (signed in, the page says who may take it
    # up); it names no one's records but the invited client's, and only takes them up on POST.
    "practice:accept": public(
        scope="erin", kwargs=lambda r: {"token": r.invitation_token}, names_a_record=False
    ),
    # A practice's client's own view of their practice; 404 for everyone else.
    "practice:my_practitioner": mine(allowed=frozenset({"client"})),
    "practice:leave": mine(allowed=frozenset({"client"})),
    "practice:audit": owners(),
    # One client's record, for their practice's members.
    "clinic:timeline": members(kwargs=client_id),
    "clinic:photo_image": members(
        kwargs=lambda r: {"client_id": r.client.pk, "photo_id": r.photo.pk}
    ),
    "clinic:intake": members(kwargs=client_id),
    "clinic:decision": members(
        kwargs=lambda r: {"client_id": r.client.pk, "intake_id": r.intake.pk}
    ),
    "clinic:progress": members(kwargs=client_id),
    "clinic:series": members(kwargs=lambda r: {"client_id": r.client.pk, "key": "firmness"}),
    "clinic:report": members(kwargs=client_id, data={"format": "html"}),
    "clinic:plan": members(kwargs=client_id),
    "clinic:plan_edit": members(kwargs=client_id, data={"date": PLANNED.isoformat()}),
    "clinic:note_new": members(kwargs=client_id),
    "reminders:client": members(kwargs=client_id),
    "clinic:note_edit": members(kwargs=lambda r: {"client_id": r.client.pk, "note_id": note(r)}),
    # The health answer for load balancers: the same to everyone, signed in or out, naming no
    # one's records; 503 here, as no photo-analysis worker runs beside the tests.
    "operations:health": Rule(allowed=frozenset(ROLES), ok=503, signed_out=503),
    # The app on a phone: the manifest, the service worker and the offline page are the same for
    # everyone; a session sent later is the sender's own (an empty body: 400, the key missing).
    "phone:manifest": public(),
    "phone:service_worker": public(),
    "phone:offline": public(),
    "phone:send_session": mine(method="post", signed_out=401, ok=400, data={}, content_type=JSON),
    # How to open the app on a phone, and its certificate: the same to everyone, signed in or
    # out (a phone needs both before it can sign in); no certificate in the tests' data: 404.
    "phone:index": public(),
    "phone:certificate": Rule(allowed=frozenset(ROLES), ok=404, signed_out=404),
    "phone:certificate_file": Rule(allowed=frozenset(ROLES), ok=404, signed_out=404),
}

# ---------------------------------------------------------------------------------------------
# The REST API, by "METHOD /path" as in /api/openapi.json. Signed out (no token) it answers 401.


def reach(**how: Any) -> Rule:
    """An API operation on a client the caller may reach: their own (a self-carer, a client with
    an account) or their practice's (a member); 401 without a token."""
    return Rule(**{"allowed": SIGNED_IN, "scope": PRACTICE, "signed_out": 401, **how})


def for_members(**how: Any) -> Rule:
    """An API operation only a practice's members may use: 403 for anyone else signed in."""
    return reach(**{"allowed": MEMBERS, "denied": 403, **how})


def made(data: Any, **how: Any) -> Rule:
    """An API operation that makes a record from a JSON body: 201 on the caller's client."""
    return reach(**{"ok": 201, "data": data, "content_type": JSON, "kwargs": client_id, **how})


def photo_upload() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = SimpleUploadedFile("me.jpg", SMALL_FACE.read_bytes(), content_type="image/jpeg")
    return {"photo": image, "taken_on": DAY.isoformat()}


API: dict[str, Rule] = {
    "GET /api/me": reach(),
    "GET /api/clients": reach(),
    "POST /api/clients": for_members(ok=201, data={"name": "Nora"}, content_type=JSON),
    "GET /api/clients/{client_id}": reach(kwargs=client_id),
    "GET /api/clients/{client_id}/intakes": reach(kwargs=client_id),
    "POST /api/clients/{client_id}/intakes": made({"age": 58, "as_of": DAY.isoformat()}),
    "GET /api/intakes/{intake_id}": reach(kwargs=lambda r: {"intake_id": r.intake.pk}),
    "GET /api/clients/{client_id}/plan": reach(kwargs=client_id),
    "POST /api/clients/{client_id}/plan": made(
        {"age": 58, "start_date": PLANNED.isoformat(), "concerns": ["sagging"]}
    ),
    "GET /api/clients/{client_id}/sessions": reach(kwargs=client_id),
    "POST /api/clients/{client_id}/sessions": made({"date": DAY.isoformat()}),
    "GET /api/clients/{client_id}/journal": reach(kwargs=client_id),
    "POST /api/clients/{client_id}/peptides": made({"date": DAY.isoformat(), "grams": 5}),
    "POST /api/clients/{client_id}/ratings": made(
        {"date": DAY.isoformat(), **dict.fromkeys(RATING_SCALES, 5)}
    ),
    "PUT /api/clients/{client_id}/peptides/{dose_id}": reach(
        kwargs=lambda r: {"client_id": r.client.pk, "dose_id": r.peptide.pk},
        data={"date": DAY.isoformat(), "grams": 6},
        content_type=JSON,
    ),
    "DELETE /api/clients/{client_id}/peptides/{dose_id}": reach(
        kwargs=lambda r: {"client_id": r.client.pk, "dose_id": r.peptide.pk},
        ok=204,
    ),
    "PUT /api/clients/{client_id}/ratings/{rating_id}": reach(
        kwargs=lambda r: {"client_id": r.client.pk, "rating_id": r.rating.pk},
        data=dict.fromkeys(RATING_SCALES, 4),
        content_type=JSON,
    ),
    "DELETE /api/clients/{client_id}/ratings/{rating_id}": reach(
        kwargs=lambda r: {"client_id": r.client.pk, "rating_id": r.rating.pk},
        ok=204,
    ),
    "PUT /api/clients/{client_id}/readings/{reading_id}": reach(
        kwargs=lambda r: {"client_id": r.client.pk, "reading_id": r.reading.pk},
        data={"date": DAY.isoformat(), "value": 0.7},
        content_type=JSON,
    ),
    "DELETE /api/clients/{client_id}/readings/{reading_id}": reach(
        kwargs=lambda r: {"client_id": r.client.pk, "reading_id": r.reading.pk},
        ok=204,
    ),
    "GET /api/clients/{client_id}/photos": reach(kwargs=client_id),
    "POST /api/clients/{client_id}/photos": reach(kwargs=client_id, ok=202, data=photo_upload),
    "GET /api/photos/{photo_id}": reach(kwargs=lambda r: {"photo_id": r.photo.pk}),
    "GET /api/photos/{photo_id}/image": reach(kwargs=lambda r: {"photo_id": r.photo.pk}),
    "GET /api/clients/{client_id}/progress": reach(kwargs=client_id),
}


# ---------------------------------------------------------------------------------------------
# Reading the URL conf and the API schema.


@dataclass(frozen=True)
class Address:
    """One address of the URL conf: its name (namespaced), its pattern and its parameters."""

    name: str | None
    pattern: str
    parameters: list[str]


@dataclass(frozen=True)
class Operation:
    """One operation of the REST API: its method and path as the OpenAPI schema gives them."""

    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


def _parameters(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def _api_of(resolver: URLResolver) -> Any | None:
    """Give the django-ninja API whose addresses ``resolver`` includes, or None."""
    for entry in resolver.url_patterns:
        callback = getattr(entry, "callback", None)
        if isinstance(callback, functools.partial) and "api" in callback.keywords:
            return callback.keywords["api"]
    return None


def read_url_conf() -> tuple[list[Address], list[tuple[str, Any]]]:
    """Give every page address of the URL conf in order, and each django-ninja API mounted in
    it with its path prefix (the API's own addresses come from its schema instead)."""
    pages: list[Address] = []
    apis: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str, parameters: list[str]) -> None:
        for entry in patterns:
            found = parameters + _parameters(entry.pattern)
            if isinstance(entry, URLResolver):
                here = prefix + str(entry.pattern)
                ninja_api = _api_of(entry)
                if ninja_api is not None:
                    apis.append((here, ninja_api))
                    continue
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, here, inner, found)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                pages.append(Address(name, prefix + str(entry.pattern), found))

    walk(get_resolver().url_patterns, "/", "", [])
    return pages, apis


HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def read_api_schemas(apis: list[tuple[str, Any]]) -> list[Operation]:
    """Give every operation of every mounted API, from its OpenAPI schema."""
    operations = []
    for prefix, ninja_api in apis:
        schema = ninja_api.get_openapi_schema(path_prefix=prefix)
        for path, item in schema["paths"].items():
            operations += [Operation(m, path) for m in HTTP_METHODS if m in item]
    return operations


ADDRESSES, APIS = read_url_conf()
NAMED = [a for a in ADDRESSES if a.name]
OPERATIONS = read_api_schemas(APIS)


# ---------------------------------------------------------------------------------------------
# The cells.


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix: a route, a role, and whose record it names."""

    route: str  # a URL name, or "METHOD /api/path"
    role: str
    tenancy: str  # "own" or "other"; "-" when the route names no record
    rule: Rule

    @property
    def id(self) -> str:
        name = self.route.replace(" ", "-")
        return f"{name}-{self.role}" + ("" if self.tenancy == "-" else f"-{self.tenancy}")


def _tenancies(rule: Rule, parameters: list[str], role: str) -> list[str]:
    names_a_record = bool(parameters) if rule.names_a_record is None else rule.names_a_record
    if not names_a_record:
        return ["-"]
    return ["own"] if role == "anonymous" else ["own", "other"]


def cells() -> list[Cell]:
    """Give every cell: each route with an entry × each role × each tenancy."""
    found = []
    routes: list[tuple[str, list[str], Rule]] = [
        (a.name, a.parameters, PAGES[a.name]) for a in NAMED if a.name in PAGES
    ]
    routes += [(o.key, o.parameters, API[o.key]) for o in OPERATIONS if o.key in API]
    for route, parameters, rule in routes:
        for role in ROLES:
            found += [Cell(route, role, t, rule) for t in _tenancies(rule, parameters, role)]
    return found


CELLS = cells()


@pytest.fixture(scope="module")
def tenants(django_db_setup: None, django_db_blocker: Any) -> Iterator[Tenants]:
    """Give everyone in the matrix, made once for the module and rolled back at its end."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_tenants()
        transaction.set_rollback(True)


def _entry_to_add(name: str, parameters: list[str], table: str) -> str:
    """Give the line to add to ``table`` for a route, and what to adjust in it."""
    arguments = ""
    if parameters:
        listed = ", ".join(f'"{p}": r.<record>.pk' for p in parameters)
        arguments = f"kwargs=lambda r: {{{listed}}}"
    if table == "API":
        line = f"reach({arguments})"
        hint = (
            "reach() for an operation on a client the caller may reach, for_members() for "
            "members only, made(<JSON body>) for one that makes a record (201)"
        )
    else:
        practice = name.startswith(("practice:", "clinic:"))
        line = f"{'members' if practice else 'mine'}({arguments})"
        hint = (
            "mine() for a person's own page, members() for a practice page, owners() for the "
            'owner\'s; method="post", ok=<status> for an action; cells={...} for exceptions'
        )
    if parameters:
        hint += "; <record>: a field of Records in tests/web/matrix_roles.py (add one if none fits)"
    return f'"{name}": {line},\n      ({hint})'


def test_every_route_and_api_operation_has_an_entry() -> None:
    problems = [
        f"{a.pattern} has no name: give it one in its urls.py" for a in ADDRESSES if not a.name
    ]
    for address in NAMED:
        if address.name not in PAGES:
            problems.append(
                f"{address.name} ({address.pattern}) has no entry in PAGES in "
                f"tests/web/test_permission_matrix.py; add\n    "
                + _entry_to_add(address.name or "", address.parameters, "PAGES")
            )
    for operation in OPERATIONS:
        if operation.key not in API:
            problems.append(
                f"the API operation {operation.key} has no entry in API in "
                f"tests/web/test_permission_matrix.py; add\n    "
                + _entry_to_add(operation.key, operation.parameters, "API")
            )
    assert not problems, "\n".join(problems)


def test_the_tables_name_only_routes_that_exist() -> None:
    stale = sorted({*PAGES} - {a.name for a in NAMED}) + sorted(
        {*API} - {o.key for o in OPERATIONS}
    )
    assert not stale, f"remove from tests/web/test_permission_matrix.py (no such route): {stale}"


def test_the_matrix_covers_every_route_role_and_tenancy() -> None:
    routes = {c.route for c in CELLS}
    with_records = {c.route for c in CELLS if c.tenancy != "-"}
    print(
        f"permission matrix: {len(routes)} routes ({len(routes) - len(with_records)} without a "
        f"record, {len(with_records)} naming one) × {len(ROLES)} roles × own/other = "
        f"{len(CELLS)} cells"
    )
    assert len(CELLS) >= MATRIX_SIZE_AT_LEAST
    assert len({c.id for c in CELLS}) == len(CELLS), "two cells with the same id"


def _request(cell: Cell, tenants: Tenants) -> Any:
    from django.test import Client as TestClient

    rule = cell.rule
    web = TestClient()
    tenancy = "own" if cell.tenancy == "-" else cell.tenancy
    records = tenants.records(rule.scope, cell.role, tenancy)
    kwargs = rule.kwargs(records)
    headers: dict[str, str] = {}
    if cell.route in API:
        method, path = cell.route.split(" ", 1)
        url = path.format(**kwargs)
        if cell.role != "anonymous":
            headers["Authorization"] = f"Bearer {tenants.tokens[cell.role]}"
    else:
        method, url = rule.method.upper(), reverse(cell.route, kwargs=kwargs)
        if cell.role != "anonymous":
            web.force_login(tenants.users[cell.role])
    data = rule.data() if callable(rule.data) else rule.data
    if method == "GET":
        return url, web.get(url, data, headers=headers)
    if rule.content_type == JSON:
        body = json.dumps(data if data is not None else {})
        return url, web.generic(method, url, body, content_type=JSON, headers=headers)
    if method == "POST":  # a form, files and all
        return url, web.post(url, data or {}, headers=headers)
    return url, web.generic(method, url, headers=headers)


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: c.id)
def test_cell(cell: Cell, tenants: Tenants) -> None:
    expected = cell.rule.expected(cell.role, cell.tenancy)

    url, answer = _request(cell, tenants)

    said = f"{cell.role} got {answer.status_code} from {answer.request['REQUEST_METHOD']} {url}"
    if expected == LOGIN:
        assert answer.status_code == 302, said
        assert answer["Location"].startswith(reverse(settings.LOGIN_URL) + "?next="), said
    else:
        assert answer.status_code == expected, f"{said}, expected {expected}"
