"""This computer's addresses on the home network, and the address a phone opens the app at."""

from __future__ import annotations

import contextlib
import ipaddress
import socket

from collagen_coach.web.phone.certificates import IPv4, is_home_address

# Asked only for the route to it: connecting a UDP socket sends nothing.
_ANY_HOME_ADDRESS = ("10.255.255.255", 9)


def home_addresses() -> list[IPv4]:
    """Give this computer's IPv4 addresses in the home-network ranges, the one its traffic
    leaves by first (the one a phone most likely reaches), then the others in order."""
    import ifaddr

    found: set[IPv4] = set()
    for adapter in ifaddr.get_adapters():
        for ip in adapter.ips:
            if isinstance(ip.ip, str):  # IPv4 (IPv6 comes as a tuple)
                with contextlib.suppress(ValueError):
                    address = ipaddress.IPv4Address(ip.ip)
                    if is_home_address(address):
                        found.add(address)
    first = _outgoing_address()
    return sorted(found, key=lambda a: (a != first, a))


def _outgoing_address() -> IPv4 | None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.connect(_ANY_HOME_ADDRESS)
        return ipaddress.IPv4Address(sock.getsockname()[0])
    except (OSError, ValueError):
        return None
    finally:
        sock.close()


def https_url(address: IPv4 | str, port: int) -> str:
    """Give the address a browser opens for the app served over HTTPS on ``address``:``port``."""
    return f"https://{address}/" if port == 443 else f"https://{address}:{port}/"
