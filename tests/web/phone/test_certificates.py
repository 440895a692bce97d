"""The home network's certificate authority and certificate (``serve --lan``): what they are
valid for, what the authority may sign, how their keys are kept, and when they are made again."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import stat
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from collagen_coach.web.phone import certificates
from collagen_coach.web.phone.certificates import IPv4, computer_names, is_home_address, prepare

NOW = dt.datetime(2026, 12, 5, 12, tzinfo=dt.UTC)
HOME_A = ipaddress.IPv4Address("192.168.1.20")
HOME_B = ipaddress.IPv4Address("10.0.0.7")
NAMES = ["kitchen-pc", "kitchen-pc.local"]


def leaf_of(home: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificates(certificates.files_in(home).certificate.read_bytes())[0]


def authority_of(home: Path) -> x509.Certificate:
    authority = certificates.read_authority(certificates.files_in(home))
    assert authority is not None
    return authority


@pytest.mark.parametrize(
    ("address", "home"),
    [
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("172.31.255.254", True),
        ("172.32.0.1", False),
        ("192.168.0.10", True),
        ("192.169.0.10", False),
        ("192.0.2.2", False),  # documentation range: Python calls it private, a home never uses it
        ("127.0.0.1", False),
        ("8.8.8.8", False),
        ("100.64.0.1", False),  # a carrier's shared range, not the home's
    ],
)
def test_home_addresses_are_the_rfc_1918_ranges_only(address: str, home: bool) -> None:
    assert is_home_address(ipaddress.IPv4Address(address)) is home


@pytest.mark.parametrize(
    ("hostname", "names"),
    [
        ("Kitchen-PC", ["kitchen-pc", "kitchen-pc.local"]),
        ("laptop.example.org", ["laptop", "laptop.local"]),
        ("my_laptop", []),  # an underscore is no DNS name: addresses alone then
        ("-bad", []),
    ],
)
def test_computer_names_are_its_name_and_its_local_name(hostname: str, names: list[str]) -> None:
    assert computer_names(hostname) == names


def test_the_certificate_is_for_the_addresses_and_names_and_serving_only(tmp_path: Path) -> None:
    prepare(tmp_path, [HOME_A, HOME_B], NAMES, now=NOW)
    leaf = leaf_of(tmp_path)

    assert certificates.covered(leaf) == ({HOME_A, HOME_B}, set(NAMES))
    usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    # Apple refuses a server certificate valid for more than 825 days.
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days <= 825
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey)
    leaf.verify_directly_issued_by(authority_of(tmp_path))


def test_the_authority_may_sign_only_for_home_networks_loopback_and_this_computer(
    tmp_path: Path,
) -> None:
    prepare(tmp_path, [HOME_A], NAMES, now=NOW)
    authority = authority_of(tmp_path)

    constraints = authority.extensions.get_extension_for_class(x509.NameConstraints)
    assert constraints.critical
    assert set(constraints.value.permitted_subtrees or []) == {
        x509.IPAddress(ipaddress.IPv4Network("10.0.0.0/8")),
        x509.IPAddress(ipaddress.IPv4Network("172.16.0.0/12")),
        x509.IPAddress(ipaddress.IPv4Network("192.168.0.0/16")),
        x509.IPAddress(ipaddress.IPv4Network("127.0.0.0/8")),
        x509.DNSName("kitchen-pc"),
        x509.DNSName("kitchen-pc.local"),
    }
    basic = authority.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert basic.ca
    assert basic.path_length == 0
    usage = authority.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign
    assert not usage.digital_signature


def test_a_public_address_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"8\.8\.8\.8 is not a home-network"):
        prepare(tmp_path, [ipaddress.IPv4Address("8.8.8.8")], NAMES, now=NOW)
    assert not certificates.files_in(tmp_path).certificate.exists()


def test_keys_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    files = prepare(tmp_path, [HOME_A], NAMES, now=NOW).files

    for key in (files.authority_key, files.certificate_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.folder.stat().st_mode) == 0o700
    assert not list(files.folder.glob("*.part"))


def test_a_second_start_keeps_both(tmp_path: Path) -> None:
    first = prepare(tmp_path, [HOME_A], NAMES, now=NOW)
    authority, leaf = authority_of(tmp_path), leaf_of(tmp_path)

    again = prepare(tmp_path, [HOME_A], NAMES, now=NOW + dt.timedelta(days=100))

    assert (first.new_authority, first.new_certificate) == (True, True)
    assert (again.new_authority, again.new_certificate) == (False, False)
    assert (authority_of(tmp_path), leaf_of(tmp_path)) == (authority, leaf)


@pytest.mark.parametrize(
    ("addresses", "days_later"),
    [
        pytest.param([HOME_B], 1, id="the address changed"),
        pytest.param([HOME_A, HOME_B], 1, id="an address more"),
        pytest.param([HOME_A], certificates.CERTIFICATE_DAYS - 29, id="under 30 days left"),
    ],
)
def test_the_certificate_is_made_again_and_the_authority_kept(
    tmp_path: Path, addresses: list[IPv4], days_later: int
) -> None:
    prepare(tmp_path, [HOME_A], NAMES, now=NOW)
    authority, leaf = authority_of(tmp_path), leaf_of(tmp_path)

    later = NOW + dt.timedelta(days=days_later)
    again = prepare(tmp_path, addresses, NAMES, now=later)

    assert (again.new_authority, again.new_certificate) == (False, True)
    assert authority_of(tmp_path) == authority
    assert leaf_of(tmp_path) != leaf
    assert certificates.covered(leaf_of(tmp_path))[0] == set(addresses)
    assert leaf_of(tmp_path).not_valid_after_utc > later + dt.timedelta(days=300)


def test_a_renamed_computer_gets_a_new_authority(tmp_path: Path) -> None:
    prepare(tmp_path, [HOME_A], NAMES, now=NOW)
    authority = authority_of(tmp_path)

    again = prepare(tmp_path, [HOME_A], ["study-pc", "study-pc.local"], now=NOW)

    assert again.new_authority
    assert authority_of(tmp_path) != authority
    assert certificates.permitted_names(authority_of(tmp_path)) == ["study-pc", "study-pc.local"]


def test_a_damaged_authority_key_gets_a_new_authority(tmp_path: Path) -> None:
    files = prepare(tmp_path, [HOME_A], NAMES, now=NOW).files
    files.authority_key.write_bytes(b"not a key")

    again = prepare(tmp_path, [HOME_A], NAMES, now=NOW)

    assert again.new_authority
    assert again.new_certificate
    leaf_of(tmp_path).verify_directly_issued_by(authority_of(tmp_path))


def test_the_fingerprint_is_shown_as_phones_show_it(tmp_path: Path) -> None:
    prepare(tmp_path, [HOME_A], NAMES, now=NOW)
    fingerprint = certificates.fingerprint(authority_of(tmp_path))

    pairs = fingerprint.split(" ")
    assert len(pairs) == 32
    assert all(len(p) == 2 and p == p.upper() for p in pairs)


def handshake(home: Path, server_address: str, name: str) -> str:
    """Serve one TLS handshake on ``server_address`` with the home certificate, and connect to it
    as ``name``, trusting only the home authority (OpenSSL checks the chain, the name and the
    authority's name constraints); give the TLS version, or raise ssl.SSLCertVerificationError."""
    import socket

    files = certificates.files_in(home)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(files.certificate, files.certificate_key)
    client_context = ssl.create_default_context(cafile=str(files.authority))
    with socket.create_server((server_address, 0)) as listener:
        port = listener.getsockname()[1]

        def answer() -> None:
            connection, _ = listener.accept()
            try:
                with server_context.wrap_socket(connection, server_side=True):
                    pass
            except (ssl.SSLError, OSError):
                pass

        thread = threading.Thread(target=answer)
        thread.start()
        try:
            with (
                socket.create_connection((server_address, port), timeout=10) as raw,
                client_context.wrap_socket(raw, server_hostname=name) as tls,
            ):
                return str(tls.version())
        finally:
            thread.join(10)


def test_a_client_trusting_the_authority_accepts_the_certificate(tmp_path: Path) -> None:
    loopback = ipaddress.IPv4Address("127.0.0.2")  # stands for a home address on any machine
    prepare(tmp_path, [loopback], NAMES, now=dt.datetime.now(dt.UTC))

    assert handshake(tmp_path, "127.0.0.2", "127.0.0.2") in ("TLSv1.2", "TLSv1.3")
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        handshake(tmp_path, "127.0.0.2", "127.0.0.3")


def test_a_certificate_the_authority_signs_for_another_site_is_refused(tmp_path: Path) -> None:
    """Were the authority's key to leak, a certificate it signed for another site would still be
    refused by a client that trusts it (its name constraints)."""
    from cryptography.hazmat.primitives import serialization

    now = dt.datetime.now(dt.UTC)
    files = prepare(tmp_path, [ipaddress.IPv4Address("127.0.0.2")], NAMES, now=now).files
    authority = authority_of(tmp_path)
    key = serialization.load_pem_private_key(files.authority_key.read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    forged, forged_key = certificates._make_certificate(
        authority, key, [ipaddress.IPv4Address("127.0.0.2")], ["bank.example.com"], now
    )
    pem = serialization.Encoding.PEM
    files.certificate.write_bytes(forged.public_bytes(pem) + authority.public_bytes(pem))
    files.certificate_key.write_bytes(
        forged_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )

    with pytest.raises(ssl.SSLCertVerificationError, match=r"name constraints|permitted"):
        handshake(tmp_path, "127.0.0.2", "bank.example.com")
