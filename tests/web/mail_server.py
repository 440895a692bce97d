"""A real SMTP server on this computer (aiosmtpd), which the app's mail goes to, for the tests
of mail: an invitation, a reminder."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from typing import Any

from aiosmtpd.controller import Controller

from web.browser.live_server import free_port


class Inbox:
    """The messages a local SMTP server received, as parsed emails."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def serve_mail(settings: Any) -> Iterator[Inbox]:
    """Run a real SMTP server on 127.0.0.1 for as long as the generator runs, and point the
    app's mail at it (Django's SMTP backend); give its inbox."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Skin Studio <studio@example.org>"
    try:
        yield inbox
    finally:
        controller.stop()
