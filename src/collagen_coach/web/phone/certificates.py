"""HTTPS on the home network: a certificate authority of this computer's own, and a certificate
for the addresses and names a phone opens the app at.

A phone's browser opens the camera only on a secure page, and a secure page needs a certificate
the phone trusts. Public authorities do not certify home addresses (192.168.1.20), so
``collagen-coach serve --lan`` makes an authority once, kept in the data folder, whose
certificate the person installs and trusts on the phone; it then certifies this computer.

The authority is limited by name constraints (RFC 5280 §4.2.1.10) to the home-network ranges
(10/8, 172.16/12, 192.168/16), the loopback and this computer's own names: were its key to leak,
it could not vouch for any other site. Its key never leaves this computer, and both keys are
written readable by their owner only (0600).

The server certificate is valid for 397 days, within what Apple accepts for a server certificate
(825 days at most), and is made again when the addresses change, when it has under 30 days left,
or when the authority changed. Keys are ECDSA P-256, which iOS and Android accept.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import ipaddress
import os
import re
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

IPv4 = ipaddress.IPv4Address
# The address ranges of home and office networks (RFC 1918): nothing outside them is served.
HOME_NETWORKS = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")
AUTHORITY_DAYS = 3650
CERTIFICATE_DAYS = 397
RENEW_BEFORE = dt.timedelta(days=30)
FOLDER_NAME = "https"
# A computer's name as a phone can look it up: one DNS label, letters, digits and hyphens.
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def is_home_address(address: IPv4) -> bool:
    """Say whether ``address`` is in a home or office network's range (RFC 1918)."""
    return any(address in network for network in HOME_NETWORKS)


def computer_names(hostname: str | None = None) -> list[str]:
    """Give the names this computer answers to on the home network: its name and ``NAME.local``
    (multicast DNS), or none when its name cannot be a DNS name."""
    name = (hostname if hostname is not None else socket.gethostname()).split(".")[0].lower()
    return [name, f"{name}.local"] if _LABEL.match(name) else []


@dataclass(frozen=True)
class Files:
    """Where the authority and the certificate live, in the data folder."""

    folder: Path
    authority: Path
    authority_key: Path
    certificate: Path  # the server's certificate followed by the authority's (the chain sent)
    certificate_key: Path


def files_in(home: Path) -> Files:
    """Give the files of the home-network certificate in the data folder ``home``."""
    folder = home / FOLDER_NAME
    return Files(
        folder=folder,
        authority=folder / "authority.pem",
        authority_key=folder / "authority-key.pem",
        certificate=folder / "certificate.pem",
        certificate_key=folder / "certificate-key.pem",
    )


@dataclass(frozen=True)
class Prepared:
    """What :func:`prepare` found or made."""

    files: Files
    new_authority: bool  # the phone must install and trust it (again)
    new_certificate: bool


def fingerprint(certificate: x509.Certificate) -> str:
    """Give a certificate's SHA-256 fingerprint as phones show it: pairs of hex digits."""
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return " ".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def spki_sha256(certificate: x509.Certificate) -> str:
    """Give the base64 SHA-256 of a certificate's public key (Chromium's SPKI pin format)."""
    der = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def read_authority(files: Files) -> x509.Certificate | None:
    """Give the authority's certificate, or None when there is none (or it cannot be read)."""
    try:
        return x509.load_pem_x509_certificate(files.authority.read_bytes())
    except (OSError, ValueError):
        return None


def prepare(
    home: Path,
    addresses: Sequence[IPv4],
    names: Sequence[str],
    *,
    now: dt.datetime | None = None,
) -> Prepared:
    """Make sure the data folder ``home`` holds an authority and a current certificate for
    ``addresses`` and ``names``; make what is missing, out of date or for other addresses.

    ``addresses`` must be home-network or loopback addresses (the authority may sign no other).
    """
    now = now or dt.datetime.now(dt.UTC)
    for address in addresses:
        if not (is_home_address(address) or address in LOOPBACK):
            raise ValueError(f"{address} is not a home-network or loopback address")
    files = files_in(home)
    files.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        files.folder.chmod(0o700)
    authority, authority_key = _usable_authority(files, names, now)
    new_authority = authority is None or authority_key is None
    if authority is None or authority_key is None:
        authority, authority_key = _make_authority(names, now)
        _write_key(files.authority_key, authority_key)
        _write(files.authority, authority.public_bytes(serialization.Encoding.PEM), 0o644)
    current = _read_chain(files.certificate)
    new_certificate = new_authority or not _still_good(current, authority, addresses, names, now)
    if new_certificate:
        leaf, key = _make_certificate(authority, authority_key, addresses, names, now)
        _write_key(files.certificate_key, key)
        chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf, authority))
        _write(files.certificate, chain, 0o644)
    return Prepared(files, new_authority=new_authority, new_certificate=new_certificate)


