"""A brake on guessing from one address: after many failed sign-ins or wrong API tokens from an
address, whichever user names or tokens they tried, that address is refused for a while.

django-axes locks one user name at one address after 5 wrong passwords; this counts every failure
from the address together, so trying many names (or many tokens) is stopped too. Loopback
(127.0.0.1, ::1: a self-carer on her own computer) has a bound ten times higher, so her own
typing never locks her out of her own records.

Failures are counted in Django's cache, in a window that starts at an address's first failure.
The default cache is each process's own memory: nothing to set up and no server, but each web
process counts on its own, so with N processes an address gets up to N times the bound, and a
restart forgets the counts.
"""

from __future__ import annotations

import ipaddress

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_S = 15 * 60
FAILURES_PER_ADDRESS = 20
FAILURES_PER_LOOPBACK = 200
REFUSAL = (
    "Too many failed sign-ins, wrong recovery codes or wrong API tokens came from this address. "
    "To protect the records kept here, it may try again in 15 minutes."
)


def address_of(request: HttpRequest) -> str:
    """Give the address a request came from, as django-axes sees it."""
    return str(get_client_ip_address(request) or "")


def failure_bound(address: str) -> int:
    """Give how many failures ``address`` may have in a window: more for this computer itself."""
    try:
        loopback = ipaddress.ip_address(address).is_loopback
    except ValueError:
        loopback = False
    return FAILURES_PER_LOOPBACK if loopback else FAILURES_PER_ADDRESS


def _key(address: str) -> str:
    return f"throttle:failures:{address}"


def note_failure(request: HttpRequest) -> None:
    """Count one failed sign-in or wrong API token against the request's address."""
    key = _key(address_of(request))
    cache.add(key, 0, WINDOW_S)  # the window starts at the first failure
    try:
        cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, WINDOW_S)


def is_refused(request: HttpRequest) -> bool:
    """Say whether the request's address has used up its failures for now."""
    address = address_of(request)
    return int(cache.get(_key(address), 0)) >= failure_bound(address)
