"""Who may open what, for every address of the web app, read from the URL conf itself.

- Signed out, every address leads to the sign-in page (JSON endpoints answer 401, and an address
  that only takes POST may answer 405 to a GET), except the few public pages in ``PUBLIC``.
- Signed in as another person, every address that names a record answers 404 for the owner's
  record, while the owner gets it (so the 404 is about the owner, not about a bad address).

A new address needs an entry in ``ROUTES`` (or ``PUBLIC``): how to build its arguments from
person A's records (``Owned``), and how it is used. The first test fails, naming the address and
the line to add, until it has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
DAY = dt.date(2025, 3, 3)


class Owned:
    """Person A's records, each made the first time an address asks for it."""

    def __init__(self, user: Any, client: Any) -> None:
        self.user = user
        self.client = client

    @cached_property
    def intake(self) -> Any:
        """A safety intake and its decision."""
        from collagen_coach.core.screening import Intake, screen
        from collagen_coach.web.clients.services import save_intake

        intake = Intake(age=58, as_of=DAY)
        return save_intake(self.client, intake, screen(intake, today=DAY))

    @cached_property
    def session_log(self) -> Any:
        """A session begun (not finished) on a planned day of a saved plan."""
        from collagen_coach.web.journal.services import start_session_log
        from collagen_coach.web.plans.services import save_program
        from web import builders

        stored = save_program(self.client, builders.program(start=DAY))
        return start_session_log(self.client, DAY, stored)

    @cached_property
    def photo(self) -> Any:
        """A progress photo, stored as an upload is, and analysed (so it has its overlay)."""
        from collagen_coach.web.photos.services import analyse, store_photo

        data = (FACES / "obama-720p.jpg").read_bytes()
        return analyse(store_photo(self.client, data, "me.jpg", DAY))

    @cached_property
    def peptide(self) -> Any:
        """A peptide dose."""
        from collagen_coach.web.journal.services import log_peptides

        return log_peptides(self.client, DAY, 5)

    @cached_property
    def rating(self) -> Any:
        """A self-rating."""
        from collagen_coach.web.journal.services import rate

        return rate(self.client, DAY, **RATING)

    @cached_property
    def rated_series(self) -> str:
        """The key of a measured series: firmness, rated once."""
        assert self.rating is not None
        return "firmness"

    @cached_property
    def practice_rated_series(self) -> str:
        """The key of a series the practice's client measured: firmness, rated once."""
        from collagen_coach.web.journal.services import rate

        rate(self.practice_client, DAY, **RATING)
        return "firmness"

    @cached_property
    def reading(self) -> Any:
        """An instrument reading."""
        from collagen_coach.web.journal.models import InstrumentReading

        return InstrumentReading.objects.create(
            client=self.client,
            date=DAY,
            instrument="cutometer",
            parameter="R2",
            zone="cheeks",
            side="left",
            value=0.71,
            source="cutometer.csv",
        )

    @cached_property
    def practice_client(self) -> Any:
        """A client of a practice that person A owns (A works on the client's record)."""
        from collagen_coach.web.clients.models import Client
        from collagen_coach.web.practice.models import Membership, Practice, Role

        practice = Practice.objects.create(name="A's practice")
        Membership.objects.create(practice=practice, user=self.user, role=Role.OWNER)
        return Client.objects.create(display_name="Cora", practice=practice, owner=self.user)

    @cached_property
    def invitation_token(self) -> str:
        """The token of a working invitation link for A's practice's client."""
        from collagen_coach.web.practice.services import invite

        return invite(self.practice_client, self.user)[1]

    @cached_property
    def practice_client_intake(self) -> Any:
        """A safety intake A entered for their practice's client."""
        from collagen_coach.core.screening import Intake, screen
        from collagen_coach.web.clients.services import save_intake

        intake = Intake(age=61, as_of=DAY)
        return save_intake(self.practice_client, intake, screen(intake, today=DAY))

    @cached_property
    def practice_client_photo(self) -> Any:
        """A progress photo of A's practice's client."""
        from collagen_coach.web.photos.services import store_photo

        data = (FACES / "obama-480p.jpg").read_bytes()
        return store_photo(self.practice_client, data, "cora.jpg", DAY)

    @cached_property
    def practice_client_note(self) -> Any:
        """A SOAP note A wrote on their practice's client."""
        from collagen_coach.web.practice.models import SessionNote

        return SessionNote.objects.create(client=self.practice_client, author=self.user, plan="x")

    @cached_property
    def api_token(self) -> Any:
        """A personal API token."""
        from collagen_coach.web.practice.models import ApiToken

        _, digest = ApiToken.new_token()
        return ApiToken.objects.create(user=self.user, name="script", token_sha256=digest)


