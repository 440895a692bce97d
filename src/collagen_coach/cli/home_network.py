"""``serve --lan``: the web app over HTTPS on the home network, for a phone, in one command."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys

from collagen_coach.cli.output import say, say_plainly
from collagen_coach.core.errors import UserError
from collagen_coach.web.phone import certificates, words
from collagen_coach.web.phone.addresses import home_addresses, https_url
from collagen_coach.web.phone.certificates import IPv4

# The variable `serve --lan` hands its addresses to the settings by (web.settings reads it).
URLS_VARIABLE = "COLLAGEN_COACH_LAN_URLS"


def serve_on_home_network(
    port: int, threads: int, worker: bool, chosen: list[str] | None = None
) -> None:
    """Serve plain HTTP on 127.0.0.1 and HTTPS on this computer's home-network addresses (or on
    ``chosen``, for tests), with a certificate its own authority signs, until Ctrl-C."""
    from collagen_coach.web import server
    from collagen_coach.web.store import open_store

    addresses = _chosen_addresses(chosen) if chosen else home_addresses()
    if not addresses:
        raise words.NO_HOME_ADDRESS
    names = certificates.computer_names()
    # Every port is taken before anything is made, so a port in use changes nothing.
    bound: list[socket.socket] = []
    try:
        bound.append(server.bind(server.DEFAULT_HOST, port))
        for address in addresses:
            bound.append(server.bind(str(address), port))
    except UserError:
        for sock in bound:
            sock.close()
        raise
    plain, https = bound[0], bound[1:]
    urls = [https_url(a, port) for a in addresses] + [https_url(n, port) for n in names]
    os.environ[URLS_VARIABLE] = ",".join(urls)
    open_store()
    from django.conf import settings
    from django.urls import reverse

    prepared = certificates.prepare(settings.HOME, addresses, names)
    authority = certificates.read_authority(prepared.files)
    assert authority is not None
    show_the_way(
        urls[0].rstrip("/") + reverse("phone:index"),
        certificates.fingerprint(authority),
        prepared.new_authority,
    )
    tls = server.Tls(prepared.files.certificate, prepared.files.certificate_key)
    server.serve(plain, threads=threads, worker=worker, say=say_plainly, https=https, tls=tls)


def _chosen_addresses(chosen: list[str]) -> list[IPv4]:
    """Give the addresses given with ``--lan-address``: home-network ones, or loopback ones
    other than 127.0.0.1 (which stays plain HTTP), so that tests run on any machine."""
    addresses: list[IPv4] = []
    for raw in chosen:
        try:
            address = ipaddress.IPv4Address(raw)
        except ValueError:
            address = None
        usable = address is not None and (
            certificates.is_home_address(address)
            or (address in certificates.LOOPBACK and str(address) != "127.0.0.1")
        )
        if address is None or not usable:
            raise UserError(
                "--lan-address",
                f"{raw!r} is not a home-network address",
                "10.x.x.x, 172.16.x.x to 172.31.x.x, 192.168.x.x, or 127.0.0.2 and up",
            )
        addresses.append(address)
    return addresses


def show_the_way(url: str, fingerprint: str, new_authority: bool) -> None:
    """Print the QR code of ``url`` and the steps to trust the certificate on a phone."""
    import segno

    say_plainly(f"\nOn your phone (on the same Wi-Fi as this computer), open {url}")
    say_plainly("or scan this code with the phone's camera:")
    segno.make(url, error="m").terminal(out=sys.stdout, compact=True, border=2)
    if new_authority:
        say(words.NEW_AUTHORITY, "", "")
    say(words.FIRST_TIME, "", "")
    for kind in words.STEPS:
        say_plainly(f"{kind.phone}:")
        for number, step in enumerate(kind.steps, 1):
            say(step, f"  {number}. ", "     ")
    say(words.AFTERWARDS, "", "")
    say(f"{words.CHECK_FINGERPRINT} {fingerprint}", "", "")
    say(words.WHO_CAN_REACH_IT, "", "")
    say_plainly("")
