"""Running the web app: serve it, run a photo-analysis worker, or make a demo and serve that."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated

import typer

from collagen_coach.cli import home_network
from collagen_coach.cli.output import console, say_plainly
from collagen_coach.core.errors import UserError
from collagen_coach.web.server import DEFAULT_THREADS, THREADS_CEILING, THREADS_FLOOR
from collagen_coach.web.store import open_store


def demo_command(
    home: Annotated[
        Path | None,
        typer.Option("--home", help="A new or empty folder for the demo (default: a new one)."),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="The address to serve on (this computer only by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to serve on.")
    ] = 8000,
    serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Serve the web app afterwards (default) or stop."),
    ] = True,
) -> None:
    """Create a demo self-carer with ten weeks of made-up history and photos in a fresh folder, then
    serve the web app: open the address shown and sign in with the name and password shown."""
    import tempfile

    from collagen_coach.web import server

    if home is not None:
        # Absolute, since it is shown as the folder to export: it must work from any folder.
        home = home.expanduser().resolve()
        if home.exists() and (not home.is_dir() or any(home.iterdir())):
            raise UserError(
                "--home", f"{str(home)!r} is not an empty folder", "a new or empty folder"
            )
    # The port is taken before anything is made, so a port in use changes nothing.
    sock = server.bind(host, port) if serve else None
    if home is None:
        home = Path(tempfile.mkdtemp(prefix="collagen-coach-demo-")).resolve()
    os.environ["COLLAGEN_COACH_HOME"] = str(home)
    # The demo's made-up history goes in its own file, never into a real database.
    os.environ.pop("DATABASE_URL", None)
    console.print("Making the demo (its photos are analysed; this takes a little while)…")
    open_store()
    from collagen_coach.web.demo import create_demo

    demo = create_demo(home)
    console.rule("collagen-coach demo")
    console.print(
        f"A demo self-carer, 58, new to facial massage, with a baseline week and then ten weeks "
        f"into a {demo.program.profile.weeks}-week split-face trial (her "
        f"{demo.program.profile.treated_side} side massaged), up to {demo.today:%a %d %b %Y}: "
        f"{demo.sessions_done} sessions done, {demo.sessions_missed} missed, "
        f"{demo.sessions_partial} stopped halfway, {demo.photos} photos analysed. Today's "
        "session is still to do. Its history and trends are made up (see the demo's "
        "PROVENANCE.md).",
        highlight=False,
    )
    console.print(
        f"Its data is in {home} (for the terminal commands too: "
        f"export COLLAGEN_COACH_HOME={home} then e.g. collagen-coach session).",
        highlight=False,
    )
    if sock is None:
        console.print(
            f"\nTo open it in a browser: COLLAGEN_COACH_HOME={home} collagen-coach serve, "
            f"then sign in with username {demo.username} and password {demo.password}",
            highlight=False,
        )
        return
    console.print(
        f"\nOpen {server.address_of(sock)} in your browser and sign in with\n"
        f"  username: {demo.username}\n  password: {demo.password}\n",
        highlight=False,
    )
    server.serve(sock, say=say_plainly)


def serve_command(
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="The address to serve on: 127.0.0.1 (the default) is this computer only.",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to serve on.")
    ] = 8000,
    threads: Annotated[
        int,
        typer.Option(
            "--threads",
            min=1,
            max=64,
            help=(
                "Requests served at the same time; by default twice this computer's CPUs, "
                f"from {THREADS_FLOOR} to {THREADS_CEILING}."
            ),
        ),
    ] = DEFAULT_THREADS,
    worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Run a photo-analysis worker beside the server (default), or none.",
        ),
    ] = True,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help=(
                "Also serve over HTTPS on this computer's home-network addresses, for a phone "
                "(a certificate is made once; the steps to trust it are shown)."
            ),
        ),
    ] = False,
    lan_address: Annotated[
        list[str] | None,
        typer.Option(
            "--lan-address",
            hidden=True,
            help="For tests: serve --lan on this address instead of those found.",
        ),
    ] = None,
) -> None:
    """Serve the web app until Ctrl-C, with a photo-analysis worker beside it.

    The database is brought up to date first. Your data folder, or DATABASE_URL if set.
    """
    from collagen_coach.web import server

    if lan or lan_address:
        if host is not None:
            raise UserError("--host", "cannot be given with --lan", "--lan alone, or --host alone")
        home_network.serve_on_home_network(port, threads, worker, lan_address or None)
        return
    sock = server.bind(host or server.DEFAULT_HOST, port)
    open_store()
    server.serve(sock, threads=threads, worker=worker, say=say_plainly)


def worker_command(
    once: Annotated[
        bool, typer.Option("--once", help="Analyse the photos waiting, then stop.")
    ] = False,
    stop_with: Annotated[
        int | None,
        typer.Option("--stop-with", hidden=True, help="Stop when this process is gone."),
    ] = None,
) -> None:
    """Analyse uploaded photos as they come (the server starts one of these itself)."""
    open_store()
    if stop_with is not None:
        from collagen_coach.web.server import stop_with_parent

        stop_with_parent(stop_with)
    from collagen_coach.web.operations.heartbeat import Heartbeat
    from collagen_coach.web.photos.worker import run_worker

    # Ctrl-C is a normal way to stop a worker started by hand. The heartbeat tells the health
    # answer (/health/) that a worker is alive, from whichever host it runs on.
    with contextlib.suppress(KeyboardInterrupt), Heartbeat():
        run_worker(stop_when_idle=once)
