"""Answers kept for a person: a page (or an API list) that only her records and the day decide
is made once, kept in the ``kept`` cache, and given again until one of them changes.

A kept answer is found under a key the caller builds from everything the answer is made of:
who asks, whose records (with their ``Client.changed`` stamp, which every change of her records
renews, see ``clients.changes``), the day, and whatever else the page shows. The stamp is read
before the records, so a kept answer is never older than the stamp it is kept under; a change
gives a new stamp and so a key under which nothing is kept yet. Nothing is ever taken out of
the cache by hand: a key that is no longer asked for is dropped once the cache is full.

A page is kept with a mark where its forms' CSRF token goes (:data:`MARKED` in its context),
and each answer fills in the asker's own token, so a kept page's forms work for whoever is given
it. Only a plain GET with no messages waiting to be shown is answered from, or kept in, the cache.

The cache is each process's own memory by default (settings ``CACHES["kept"]``): nothing to
set up, and correct with several processes and hosts, as the stamp comes from the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from importlib.metadata import version

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

CACHE = "kept"
PRODUCT_VERSION = version("collagen-coach")
KEPT_S = 26 * 3600  # longest a kept answer is held; every key names its day anyway
CSRF_MARK = "kept0csrf0token0mark"
MARKED = {"csrf_token": CSRF_MARK}  # the context a kept page is rendered with


def key_of(kind: str, parts: Iterable[object]) -> str:
    """Give the cache key of a kept answer of ``kind`` made of ``parts`` (and this version of
    the product, for a cache shared by servers of different versions)."""
    text = "\x1f".join(str(part) for part in (PRODUCT_VERSION, *parts))
    return f"{kind}:{hashlib.sha256(text.encode()).hexdigest()}"


def _may_keep(request: HttpRequest) -> bool:
    return request.method == "GET" and not len(get_messages(request))


def _filled(request: HttpRequest, body: bytes) -> bytes:
    return body.replace(CSRF_MARK.encode(), get_token(request).encode())


def page(
    request: HttpRequest,
    kind: str,
    parts: Iterable[object],
    make: Callable[[], HttpResponse],
) -> HttpResponse:
    """Give the page of ``kind`` kept under ``parts``, or ``make`` it (rendered with
    :data:`MARKED` in its context), keep it if it answered 200, and give it."""
    key = key_of(kind, parts) if _may_keep(request) else None
    kept = caches[CACHE].get(key) if key else None
    if isinstance(kept, bytes):
        return HttpResponse(_filled(request, kept))
    response = make()
    if response.streaming:
        return response
    if key and response.status_code == 200:
        caches[CACHE].set(key, response.content, KEPT_S)
    response.content = _filled(request, response.content)
    return response


# ---------------------------------------------------------------------------------------------
# The API: an operation asks for its kept answer once it has checked who may have it.


class KeptAnswer(Exception):
    """An operation's kept answer, raised by :func:`answer_if_kept` to leave the operation; the
    API gives it as it was kept (its handler in ``web.api``)."""

    def __init__(self, body: bytes, content_type: str) -> None:
        super().__init__("kept answer")
        self.body = body
        self.content_type = content_type


def answer_if_kept(request: HttpRequest, kind: str, parts: Iterable[object]) -> None:
    """In an API operation wrapped by :func:`keeps_answers`, after its checks: give the answer
    of ``kind`` kept under ``parts`` and this request's query string (raising
    :class:`KeptAnswer`), or note the key, so that the answer made now is kept."""
    if request.method != "GET":
        return
    key = key_of(kind, (*parts, request.META.get("QUERY_STRING", "")))
    kept = caches[CACHE].get(key)
    if isinstance(kept, tuple):
        raise KeptAnswer(*kept)
    request.kept_key = key  # type: ignore[attr-defined]


def keeps_answers(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an API operation (``ninja.decorators.decorate_view``) so that the answer it makes
    after :func:`answer_if_kept` noted a key is kept under that key, if it is a 200."""

    @wraps(run)
    def keeping(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = run(request, *args, **kwargs)
        key = getattr(request, "kept_key", None)
        if key and response.status_code == 200 and not response.streaming:
            kept = (response.content, response.get("Content-Type", "application/json"))
            caches[CACHE].set(key, kept, KEPT_S)
        return response

    return keeping
