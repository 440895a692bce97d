"""``collagen-coach serve --lan``: HTTPS on the home network, served for real.

The end-to-end test serves on this machine's first home-network address when it has one. A
machine without one (a container, a test server on a public range) serves on 127.0.0.2 instead,
through the hidden ``--lan-address`` option: the same certificate, the same HTTPS server, only
the address chosen rather than found.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import stat
import subprocess
import urllib.request
from pathlib import Path

import pytest

from collagen_coach.web.phone import certificates, words
from web.browser.live_server import free_port, lan_arguments, running_server
from web.processes import CLI, embedded_env, run_cli


def fetch_over_https(url: str, authority: Path) -> tuple[int, str, dict[str, str]]:
    """GET ``url`` trusting only ``authority`` (the chain, the name and its constraints are
    checked); give the status, the body and the headers."""
    context = ssl.create_default_context(cafile=str(authority))
    with urllib.request.urlopen(url, context=context, timeout=10) as answer:
        return answer.status, answer.read().decode(), dict(answer.headers)


@pytest.mark.slow
def test_serve_lan_serves_https_on_the_home_network_and_http_on_this_computer(
    tmp_path: Path,
) -> None:
    arguments, address = lan_arguments()
    port = free_port()
    with running_server(tmp_path / "home", *arguments, "--no-worker", port=port) as server:
        files = certificates.files_in(server.home)
        status, page, headers = fetch_over_https(
            f"https://{address}:{port}/accounts/login/", files.authority
        )
        plain_status, _, plain_headers = fetch_over_https(
            f"http://127.0.0.1:{port}/accounts/login/", files.authority
        )
        code = server.stop()
        printed = server.output()

    assert status == 200
    assert "Sign in" in page
    assert "Secure" in headers["Set-Cookie"]
    assert plain_status == 200
    assert "Secure" not in plain_headers["Set-Cookie"]
    assert f"open https://{address}:{port}/phone/" in printed
    assert "▄" in printed  # the QR code, drawn in the terminal
    assert words.IPHONE_STEPS[2].split(" and turn on")[0] in printed
    assert f"and on your home network at https://{address}:{port}/" in printed
    for key in (files.authority_key, files.certificate_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert code == 0
    assert printed.rstrip().endswith("Stopped.")


def test_a_second_start_keeps_the_authority_the_phone_trusts(tmp_path: Path) -> None:
    arguments, _ = lan_arguments()
    home = tmp_path / "home"
    with running_server(home, *arguments, "--no-worker") as first:
        authority = certificates.files_in(home).authority.read_bytes()
        first_output = first.output()
    with running_server(home, *arguments, "--no-worker") as second:
        second_output = second.output()

    assert words.NEW_AUTHORITY.split(":")[0] in first_output
    assert words.NEW_AUTHORITY.split(":")[0] not in second_output
    assert certificates.files_in(home).authority.read_bytes() == authority


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """Give the one line a refused command printed, checking it exited 2 with no traceback."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare (util-linux)")
def test_a_computer_on_no_home_network_is_told_so_in_one_line(tmp_path: Path) -> None:
    # A network namespace of its own has no address at all, as a computer off every network.
    env = embedded_env(tmp_path / "home")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("this machine does not allow a network namespace of one's own")

    result = subprocess.run(
        ["unshare", "-rn", str(CLI), "serve", "--lan"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    line = refused(result)
    assert line == f"collagen-coach: {words.NO_HOME_ADDRESS.message}"
    assert not (tmp_path / "home").exists()  # nothing made


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--lan", "--host", "0.0.0.0"], "--host: cannot be given with --lan"),
        (["--lan-address", "8.8.8.8"], "--lan-address: '8.8.8.8' is not a home-network address"),
        (["--lan-address", "127.0.0.1"], "'127.0.0.1' is not a home-network address"),
        (["--lan-address", "kitchen"], "'kitchen' is not a home-network address"),
    ],
)
def test_bad_choices_are_refused_in_one_line(
    tmp_path: Path, arguments: list[str], says: str
) -> None:
    line = refused(run_cli("serve", *arguments, env=embedded_env(tmp_path / "home")))

    assert says in line


def test_a_port_in_use_is_said_before_anything_is_made(tmp_path: Path) -> None:
    arguments, _ = lan_arguments()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(
            "serve", *arguments, "--port", str(port), env=embedded_env(tmp_path / "home")
        )

    assert f"port {port} is already in use" in refused(result)
    assert not certificates.files_in(tmp_path / "home").folder.exists()
