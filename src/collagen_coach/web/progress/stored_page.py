"""The progress dashboard kept rendered, so that a visit after a change reads one row instead of
analysing and rendering years of measurements.

When an entry's change is followed (in the worker: a rating's or a reading's once committed, a
photo's once measured), its part of the analysis is worked out again (``store``) and then the
dashboard is made and its page rendered: the part of ``progress/dashboard.html`` between the
site's header and footer, which depends on nothing in the request. It is stored in one
``ProgressPage`` row per client under the key of what it was made from: the day, the journal's
stamp (read before the dashboard is made, so a change meanwhile leaves the row unused, never
wrong) and a fingerprint of the product's code and templates (a new release renders again). A
visit whose key is not the row's (the worker behind, a bulk write, a process killed before it
stored the page, a new day) makes the dashboard in the request and stores its page.

The worker also stores each series' chart data (one ``ProgressSeries`` row each, under the
same key) for the photo chooser, which otherwise needs the whole dashboard.

A row rather than the cache: the cache is this process's own memory unless the settings name a
shared one, and the worker, which follows photos, is another process.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import pickle
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString, mark_safe
from django_tasks import task

import collagen_coach
from collagen_coach.core.words import VERDICT_WORDS, Verdict
from collagen_coach.web.clients.models import Client
from collagen_coach.web.lib import dates
from collagen_coach.web.progress.models import ProgressPage, ProgressSeries
from collagen_coach.web.progress.pages import dashboard_context
from collagen_coach.web.progress.services import (
    DASHBOARD_CACHE_S,
    Dashboard,
    dashboard_cache_key,
    journal_stamp,
    progress_dashboard,
    verdicts_only,
)
from collagen_coach.web.progress.signals import parts_changed
from collagen_coach.web.progress.store import PART_OF, forget_parts, refresh_parts

PAGE_TEMPLATE = "progress/dashboard.html"
# The same page with its own part given (``body``) rather than rendered from a dashboard.
STORED_PAGE_TEMPLATE = "progress/dashboard_stored.html"
_PAGE_BLOCK = "content"


@functools.cache
def code_stamp() -> str:
    """Give a fingerprint of the product's code and templates (its words, its rules), read once
    per process (about 10 ms)."""
    digest = hashlib.sha256()
    root = Path(collagen_coach.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html") and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(client_pk: int, today: dt.date, stamp: str) -> str:
    """Give the key a stored page must have to be shown for the journal's ``stamp`` on ``today``."""
    return f"{dashboard_cache_key(client_pk, today, stamp)}:{code_stamp()}"


def dashboard_body(board: Dashboard) -> SafeString:
    """Give the page's own part of the dashboard (``dashboard.html``'s content block) rendered
    for ``board``, as the person's own page shows it."""
    template = get_template(PAGE_TEMPLATE).template  # type: ignore[attr-defined]
    block = next(
        node for node in template.nodelist.get_nodes_by_type(BlockNode) if node.name == _PAGE_BLOCK
    )
    context = Context(dashboard_context(board), autoescape=template.engine.autoescape)
    with context.render_context.push_state(template), context.bind_template(template):
        return SafeString(mark_safe(block.render(context)))  # rendered by the template, escaped


def page_body(client: Client, today: dt.date) -> SafeString:
    """Give the page's own part of the client's dashboard as of ``today``: the stored one when
    its key is the visit's (two queries), or else made now and stored."""
    stamp = journal_stamp(client)
    rows = ProgressPage.objects.filter(client=client, made_for=page_key(client.pk, today, stamp))
    verdicts_key = dashboard_cache_key(client.pk, today, stamp)
    if cache.has_key(verdicts_key):
        stored = rows.values_list("body", flat=True).first()
    else:  # the worker made the page: its verdicts go to this process' cache too
        row = rows.values_list("body", "verdicts").first()
        if row is not None:
            cache.set(verdicts_key, pickle.loads(row[1]), DASHBOARD_CACHE_S)  # this code pickled it
        stored = None if row is None else row[0]
    if stored is not None:
        return mark_safe(stored)  # rendered and escaped when stored
    return _make_and_store(client, today, stamp)


def refresh_page(client: Client, today: dt.date) -> None:
    """Make the client's dashboard as of ``today`` and store its page and every series' chart
    data for the chooser (after a change, in the worker)."""
    stamp = journal_stamp(client)
    board = progress_dashboard(client, today, stamp)
    made_for, _ = _store_page(client, today, stamp, board)
    origin = board.chart_origin
    ProgressSeries.objects.filter(client=client).delete()
    ProgressSeries.objects.bulk_create(
        [
            ProgressSeries(
                client=client,
                key=chart.key,
                made_for=made_for,
                data=json.dumps(chart.chart_data(origin, with_words=True)),
            )
            for chart in board.series + board.split_face
        ],
        ignore_conflicts=True,  # another process stored them meanwhile
    )


def series_data(client: Client, today: dt.date, key: str) -> dict[str, Any] | None:
    """Give one series' chart data with its card's words as ``Dashboard.series_data`` does, read
    from what the worker stored when its key is the visit's (two queries), or else from the
    dashboard."""
    stamp = journal_stamp(client)
    stored = (
        ProgressSeries.objects.filter(
            client=client, key=key, made_for=page_key(client.pk, today, stamp)
        )
        .values_list("data", flat=True)
        .first()
    )
    if stored is not None:
        return dict(json.loads(stored))
    return progress_dashboard(client, today, stamp).series_data(key)