@dataclass(frozen=True)
class Route:
    """How an address is used: its arguments from A's records, its method, what it answers."""

    kwargs: Callable[[Owned], dict[str, Any]] = field(default=lambda owned: {})
    # "get"; "post" for an address that only takes POST; "put" or "delete" for such API calls
    method: str = "get"
    # Signed out: "login" (a redirect to the sign-in page) or the status it answers instead.
    signed_out: str | int = "login"
    # Whether the arguments name A's records (another person then gets 404); by default, whether
    # the address has arguments at all.
    names_a_record: bool | None = None
    # Extra request data (e.g. a JSON body) when the plain request is not enough.
    data: dict[str, Any] | None = None
    content_type: str | None = None

    def owns(self, parameters: list[str]) -> bool:
        return bool(parameters) if self.names_a_record is None else self.names_a_record


JSON = "application/json"


class _Upload:
    """A photo for a multipart request, which can be sent again and again."""

    name = "me.jpg"
    content_type = "image/jpeg"

    def read(self) -> bytes:
        return (FACES / "obama-240p.jpg").read_bytes()


PUSH_DEVICE = {"endpoint": "https://push.example.net/a", "keys": {"p256dh": "B", "auth": "x"}}
RATING = {"firmness": 5, "elasticity": 5, "fine_lines": 5, "glow": 5, "sagging": 5}

# Pages anyone may open signed out: signing up and in, getting a forgotten password back, and
# the health answer.
PUBLIC: dict[str, Route] = {
    "accounts:login": Route(),
    "accounts:signup": Route(),
    "accounts:password_reset": Route(),
    "accounts:password_reset_done": Route(),
    "accounts:password_reset_confirm": Route(
        kwargs=lambda a: {"uidb64": "MQ", "token": "not-a-token"}, names_a_record=False
    ),
    "accounts:password_reset_complete": Route(),
    "accounts:recover": Route(),
    # The API's description: what it offers, none of anyone's records.
    "api:openapi-json": Route(),
    # An invitation link: the invited client opens it before they have an account.
    "practice:accept": Route(kwargs=lambda a: {"token": a.invitation_token}, names_a_record=False),
    # The health answer for load balancers: no one's records; 503 here, as no photo-analysis
    # worker runs beside the tests.
    "operations:health": Route(signed_out=503),
    # The app on a phone: the manifest, the service worker and the offline page name no one.
    "phone:manifest": Route(),
    "phone:service_worker": Route(),
    "phone:offline": Route(),
    # How to open the app on a phone, and the certificate to trust: a phone needs both before it
    # can sign in. No certificate is made in the tests' data folder: 404 here.
    "phone:index": Route(),
    "phone:certificate": Route(signed_out=404),
    "phone:certificate_file": Route(signed_out=404),
    # The link in a reminder email that stops them all, without signing in (a page with one
    # button: opening it stops nothing).
    "reminders:stop": Route(
        kwargs=lambda a: {"token": _stop_token(a.client)}, names_a_record=False
    ),
}


def _stop_token(client: Any) -> str:
    from collagen_coach.web.reminders.services import stop_token

    return stop_token(client)


