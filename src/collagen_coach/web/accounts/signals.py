"""What happens when someone fails to sign in: the failure counts against their address."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from collagen_coach.web import throttle


def count_failed_sign_in(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Count a failed sign-in against the address it came from (``throttle``)."""
    if request is not None:
        throttle.note_failure(request)
