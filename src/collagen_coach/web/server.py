"""Serving the web app: waitress on a port of this computer, and a photo-analysis worker beside it.

waitress is a production-grade WSGI server in pure Python, so the same command runs on Linux,
macOS and Windows; static files come from WhiteNoise inside the app. Photo analysis runs in a
separate process (``collagen-coach worker``), kept running for as long as the server runs and
stopped with it.

On the home network (``serve --lan``) the app is served over HTTPS, which waitress does not
speak: cheroot (CherryPy's threaded WSGI server, also pure Python) serves every address then,
HTTPS on the home-network ones and plain HTTP on this computer's own, with the same threads,
the same worker beside it and the same graceful stop.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from collagen_coach.core.errors import UserError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# Requests served at once, by default twice the CPUs within these bounds (see below why).
THREADS_FLOOR = 4
THREADS_CEILING = 32


def threads_for_this_machine(cpus: int | None = None) -> int:
    """Give how many requests to serve at once on this machine: twice its CPUs (those this
    process may use), at least 4 and at most 32.

    A request spends much of its time waiting on the database or the disk, when its thread
    holds no CPU, so two threads a CPU keep the CPUs busy. 4 is enough for one person on a
    laptop; beyond 32, Python's one interpreter lock leaves extra threads idle while each holds
    a database connection (PostgreSQL allows 100 by default, shared by every process).
    """
    if cpus is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - macOS and Windows have no CPU affinity
            cpus = os.cpu_count() or 1
    return min(max(2 * cpus, THREADS_FLOOR), THREADS_CEILING)


DEFAULT_THREADS = threads_for_this_machine()
# Open connections waitress keeps at once (its default is 100): a browser holds a connection open
# between pages, so at 100 the 101st person would wait, unanswered, until someone left. 500
# stays well under the usual limit of 1024 open files a process.
CONNECTION_LIMIT = 500
# How long a stopping worker may take to finish the photo in hand before it is killed.
WORKER_STOP_S = 15.0
# A worker that dies is started again after a pause that doubles (up to the maximum) while it
# keeps dying quickly, so a broken set-up does not spin; one that ran a while restarts at once.
RESTART_PAUSE_S = 1.0
RESTART_PAUSE_MAX_S = 30.0
RAN_A_WHILE_S = 60.0

Say = Callable[[str], None]


def bind(host: str, port: int) -> socket.socket:
    """Give a socket bound to ``host``:``port``, or raise a UserError naming what is wrong.

    Binding comes first, before any data is prepared, so a port already in use is said at once
    and changes nothing.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise UserError("--host", f"{host!r} is not an address of this computer ({exc})") from None
    sock = socket.socket(family, kind, proto)
    if sys.platform == "win32":  # pragma: no cover - Windows only
        # Windows' SO_REUSEADDR would let a second server take over the port; this forbids it.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)  # type: ignore[attr-defined]
    else:
        # A restarted server can use the port again at once (no wait for old connections).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE or getattr(exc, "winerror", None) == 10048:
            raise UserError(
                "--port",
                f"port {port} is already in use on {host} (is collagen-coach already running?)",
                "a free port, e.g. --port " + str(port + 1 if port < 65535 else 8001),
            ) from None
        if exc.errno == errno.EACCES:
            raise UserError(
                "--port", f"port {port} needs administrator rights", "a port from 1024 to 65535"
            ) from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UserError("--host", f"{host!r} is not an address of this computer") from None
        raise UserError("--port", f"cannot listen on {host}:{port} ({exc.strerror})") from None
    return sock


