"""Addresses that leave the site (an invitation in an email or a message): absolute, and the
site's real one.

With ``SITE_URL`` set they start with it, whatever address the page was opened at; without it,
with the address of the request (its host, checked against ``ALLOWED_HOSTS``, and its scheme).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site_address(request: HttpRequest, path: str) -> str:
    """Give the absolute address of ``path`` (a path on this site, e.g. from ``reverse``)."""
    base = str(getattr(settings, "SITE_URL", "") or "")
    if base:
        return base + path
    return request.build_absolute_uri(path)


def address_outside_a_request(path: str) -> str:
    """Give the absolute address of ``path`` for a message sent without a request (a reminder
    sent by the worker): ``SITE_URL``, else this computer's own address (``serve``'s default)."""
    base = str(getattr(settings, "SITE_URL", "") or "") or "http://127.0.0.1:8000"
    return base + path
