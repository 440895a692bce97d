"""A push service on this computer, for the tests of web push: it takes what the app sends as a
real push service does (RFC 8030), checks the VAPID signature (RFC 8292) against the site's
public key, and decrypts the payload (RFC 8291, aes128gcm) with the device's private key, as the
browser would."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's push subscription: its own key pair and auth secret, as the Push API makes."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(raw)


@dataclass
class Delivery:
    """One push the service took: the decrypted text, the VAPID claims and the TTL header."""

    device: str
    text: str
    claims: dict[str, Any]
    ttl: str


class PushService:
    """What the local push service received, and how it answers each device's pushes."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.devices: dict[str, Device] = {}
        self.answers: dict[str, int] = {}  # device id → status (default 201 Created)
        self.delivered: list[Delivery] = []
        self.refused: list[str] = []

    def device(self, name: str) -> Device:
        """Give a new subscribed device with its endpoint here."""
        device = Device(endpoint=f"{self.origin}/push/{name}")
        self.devices[name] = device
        return device

    def take(self, name: str, headers: Any, body: bytes) -> int:
        """Check and decrypt one push; give the status to answer."""
        if name not in self.devices:
            return 404
        claims = verify_vapid(headers.get("Authorization", ""))
        if claims is None or claims.get("aud") != self.origin:
            self.refused.append(name)
            return 403
        device = self.devices[name]
        text = http_ece.decrypt(
            body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
        ).decode()
        status = self.answers.get(name, 201)
        if status == 201:
            self.delivered.append(Delivery(name, text, claims, headers.get("TTL", "")))
        return status


def verify_vapid(header: str) -> dict[str, Any] | None:
    """Give the claims of a ``vapid t=JWT,k=KEY`` header whose ES256 signature is right for the
    key it names, else None."""
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "vapid":
        return None
    parts = dict(item.split("=", 1) for item in rest.split(","))
    try:
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        head, payload, signature = parts["t"].split(".")
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        key.verify(der, f"{head}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))
    except Exception:
        return None
    claims: dict[str, Any] = json.loads(unb64url(payload))
    claims["k"] = parts["k"]
    return claims


@contextmanager
def push_service() -> Iterator[PushService]:
    """Run a push service on 127.0.0.1 in a thread of this process while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    service = PushService(f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            name = self.path.rsplit("/", 1)[-1]
            self.send_response(service.take(name, self.headers, body))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
