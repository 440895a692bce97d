"""The practice's client list: searched by name and contact details, filtered and sorted by the
signals of :mod:`attention` (the same rules, and so the same counts, as the practitioner's home),
one compact row per client, ``CLIENTS_PER_PAGE`` a page.

A page is read in a fixed number of queries whatever the number of clients and their history:
the kept days brought up to date (:func:`attention_store.refresh`), the counts, the search with
its filter and order (in the database, on the kept days), and the page's own rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, Q, QuerySet
from django.urls import reverse

from collagen_coach.core.errors import UserError
from collagen_coach.core.words import DECISION_WORDS
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import SessionStatus
from collagen_coach.web.practice.attention import SIGNALS, ClientDay, practice_clients
from collagen_coach.web.practice.attention_store import day_of, latest_entries, showing
from collagen_coach.web.practice.models import ClientAttention, Practice

CLIENTS_PER_PAGE = 25
SEARCH_MAX_CHARS = 200
# What a search looks in: the client's name and the contact details the practice holds.
SEARCHED_FIELDS = ("display_name", "email", "phone", "account__email", "account__username")

# The list's filters: everyone, who needs attention, who is planned today, and each signal.
FILTERS: dict[str, str] = {
    "all": "All clients",
    "attention": "Needs attention",
    "today": "Planned today",
    **SIGNALS,
}
SORTS: dict[str, str] = {
    "name": "Sort by name",
    "attention": "Most to look at first",
    "today": "Planned today first",
}


@dataclass(frozen=True)
class ListQuery:
    """What the client list was asked for: a search, a filter and an order."""

    search: str = ""
    show: str = "all"
    sort: str = "name"

    @classmethod
    def from_get(cls, get: Any) -> ListQuery:
        """Give the list's query from a request's GET, or raise UserError naming the bad part."""
        search = " ".join(str(get.get("q", "")).split())
        if len(search) > SEARCH_MAX_CHARS:
            raise UserError(
                "q", f"the search is {len(search)} characters long", f"{SEARCH_MAX_CHARS} at most"
            )
        show = str(get.get("show") or "all")
        if show not in FILTERS:
            raise UserError("show", f"there is no filter {show!r}", ", ".join(FILTERS))
        sort = str(get.get("sort") or "name")
        if sort not in SORTS:
            raise UserError("sort", f"there is no order {sort!r}", ", ".join(SORTS))
        return cls(search=search, show=show, sort=sort)

    def link(self, **changes: str) -> str:
        """Give this query as a URL's query string, with ``changes`` made (page 1)."""
        values = {"q": self.search, "show": self.show, "sort": self.sort, **changes}
        defaults = {"q": "", "show": "all", "sort": "name"}
        return urlencode({k: v for k, v in values.items() if v and v != defaults.get(k)})


@dataclass(frozen=True)
class ClientRow:
    """One client as a compact row of the list shows them."""

    client: Client
    day: ClientDay
    last_session_on: dt.date | None
    last_session_place: str
    last_session_status: str
    decision: str
    resume_on: dt.date | None
    timeline_url: str = ""
    invite_url: str = ""

    @property
    def place_words(self) -> str:
        return {"home": "at home", "clinic": "in the clinic"}.get(self.last_session_place, "")

    @property
    def stopped_early(self) -> bool:
        return bool(self.last_session_on and self.last_session_status != SessionStatus.COMPLETED)

    @property
    def decision_badge(self) -> str:
        words = DECISION_WORDS.get(self.decision)
        return words.list_tone if words else ""


def listed(practice: Practice, query: ListQuery) -> QuerySet[Client, tuple[int, str]]:
    """Give (id, name) of the clients the query lists, in its order, as one query the database
    filters and sorts on the kept days (``attention_store``)."""
    clients = practice_clients(practice)
    if query.search:
        match = Q()
        for name in SEARCHED_FIELDS:
            match |= Q(**{f"{name}__icontains": query.search})
        clients = clients.filter(match)
    clients = clients.filter(showing(query.show))
    by_name = ("display_name", "pk")
    if query.sort == "attention":
        order: tuple[Any, ...] = (F("attention__reason_count").desc(nulls_last=True), *by_name)
    elif query.sort == "today":
        order = (F("attention__planned_today").desc(nulls_last=True), *by_name)
    else:
        order = by_name
    return clients.order_by(*order).values_list("pk", "display_name")


def client_rows(ids: list[int]) -> list[ClientRow]:
    """Give the rows of the clients ``ids`` in that order, from their kept days: one query
    (two for a client added since the kept days were brought up to date)."""
    by_id = {
        client.pk: client
        for client in Client.objects.filter(pk__in=ids).select_related("owner", "attention")
    }
    kept = {pk: _kept(client) for pk, client in by_id.items()}
    missing = [pk for pk, row in kept.items() if row is None]
    facts = latest_entries(missing) if missing else {}
    timeline, invite = _client_link("clinic:timeline"), _client_link("practice:invite")
    rows = []
    for pk in ids:
        row = kept[pk]
        values = facts.get(pk, {}) if row is None else row.__dict__
        rows.append(
            ClientRow(
                client=by_id[pk],
                day=day_of(row, pk),
                last_session_on=values.get("last_session_on"),
                last_session_place=values.get("last_session_place") or "",
                last_session_status=values.get("last_session_status") or "",
                decision=values.get("decision") or "",
                resume_on=values.get("resume_on"),
                timeline_url=timeline(pk),
                invite_url=invite(pk),
            )
        )
    return rows


def _client_link(name: str) -> Callable[[int], str]:
    """Give a maker of the address ``name`` for a client's id: reversed once for the page, not
    once a row."""
    marker = 987654321
    head, tail = reverse(name, kwargs={"client_id": marker}).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


def _kept(client: Client) -> ClientAttention | None:
    try:
        return client.attention
    except ClientAttention.DoesNotExist:
        return None  # added since the kept days were brought up to date