def _usable_authority(
    files: Files, names: Sequence[str], now: dt.datetime
) -> tuple[x509.Certificate | None, ec.EllipticCurvePrivateKey | None]:
    """Give the kept authority and its key, or Nones when either is missing, the authority
    nears its end, or its name constraints do not allow this computer's names (renamed)."""
    authority = read_authority(files)
    try:
        key = serialization.load_pem_private_key(files.authority_key.read_bytes(), None)
    except (OSError, ValueError, TypeError):
        return None, None
    if authority is None or not isinstance(key, ec.EllipticCurvePrivateKey):
        return None, None
    if authority.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        return None, None
    if authority.not_valid_after_utc - now < RENEW_BEFORE:
        return None, None
    permitted = set(permitted_names(authority))
    if not set(names) <= permitted:
        return None, None
    return authority, key


def permitted_names(authority: x509.Certificate) -> list[str]:
    """Give the DNS names an authority's name constraints allow (empty if it has none)."""
    try:
        constraints = authority.extensions.get_extension_for_class(x509.NameConstraints).value
    except x509.ExtensionNotFound:
        return []
    return [
        subtree.value
        for subtree in constraints.permitted_subtrees or []
        if isinstance(subtree, x509.DNSName)
    ]


def _make_authority(
    names: Sequence[str], now: dt.datetime
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    computer = names[0] if names else "this computer"
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "collagen-coach"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"collagen-coach on {computer}"[:64]),
        ]
    )
    permitted: list[x509.GeneralName] = [
        x509.IPAddress(network) for network in (*HOME_NETWORKS, LOOPBACK)
    ]
    permitted += [x509.DNSName(name) for name in names]
    public = key.public_key()
    authority = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=AUTHORITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(authority=True), critical=True)
        .add_extension(
            x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=None),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return authority, key


def _make_certificate(
    authority: x509.Certificate,
    authority_key: ec.EllipticCurvePrivateKey,
    addresses: Sequence[IPv4],
    names: Sequence[str],
    now: dt.datetime,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    common_name = names[0] if names else str(addresses[0])
    alternative: list[x509.GeneralName] = [x509.IPAddress(a) for a in addresses]
    alternative += [x509.DNSName(name) for name in names]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
        .issuer_name(authority.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CERTIFICATE_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(authority=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    return leaf, key


def _key_usage(*, authority: bool) -> x509.KeyUsage:
    """Give what a key may do: an authority's signs certificates (and revocation lists) and
    nothing else; a server's signs its TLS handshakes (ECDSA) and nothing else."""
    return x509.KeyUsage(
        digital_signature=not authority,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=authority,
        crl_sign=authority,
        encipher_only=False,
        decipher_only=False,
    )


def covered(certificate: x509.Certificate) -> tuple[set[IPv4], set[str]]:
    """Give the addresses and names a certificate is valid for."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set(), set()
    addresses = {a for a in san.get_values_for_type(x509.IPAddress) if isinstance(a, IPv4)}
    return addresses, set(san.get_values_for_type(x509.DNSName))


def _read_chain(path: Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError):
        return []


def _still_good(
    chain: list[x509.Certificate],
    authority: x509.Certificate,
    addresses: Iterable[IPv4],
    names: Iterable[str],
    now: dt.datetime,
) -> bool:
    """Say whether the kept certificate can serve on: issued by ``authority``, for exactly these
    addresses and names, with more than :data:`RENEW_BEFORE` left."""
    if len(chain) != 2 or chain[1] != authority:
        return False
    leaf = chain[0]
    try:
        leaf.verify_directly_issued_by(authority)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return covered(leaf) == (set(addresses), set(names)) and (
        leaf.not_valid_after_utc - now > RENEW_BEFORE
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write(path, pem, 0o600)


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` with permissions ``mode`` from the start (a key is never
    readable by others, even for a moment), replacing the old file at once."""
    part = path.with_name(path.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(part, mode)  # whatever the umask took away or left
    os.replace(part, path)
