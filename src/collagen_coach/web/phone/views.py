"""Use on your phone: the address to open, as a QR code, and the certificate to trust."""

from __future__ import annotations

from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from collagen_coach.web.phone import certificates, words


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
