"""Which pages a phone may keep to open without the network.

A page that says so (:func:`kept_offline`) is kept by the app's service worker when it is opened,
and shown from the phone when the network is gone; every other page is never kept. The kept pages
are today's own: Today and the session player. The service worker forgets them when the person
signs out (``phone``'s ``pwa.js``).
"""

from __future__ import annotations

from django.http import HttpResponse

KEEP_OFFLINE_HEADER = "X-Keep-Offline"


def kept_offline(response: HttpResponse) -> HttpResponse:
    """Give ``response`` marked as a page the phone may keep for use without the network."""
    response[KEEP_OFFLINE_HEADER] = "yes"
    return response