def follow_change(client: Client, today: dt.date, parts: Iterable[str]) -> None:
    """Work out ``parts`` of the client's analysis again, then make and store the dashboard's
    page: what following a committed change does (and the worker after a photo)."""
    refresh_parts(client, today, parts)
    refresh_page(client, today)


def _make_and_store(client: Client, today: dt.date, stamp: str) -> SafeString:
    _, body = _store_page(client, today, stamp, progress_dashboard(client, today, stamp))
    return body


def _store_page(
    client: Client, today: dt.date, stamp: str, board: Dashboard
) -> tuple[str, SafeString]:
    """Store the page of ``board`` under the key of ``stamp``; give the key and the page."""
    body = dashboard_body(board)
    # Another process may store its own page meanwhile: the last one written stays, and a visit
    # uses it only when its key is the visit's.
    made_for = page_key(client.pk, today, stamp)
    verdicts = pickle.dumps(verdicts_only(board))
    rows = ProgressPage.objects.filter(client=client)
    before = rows.values_list("verdicts", flat=True).first()
    fields: dict[str, Any] = {"made_for": made_for, "body": body, "verdicts": verdicts}
    changes = changed_verdicts(None if before is None else _concern_verdicts(before), board)
    if changes:
        fields |= {"verdicts_changed_at": dates.now(), "verdict_changes": changes}
    if not rows.update(**fields):
        ProgressPage.objects.bulk_create(
            [ProgressPage(client=client, **fields)], ignore_conflicts=True
        )
    if changes:  # the practice follows them (its signal of changed verdicts)
        parts_changed.send(
            sender=ProgressPage, client_id=client.pk, in_practice=client.practice_id is not None
        )
    return made_for, body


def _concern_verdicts(pickled: bytes | memoryview) -> dict[str, Verdict] | None:
    """Give each concern's verdict on a stored page, by name; None where the page was stored by
    a release whose dashboard this one cannot read back."""
    try:
        board = pickle.loads(bytes(pickled))  # this product pickled it, into its own database
    except (pickle.UnpicklingError, AttributeError, EOFError, ImportError, TypeError):
        return None
    concerns = getattr(board, "concerns", None)
    if not isinstance(concerns, tuple):
        return None
    return {card.name: card.verdict for card in concerns}


def changed_verdicts(before: dict[str, Verdict] | None, board: Dashboard) -> list[list[str]]:
    """Give each concern whose verdict on ``board`` reads otherwise than ``before`` (a concern
    not judged before counts as "not enough data yet"), as [title, verdict before, verdict
    now]; nothing when there is nothing to compare with."""
    if before is None:
        return []
    changes = []
    for card in board.concerns:
        was = before.get(card.name, "not_enough_data")
        if VERDICT_WORDS.get(was, was) != VERDICT_WORDS[card.verdict]:
            changes.append([card.title, was, card.verdict])
    return changes


def entry_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Follow a saved or deleted rating, reading or photo measurement (a signal receiver): its
    part's stored analysis goes in the same transaction, and a rating's or a reading's is worked
    out again in the worker once the change is committed, with the dashboard's page (a photo's
    is worked out after the worker measured it: :func:`photo_measured`)."""
    part = PART_OF[sender]  # type: ignore[index]
    client_pk = instance.client_id
    forget_parts(client_pk, [part])
    if part != "photos":
        transaction.on_commit(lambda: follow_change_task.enqueue(client_pk, [part]))


@task()
def follow_change_task(client_id: int, parts: list[str]) -> str:
    """Work out ``parts`` of a client's analysis and the dashboard's page for the data as they
    are when it runs (so it is safe to run late or twice); give "done", or "gone" for a deleted
    client. Saving an entry stays quick; until the worker has run it, a visit finds no page for
    its key and makes one itself."""
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        return "gone"
    follow_change(client, dates.today(), parts)
    return "done"


def photo_measured(sender: type, photo: Any, **kwargs: Any) -> None:
    """Work out the photo part of a client's analysis, and the dashboard's page, once the
    worker has measured a photo (a receiver of ``photos.signals.photo_measured``)."""
    follow_change(photo.client, dates.today(), ["photos"])


# How long one sweep of the worker spends making the day's pages, so photos wait little.
NEW_DAY_BUDGET_S = 5.0


def make_the_days_pages(sender: Any = None, *, budget_s: float = NEW_DAY_BUDGET_S, **_: Any) -> int:
    """Make today's dashboard page for clients whose stored page is of an earlier day, until
    ``budget_s`` is spent (a receiver of ``photos.signals.worker_swept``); give how many.

    A page holds the day (this week's sessions, the weeks still to wait), so a new day makes
    every stored page unusable: without this, each person's first visit of the day would
    analyse in the request. A page made for today but an older journal is left to the change
    that is being followed."""
    day = dates.today()
    started = time.monotonic()
    made = 0
    earlier = ProgressPage.objects.exclude(made_for__contains=f":{day.isoformat()}:")
    for client_id in earlier.values_list("client_id", flat=True).order_by("client_id"):
        if time.monotonic() - started >= budget_s:
            break
        client = Client.objects.filter(pk=client_id).first()
        if client is not None:
            refresh_page(client, day)
            made += 1
    return made
