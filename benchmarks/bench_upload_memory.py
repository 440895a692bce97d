"""Memory of `serve` and its worker while 8 people upload 49-megapixel photos at once.

Starts `collagen-coach serve` (with its worker) on a fresh data folder, makes one account with an
API token, then sends 8 uploads at the same moment through the REST API, for each kind of photo:

- a 49-MP phone JPEG (8064 × 6048, quality 90: the real face of biden2.jpg enlarged and framed
  like a selfie, on a wall with sensor noise, ~13 MB);
- a 49-MP PNG (7000 × 7000, one colour: ~160 kB that decode to 147 MB);
- a 12.6-MP PNG (4096 × 3072, one colour), the largest PNG an upload may be.

It waits until the worker has analysed every accepted photo, and reports each process's peak
resident memory (VmHWM, Linux) and its resident memory at rest before and after.

    .venv/bin/python benchmarks/bench_upload_memory.py
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
FACE = ROOT / "tests" / "fixtures" / "faces" / "biden2.jpg"
CLI = Path(sys.executable).with_name("collagen-coach")
UPLOADS = 8

SETUP = """
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.accounts.services import sign_up
from collagen_coach.web.practice.models import ApiToken
user, client = sign_up("bench", "a long enough password 123")
token, digest = ApiToken.new_token()
ApiToken.objects.create(user=user, name="bench", token_sha256=digest)
print(client.pk, token)
"""


def phone_jpeg() -> bytes:
    """A 49-MP selfie-like JPEG: the test face enlarged into the middle of a plain frame."""
    with Image.open(FACE) as face:
        face_rgb = face.convert("RGB").resize((3600, 3600), Image.Resampling.BICUBIC)
    # A wall behind the face, with a camera's sensor noise (which is what makes phone JPEGs
    # 10-20 MB): σ = 3 levels.
    noise = np.random.default_rng(7).normal(0.0, 3.0, (6048, 8064, 1))
    wall = np.clip(np.array([180.0, 170.0, 160.0]) + noise, 0, 255).astype(np.uint8)
    frame = Image.fromarray(wall)
    del noise, wall
    frame.paste(face_rgb, (2232, 1224))
    out = io.BytesIO()
    frame.save(out, format="JPEG", quality=90)
    return out.getvalue()


def flat_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 170)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def memory_kb(pid: int) -> dict[str, int]:
    """Give VmRSS and VmHWM (peak) of a process, in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def reset_peak(pid: int) -> None:
    """Start the peak (VmHWM) over from the present RSS (Linux ≥ 4.0: write 5 to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def upload(port: int, client_id: int, token: str, name: str, data: bytes) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="taken_on"\r\n\r\n'
            f'2026-11-20\r\n--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/clients/{client_id}/photos",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def photo_status(port: int, token: str, photo_id: int) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/photos/{photo_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return str(json.loads(response.read())["status"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="collagen-coach-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["COLLAGEN_COACH_HOME"] = str(home)
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    )
    client_id_text, token = setup.stdout.split()
    client_id = int(client_id_text)
    port = free_port()
    serve = subprocess.Popen(
        [str(CLI), "serve", "--port", str(port), "--threads", str(UPLOADS)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        time.sleep(3.0)  # let the worker start and settle
        (worker,) = children(serve.pid)
        print(f"at rest: serve {memory_kb(serve.pid)}, worker {memory_kb(worker)}")
        kinds = (
            ("49-MP JPEG", phone_jpeg()),
            ("49-MP PNG", flat_png(7000, 7000)),
            ("12.6-MP PNG", flat_png(4096, 3072)),
        )
        for label, data in kinds:
            for pid in (serve.pid, worker):
                reset_peak(pid)
            results: list[tuple[int, dict]] = []
            names = [f"photo{i}.{label[-3:].lower()}" for i in range(UPLOADS)]
            threads = [
                threading.Thread(
                    target=lambda name=name, data=data, results=results: results.append(
                        upload(port, client_id, token, name, data)
                    )
                )
                for name in names
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            uploaded_s = time.monotonic() - started
            accepted = [body["id"] for status, body in results if status == 202]
            refused = [body.get("message", "") for status, body in results if status != 202]
            while accepted and any(
                photo_status(port, token, pk) in ("queued", "analysing") for pk in accepted
            ):
                time.sleep(0.5)
            analysed_s = time.monotonic() - started
            serve_memory, worker_memory = memory_kb(serve.pid), memory_kb(worker)
            print(
                f"{label} ({len(data) / 1e6:.2f} MB) × {UPLOADS}: {len(accepted)} accepted "
                f"in {uploaded_s:.1f} s, analysed after {analysed_s:.1f} s; "
                f"serve peak {serve_memory['VmHWM'] / 1024:.0f} MB "
                f"(now {serve_memory['VmRSS'] / 1024:.0f} MB), "
                f"worker peak {worker_memory['VmHWM'] / 1024:.0f} MB "
                f"(now {worker_memory['VmRSS'] / 1024:.0f} MB)"
            )
            if refused:
                print(f"  refused {len(refused)}, e.g.: {refused[0]}")
    finally:
        serve.terminate()
        serve.wait(timeout=60)


if __name__ == "__main__":
    main()