# Every other address. Keep it in the order of the sections' urls.py.
ROUTES: dict[str, Route] = {
    "home": Route(),
    "my_routine": Route(),
    "accounts:logout": Route(method="post"),
    "accounts:password_change": Route(),
    "accounts:password_change_done": Route(),
    "accounts:recovery_codes": Route(),
    "accounts:tokens": Route(),
    "accounts:revoke_token": Route(kwargs=lambda a: {"pk": a.api_token.pk}, method="post"),
    "clients:intake": Route(),
    "clients:latest": Route(),
    "clients:decision": Route(kwargs=lambda a: {"pk": a.intake.pk}),
    "plans:plan": Route(),
    "plans:profile": Route(),
    "plans:replan": Route(method="post"),
    "plans:skip_baseline": Route(method="post"),
    "plans:pause_for_baseline": Route(method="post"),
    "guide:today": Route(),
    "guide:play": Route(),
    "guide:abandon": Route(kwargs=lambda a: {"log_id": a.session_log.pk}, method="post"),
    "guide:start": Route(method="post", signed_out=401, data={}, content_type=JSON),
    "guide:step": Route(
        kwargs=lambda a: {"log_id": a.session_log.pk},
        method="post",
        signed_out=401,
        data={"index": 0, "done_s": 10, "skipped": False},
        content_type=JSON,
    ),
    "guide:finish": Route(
        kwargs=lambda a: {"log_id": a.session_log.pk},
        method="post",
        signed_out=401,
        data={"pain": False, "redness": False, "note": ""},
        content_type=JSON,
    ),
    "journal:index": Route(),
    "journal:peptides": Route(),
    "journal:rating": Route(),
    "journal:readings": Route(),
    "journal:calendar": Route(),
    "journal:peptides_entry": Route(kwargs=lambda a: {"pk": a.peptide.pk}),
    "journal:rating_entry": Route(kwargs=lambda a: {"pk": a.rating.pk}),
    "journal:reading_entry": Route(kwargs=lambda a: {"pk": a.reading.pk}),
    "photos:index": Route(),
    "photos:guidance": Route(),
    "photos:take": Route(),
    "photos:take_frame": Route(
        method="post",
        signed_out=401,
        data={"frame": _Upload(), "camera_width": "1280", "camera_height": "720"},
    ),
    "photos:upload": Route(),
    "photos:compare": Route(),
    "photos:detail": Route(kwargs=lambda a: {"pk": a.photo.pk}),
    "photos:status": Route(kwargs=lambda a: {"pk": a.photo.pk}),
    "photos:image": Route(kwargs=lambda a: {"pk": a.photo.pk}),
    "photos:overlay": Route(kwargs=lambda a: {"pk": a.photo.pk}),
    "photos:delete": Route(kwargs=lambda a: {"pk": a.photo.pk}, method="post"),
    "progress:dashboard": Route(),
    # A series' key names a measure: only someone who measured it (A) gets one, their own.
    "progress:series": Route(kwargs=lambda a: {"key": a.rated_series}),
    "progress:report": Route(),
    "my_data:index": Route(),
    "my_data:export": Route(method="post"),
    "my_data:delete": Route(),
    "reminders:settings": Route(),
    "reminders:switch": Route(method="post", data={"stop": "1"}),
    "reminders:test": Route(method="post"),
    "reminders:subscribe": Route(method="post", data=PUSH_DEVICE, content_type=JSON),
    "reminders:unsubscribe": Route(
        method="post", data={"endpoint": PUSH_DEVICE["endpoint"]}, content_type=JSON
    ),
    "practice:start": Route(),
    "practice:team": Route(),
    "practice:clients": Route(),
    "practice:add_client": Route(),
    "practice:edit_client": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "practice:invite": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "practice:my_practitioner": Route(),
    "practice:leave": Route(),
    "practice:audit": Route(),
    "clinic:timeline": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:photo_image": Route(
        kwargs=lambda a: {"client_id": a.practice_client.pk, "photo_id": a.practice_client_photo.pk}
    ),
    "clinic:intake": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:decision": Route(
        kwargs=lambda a: {
            "client_id": a.practice_client.pk,
            "intake_id": a.practice_client_intake.pk,
        }
    ),
    "clinic:progress": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:series": Route(
        kwargs=lambda a: {"client_id": a.practice_client.pk, "key": a.practice_rated_series}
    ),
    "clinic:report": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:plan": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:plan_edit": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:note_new": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "reminders:client": Route(kwargs=lambda a: {"client_id": a.practice_client.pk}),
    "clinic:note_edit": Route(
        kwargs=lambda a: {"client_id": a.practice_client.pk, "note_id": a.practice_client_note.pk}
    ),
    # The REST API answers 401 signed out; a POST carries a valid body, so that another
    # person's client answers 404 rather than the body's 422.
    # A session recorded on a phone offline, sent later: it answers JSON, 401 signed out.
    "phone:send_session": Route(method="post", signed_out=401, data={}, content_type=JSON),
    "api:me": Route(signed_out=401),
    "api:clients": Route(signed_out=401),
    "api:create_client": Route(
        method="post", signed_out=401, data={"name": "Edna"}, content_type=JSON
    ),
    "api:client": Route(kwargs=lambda a: {"client_id": a.client.pk}, signed_out=401),
    "api:client_intakes": Route(kwargs=lambda a: {"client_id": a.client.pk}, signed_out=401),
    "api:record_intake": Route(
        kwargs=lambda a: {"client_id": a.client.pk},
        method="post",
        signed_out=401,
        data={"age": 58},
        content_type=JSON,
    ),
    "api:intake": Route(kwargs=lambda a: {"intake_id": a.intake.pk}, signed_out=401),
    "api:client_plan": Route(
        kwargs=lambda a: {"client_id": a.session_log.client_id}, signed_out=401
    ),
    "api:make_plan": Route(
        kwargs=lambda a: {"client_id": a.client.pk},
        method="post",
        signed_out=401,
        data={"age": 58, "start_date": DAY.isoformat()},
        content_type=JSON,
    ),
    "api:client_sessions": Route(kwargs=lambda a: {"client_id": a.client.pk}, signed_out=401),
    "api:log_session": Route(
        kwargs=lambda a: {"client_id": a.client.pk},
        method="post",
        signed_out=401,
        data={"date": DAY.isoformat()},
        content_type=JSON,
    ),
    "api:client_journal": Route(kwargs=lambda a: {"client_id": a.client.pk}, signed_out=401),
    "api:log_peptides": Route(
        kwargs=lambda a: {"client_id": a.client.pk},
        method="post",
        signed_out=401,
        data={"date": DAY.isoformat(), "grams": 5},
        content_type=JSON,
    ),
    "api:rate_skin": Route(
        kwargs=lambda a: {"client_id": a.client.pk},
        method="post",
        signed_out=401,
        data={"date": DAY.isoformat(), **RATING},
        content_type=JSON,
    ),
    "api:correct_peptides": Route(
        kwargs=lambda a: {"client_id": a.client.pk, "dose_id": a.peptide.pk},
        method="put",
        signed_out=401,
        data={"date": DAY.isoformat(), "grams": 6},
        content_type=JSON,
    ),
    "api:delete_peptides": Route(
        kwargs=lambda a: {"client_id": a.client.pk, "dose_id": a.peptide.pk},
        method="delete",
        signed_out=401,
    ),
    "api:correct_rating": Route(
        kwargs=lambda a: {"client_id": a.client.pk, "rating_id": a.rating.pk},
        method="put",
        signed_out=401,
        data={**RATING, "firmness": 4},
        content_type=JSON,
    ),
    "api:delete_rating": Route(
        kwargs=lambda a: {"client_id": a.client.pk, "rating_id": a.rating.pk},
        method="delete",
        signed_out=401,
    ),
    "api:correct_reading": Route(
        kwargs=lambda a: {"client_id": a.client.pk, "reading_id": a.reading.pk},
        method="put",
        signed_out=401,
        data={"date": DAY.isoformat(), "value": 0.7},
        content_type=JSON,
    ),
    "api:delete_reading": Route(
        kwargs=lambda a: {"client_id": a.client.pk, "reading_id": a.reading.pk},
        method="delete",
        signed_out=401,
    ),
    "api:client_photos": Route(kwargs=lambda a: {"client_id": a.client.pk}, signed_out=401),
    "api:upload_photo": Route(
        kwargs=lambda a: {"client_id": a.client.pk},
        method="post",
        signed_out=401,
        data={"photo": _Upload(), "taken_on": DAY.isoformat()},
    ),
    "api:photo": Route(kwargs=lambda a: {"photo_id": a.photo.pk}, signed_out=401),
    "api:photo_image": Route(kwargs=lambda a: {"photo_id": a.photo.pk}, signed_out=401),
    "api:client_progress": Route(kwargs=lambda a: {"client_id": a.client.pk}, signed_out=401),
    # The API's root only says where the API's description is: 404 to everyone.
    "api:api-root": Route(signed_out=404),
}


