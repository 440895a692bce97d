"""The app on a phone: its manifest, its service worker, the page shown without the network, and
the session a phone recorded without the network and sends later; and "Use on your phone": the
address to open, as a QR code, and the certificate to trust (``serve --lan``).

The service worker keeps the app's shell (styles, scripts, icons) and the pages that say they may
be kept (``web.lib.offline``: Today and the session player), asks the network first for every page
and falls back to what it kept, then to the offline page. It never keeps a POST, an API answer or
any other page.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import parse_json
from collagen_coach.web.clients.access import client_of
from collagen_coach.web.lib.offline import KEEP_OFFLINE_HEADER
from collagen_coach.web.phone import certificates, services, words
from collagen_coach.web.phone.services import KeyOfAnotherPerson

THEME_COLOUR = "#0b5563"  # app.css's --accent
BACKGROUND_COLOUR = "#fdfcfa"  # app.css's --paper
# What every page needs, kept when the app is installed: the session plays from these offline.
SHELL = [
    "css/app.css",
    "css/guide.css",
    "vendor/htmx-2.0.11.min.js",
    "js/fold.js",
    "js/outbox.js",
    "js/pwa.js",
    "js/guide-clock.js",
    "js/guide-motion.js",
    "js/session.js",
    "favicon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
    "icons/apple-touch-icon.png",
]


@require_safe
@login_not_required
def manifest(request: HttpRequest) -> HttpResponse:
    """Give the web app manifest: the name, the icons and how the installed app opens."""
    icons: list[dict[str, str]] = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": "collagen-coach",
        "short_name": "Coach",
        "description": "Guided facial self-massage: today's session, your journal and progress.",
        "id": "/",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return HttpResponse(json.dumps(body, indent=2), content_type="application/manifest+json")


@require_safe
@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """Give the service worker, for the whole site (``Service-Worker-Allowed: /``); its cache's
    name changes whenever the worker or a file of the shell changes."""
    shell = [static(name) for name in SHELL]
    config = {
        "shell": shell,
        "offline_url": reverse("phone:offline"),
        "static_url": settings.STATIC_URL,
        "keep_header": KEEP_OFFLINE_HEADER,
        "outbox_script": static("js/outbox.js"),
        "push_script": static("js/reminders-push.js"),  # shows reminders pushed to the device
    }
    text = render(request, "phone/service-worker.js", {"config": "{}"}).content
    digest = hashlib.sha256(text)
    for name in SHELL:
        found = finders.find(name)
        with open(str(found), "rb") as fh:
            digest.update(fh.read())
    config["version"] = digest.hexdigest()[:12]
    response = render(
        request,
        "phone/service-worker.js",
        {"config": json.dumps(config, indent=2)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
@login_not_required
def offline(request: HttpRequest) -> HttpResponse:
    """Give the page shown when a page is opened without the network and the phone has not kept
    it: the same for everyone (it is kept once, for whoever signs in)."""
    return render(request, "phone/offline.html", {"user": AnonymousUser()})


@require_POST
@login_not_required
def send_session(request: HttpRequest) -> HttpResponse:
    """Record a session played without the network, sent later by the phone (JSON body: ``key``,
    ``person``, ``date``, ``log``, ``started_ago_s``, ``finished_ago_s``, ``steps``, ``pain``,
    ``redness``, ``note``, ``stopped``; ``services.read_played`` says what each may be).

    Answers 201 with the session's outcome when recorded now, 200 with the same outcome when the
    key was sent before; 400 on bad input, 401 signed out, 409 when the key or the session is
    another person's: each as ``{"error": {"field", "problem", "allowed"}, "message"}``.
    """
    if not request.user.is_authenticated:
        return _error(401, UserError("", "you are signed out", "sign in again to send it"))
    try:
        body = parse_json(request.body or b"{}", "body")
        if not isinstance(body, dict):
            raise UserError("body", "is not a JSON object", "a JSON object")
        played = services.read_played(body)
        services.check_person(body.get("person"), request.user.pk)
        log, created = services.record_played(client_of(request), played)
    except KeyOfAnotherPerson as exc:
        return _error(409, exc)
    except UserError as exc:
        return _error(400, exc)
    return JsonResponse(services.outcome(log), status=201 if created else 200)


def _error(status: int, exc: UserError) -> JsonResponse:
    body: dict[str, Any] = {
        "error": {"field": exc.field, "problem": exc.problem, "allowed": exc.allowed},
        "message": exc.message,
    }
    return JsonResponse(body, status=status)


# Open signed out: a phone downloads the certificate before it can sign in. It names no one:
# the addresses are those anyone on the home network reaches anyway, the certificate is public.
@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Show the address to open on a phone with its QR code, and the steps to trust this
    computer's certificate; without ``serve --lan``, how to start it."""
    import segno

    urls = [url + reverse("phone:index") for url in settings.HOME_NETWORK_URLS]
    authority = certificates.read_authority(certificates.files_in(settings.HOME))
    qr_code = None
    if urls:
        svg = segno.make(urls[0], error="m").svg_inline(scale=6, border=2, omitsize=True)
        qr_code = mark_safe(svg)
    context = {
        "nav": "phone",
        "urls": urls,
        "qr_code": qr_code,
        "on_the_phone": request.is_secure(),
        "fingerprint": certificates.fingerprint(authority) if authority and urls else None,
        "words": words,
    }
    return render(request, "phone/index.html", context)


@login_not_required
@require_safe
def certificate(request: HttpRequest) -> HttpResponse:
    """Give this computer's certificate authority as a CA's type, which an iPhone's Safari offers
    to install as a profile."""
    return _authority_download("application/x-x509-ca-cert")


@login_not_required
@require_safe
def certificate_file(request: HttpRequest) -> HttpResponse:
    """Give this computer's certificate authority as a plain file, which Android's browsers save
    in Downloads (given a CA's type, Chrome refuses it and saves nothing)."""
    return _authority_download("application/octet-stream")


def _authority_download(content_type: str) -> HttpResponse:
    authority = certificates.read_authority(certificates.files_in(settings.HOME))
    if authority is None:
        raise Http404("No certificate yet: it is made by collagen-coach serve --lan.")
    response = HttpResponse(authority.public_bytes(Encoding.DER), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{words.AUTHORITY_FILE_NAME}"'
    return response
