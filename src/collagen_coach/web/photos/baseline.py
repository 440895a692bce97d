"""The person's usual look in her progress photos, for the live capture coach."""

from __future__ import annotations

from collagen_coach.vision.look import FaceLook
from collagen_coach.web.clients.models import Client


def baseline_look(client: Client) -> FaceLook | None:
    """Give the person's usual look in her photos, or None where none is known yet."""
    return None