@dataclass(frozen=True)
class Address:
    """One address of the URL conf: its name (namespaced), its pattern and its parameters."""

    name: str | None
    pattern: str
    parameters: list[str]


def _parameters(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def addresses() -> list[Address]:
    """Give every address of the URL conf, namespaced includes walked, in their order."""

    def walk(
        patterns: list[Any], prefix: str, namespace: str, parameters: list[str]
    ) -> Iterator[Address]:
        for entry in patterns:
            found = parameters + _parameters(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner, found)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                yield Address(name, prefix + str(entry.pattern), found)

    return list(walk(get_resolver().url_patterns, "/", "", []))


ADDRESSES = addresses()
NAMED = [a for a in ADDRESSES if a.name]


def _entry_to_add(address: Address) -> str:
    """Give the line to add to ROUTES for ``address``, and what to adjust in it."""
    how = (
        '(add method="post" if it only takes POST, signed_out=401 if it answers JSON when '
        "signed out)"
    )
    if not address.parameters:
        return f'"{address.name}": Route(),  {how}'
    arguments = ", ".join(f'"{p}": a.<record>.pk' for p in address.parameters)
    return (
        f'"{address.name}": Route(kwargs=lambda a: {{{arguments}}}),  {how}; <record> is a '
        "property of Owned that makes person A's record (add one if none fits; "
        "names_a_record=False if the arguments are not a record)"
    )


def test_every_address_has_an_entry_saying_who_may_open_it() -> None:
    unnamed = [a.pattern for a in ADDRESSES if not a.name]
    missing = [a for a in NAMED if a.name not in ROUTES and a.name not in PUBLIC]
    problems = [f"{pattern} has no name: give it one in its urls.py" for pattern in unnamed]
    for address in missing:
        problems.append(
            f"{address.name} ({address.pattern}) is not in ROUTES (or PUBLIC) in "
            f"tests/web/test_permissions.py; add\n    {_entry_to_add(address)}"
        )
    assert not problems, "\n".join(problems)


def test_the_table_names_only_addresses_that_exist() -> None:
    names = {a.name for a in NAMED}
    stale = sorted(name for name in [*ROUTES, *PUBLIC] if name not in names)
    assert not stale, f"remove from tests/web/test_permissions.py (no such address): {stale}"


def test_public_and_private_addresses_do_not_overlap() -> None:
    assert set(PUBLIC) & set(ROUTES) == set()


def _request(web: Any, url: str, route: Route) -> Any:
    if route.method in ("post", "put", "delete"):
        send = getattr(web, route.method)
        if route.content_type:
            return send(url, data=route.data or {}, content_type=route.content_type)
        return send(url, data=route.data or {})
    return web.get(url)


def _owner(make_person: Callable[..., tuple[Any, Any]]) -> Owned:
    user, client = make_person("ann")
    return Owned(user, client)


PRIVATE = [a for a in NAMED if a.name in ROUTES]
WITH_RECORDS = [a for a in PRIVATE if ROUTES[a.name or ""].owns(a.parameters)]


@pytest.mark.parametrize("address", PRIVATE, ids=lambda a: a.name)
def test_signed_out_an_address_leads_to_the_sign_in_page(
    address: Address, make_person: Callable[..., tuple[Any, Any]], client: Any
) -> None:
    route = ROUTES[address.name or ""]
    url = reverse(address.name or "", kwargs=route.kwargs(_owner(make_person)))

    answer = _request(client, url, route)

    if route.signed_out == "login":
        assert answer.status_code == 302, f"{url} answered {answer.status_code}"
        assert answer["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")
    else:
        assert answer.status_code == route.signed_out


@pytest.mark.parametrize("address", [a for a in NAMED if a.name in PUBLIC], ids=lambda a: a.name)
def test_a_public_page_opens_signed_out(
    address: Address, make_person: Callable[..., tuple[Any, Any]], client: Any
) -> None:
    route = PUBLIC[address.name or ""]
    url = reverse(address.name or "", kwargs=route.kwargs(_owner(make_person)))

    answer = _request(client, url, route)

    expected = route.signed_out if isinstance(route.signed_out, int) else 200
    assert answer.status_code == expected, f"{url} answered {answer.status_code}"


@pytest.mark.parametrize("address", WITH_RECORDS, ids=lambda a: a.name)
def test_another_persons_record_answers_404_and_its_owner_gets_it(
    address: Address,
    make_person: Callable[..., tuple[Any, Any]],
    browser_of: Callable[..., tuple[Any, Any]],
) -> None:
    route = ROUTES[address.name or ""]
    owner = _owner(make_person)
    url = reverse(address.name or "", kwargs=route.kwargs(owner))
    someone_else, _ = browser_of("bob")

    answer = _request(someone_else, url, route)

    assert answer.status_code == 404, f"bob got {answer.status_code} from ann's {url}"
    from django.test import Client as TestClient

    ann = TestClient()
    ann.force_login(owner.user)
    assert _request(ann, url, route).status_code != 404, f"ann got 404 from her own {url}"