def address_of(sock: socket.socket, scheme: str = "http") -> str:
    """Give the address a browser opens for the app listening on ``sock``."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"  # listening everywhere: this computer answers on its own address too
    if ":" in host:
        host = f"[{host}]"
    if (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}/"
    return f"{scheme}://{host}:{port}/"


@dataclass(frozen=True)
class Tls:
    """The certificate (followed by its chain) and key that HTTPS is served with."""

    certificate: Path
    key: Path


def worker_command() -> list[str]:
    """Give the command line that starts one photo-analysis worker, watching this process."""
    return [
        sys.executable,
        "-m",
        "collagen_coach.cli",
        "worker",
        "--stop-with",
        str(os.getpid()),
    ]


class WorkerKeeper:
    """Keeps one photo-analysis worker process running until :meth:`stop` is called."""

    def __init__(self, command: list[str], say: Say) -> None:
        self.command = command
        self.say = say
        self.process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._keep, name="worker-keeper", daemon=True)

    def start(self) -> None:
        """Start the worker, and a thread that starts it again whenever it stops by itself."""
        self._start_process(again=False)
        self._thread.start()

    def _start_process(self, *, again: bool) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            # A session of its own: Ctrl-C in the terminal reaches the server alone, which then
            # asks the worker once to stop (a second signal would cut its photo short).
            if sys.platform == "win32":  # pragma: no cover - Windows only
                self.process = subprocess.Popen(
                    self.command, creationflags=subprocess.CREATE_NEW_PROCESS_GROUP
                )
            else:
                self.process = subprocess.Popen(self.command, start_new_session=True)
            verb = "started again" if again else "started"
            self.say(f"Photo analysis: worker {verb} (process {self.process.pid}).")

    def _keep(self) -> None:
        pause = RESTART_PAUSE_S
        while not self._stopping.is_set():
            process = self.process
            assert process is not None
            started = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= RAN_A_WHILE_S:
                pause = RESTART_PAUSE_S
            self.say(
                f"Photo analysis: the worker stopped (exit code {code}); "
                f"starting it again in {pause:.0f} s."
            )
            if self._stopping.wait(pause):
                return
            pause = min(pause * 2, RESTART_PAUSE_MAX_S)
            self._start_process(again=True)

    def stop(self) -> None:
        """Stop the worker: ask it to finish (SIGTERM), then end it if it takes too long."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(WORKER_STOP_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM (a service manager's "stop") and SIGHUP (the terminal closed)
    stop the server as Ctrl-C does."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    taken = [signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):
        taken.append(signal.SIGHUP)
    previous = {number: signal.signal(number, interrupt) for number in taken}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def serve(
    sock: socket.socket,
    *,
    threads: int = DEFAULT_THREADS,
    worker: bool = True,
    say: Say = print,
    https: Sequence[socket.socket] = (),
    tls: Tls | None = None,
) -> None:
    """Serve the web app on the bound socket ``sock`` until Ctrl-C or SIGTERM, with a worker,
    and over HTTPS with ``tls`` on the bound sockets ``https``, if any.

    The store must be open (Django configured, database migrated). Returns once everything it
    started has stopped.
    """
    import logging
    import warnings

    from waitress.server import create_server

    # Static files come from the package through WhiteNoise's finders; STATIC_ROOT (where
    # collectstatic would copy them) stays empty, which WhiteNoise would warn about on every start.
    warnings.filterwarnings("ignore", message="No directory at")
    from django.urls import get_resolver

    # Imported once the store is open: the WSGI application sets Django up as it loads.
    from collagen_coach.web.memory import give_large_blocks_back_when_freed
    from collagen_coach.web.upload_folder import start_with_clean_upload_folder
    from collagen_coach.web.wsgi import application

    start_with_clean_upload_folder()
    give_large_blocks_back_when_freed()

    # Load every page's code now, so that the first person to open the app does not wait for it.
    get_resolver().url_patterns  # noqa: B018

    logging.basicConfig(format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    # "Task queue depth is 1": a request waited a moment for a free thread; nothing to act on.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server: Any
    if https:
        if tls is None:
            raise ValueError("HTTPS needs a certificate and its key")
        server = _CherootServers(application, sock, https, tls, threads)
    else:
        server = create_server(
            application,
            sockets=[sock],
            threads=threads,
            ident="collagen-coach",
            connection_limit=CONNECTION_LIMIT,
        )
    keeper = WorkerKeeper(worker_command(), say) if worker else None
    with stop_on_sigterm():
        try:
            if keeper is not None:
                keeper.start()
            else:
                say("Photo analysis: no worker (--no-worker); uploaded photos wait to be analysed.")
            say(f"Serving up to {threads} requests at a time (--threads).")
            say(f"collagen-coach is running at {address_of(sock)}  (Ctrl-C stops it)")
            for each in https:
                say(f"and on your home network at {address_of(each, 'https')}")
            server.run()  # returns on KeyboardInterrupt (Ctrl-C, or SIGTERM above)
        except KeyboardInterrupt:
            pass
        finally:
            say("Stopping…")
            if keeper is not None:
                keeper.stop()
            server.close()
            sock.close()
            for each in https:
                each.close()
    say("Stopped.")


class _CherootServers:
    """cheroot servers on bound sockets, plain HTTP on ``plain`` and HTTPS on ``https``, run
    and closed together as one waitress server is."""

    def __init__(
        self,
        application: Any,
        plain: socket.socket,
        https: Sequence[socket.socket],
        tls: Tls,
        threads: int,
    ) -> None:
        from cheroot.ssl.builtin import BuiltinSSLAdapter

        adapter = BuiltinSSLAdapter(str(tls.certificate), str(tls.key))
        # Phones and browsers of the last years speak TLS 1.2 at least; nothing older is offered.
        adapter.context.minimum_version = ssl.TLSVersion.TLSv1_2
        self.servers = [_on_socket(plain, application, threads, None)]
        self.servers += [_on_socket(each, application, threads, adapter) for each in https]
        self._threads: list[threading.Thread] = []

    def run(self) -> None:
        """Serve until Ctrl-C (or SIGTERM, made one by :func:`stop_on_sigterm`)."""
        for server in self.servers:
            server.prepare()
        for server in self.servers:
            thread = threading.Thread(target=server.serve, name="https", daemon=True)
            thread.start()
            self._threads.append(thread)
        threading.Event().wait()  # until KeyboardInterrupt

    def close(self) -> None:
        """Stop taking connections, let the requests in hand finish, then stop."""
        for server in self.servers:
            server.stop()
        for thread in self._threads:
            thread.join()


def _on_socket(sock: socket.socket, application: Any, threads: int, adapter: Any) -> Any:
    """Give a cheroot WSGI server that serves on the already bound ``sock``."""
    from cheroot import wsgi

    class Server(wsgi.Server):
        def bind(self, family: int, type: int, proto: int = 0) -> socket.socket:
            # The socket was bound before the data was prepared (a port in use is said first).
            self.socket = sock
            self.bind_addr = sock.getsockname()[:2]
            return sock

    server = Server(
        sock.getsockname()[:2],
        application,
        numthreads=threads,
        server_name="collagen-coach",
        request_queue_size=CONNECTION_LIMIT,
    )
    server.ssl_adapter = adapter
    # waitress's limits, which cheroot leaves unbounded: a request's headers and its body.
    server.max_request_header_size = 256 * 1024
    server.max_request_body_size = 1024 * 1024 * 1024
    return server


def stop_with_parent(parent_pid: int, interval_s: float = 2.0) -> None:
    """Watch, in the background, that the process ``parent_pid`` still runs this one; when it is
    gone (killed without stopping its worker), stop this process as SIGTERM does."""

    def watch() -> None:
        while True:
            time.sleep(interval_s)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
