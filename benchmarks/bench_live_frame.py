"""Benchmark: advising on one live camera frame vs. the floor of finding the face landmarks in
the same frame alone, on one core.

The frame is a real face (tests/fixtures/faces/biden2.jpg, a close-up) placed on a grey 4:3
canvas, shrunk to 640 × 480 and saved as a JPEG of quality 85, as the browser sends it; the
camera is 1280 × 960. Two frames are timed: one the coach judges ready (every check runs, the
comparison with a baseline included) and the photo as it is (refused at the light check, the
first one that fails: the subject is lit from one side).

- **Work**: ``advise_frame`` on the JPEG's bytes: decoding it, the landmarks, pose, light and
  expression checks (and, with a baseline, the comparison with it).
- **Floor**: ``find_faces`` on the same frame already decoded — the least any advice must do.

Budget: advise_frame within 40 ms of one core per 640 × 480 frame.

Run: .venv/bin/python benchmarks/bench_live_frame.py
"""

from __future__ import annotations

import os

# One core: the numerical libraries read these at import.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import io  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from functools import partial  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from bench_analyze import timed  # noqa: E402
from numpy.typing import NDArray  # noqa: E402
from PIL import Image  # noqa: E402

from collagen_coach.vision.analysis import analyse_photo  # noqa: E402
from collagen_coach.vision.landmarks import find_faces  # noqa: E402
from collagen_coach.vision.live import advise_frame  # noqa: E402
from collagen_coach.vision.load import load_photo  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "faces" / "biden2.jpg"
CAMERA = (1280, 960)
FRAME_WIDTH = 640
REPEATS = 50


def on_canvas(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Give the square photo centred on a grey 4:3 canvas as tall as it."""
    height, width = rgb.shape[:2]
    canvas = np.full((height, height * 4 // 3, 3), 128, dtype=np.uint8)
    left = (canvas.shape[1] - width) // 2
    canvas[:, left : left + width] = rgb
    return canvas


def jpeg(rgb: NDArray[np.uint8], width: int, quality: int = 85) -> bytes:
    height = round(rgb.shape[0] * width / rgb.shape[1])
    small = Image.fromarray(rgb).resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def cpu_median(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    """Give the median CPU time of ``fn`` in seconds, every thread of the process counted
    (MediaPipe runs its graph in threads of its own): what a shared machine's load leaves alone."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    cv2.setNumThreads(1)
    # The evenly lit, lips-closed photo the pair comparison's tests make (tests/vision).
    sys.path.insert(0, str(ROOT / "tests" / "vision"))
    from test_compare import fill_light, lips_closed

    photo = np.asarray(Image.open(FIXTURE).convert("RGB"))
    face = find_faces(photo)[0]
    standard = on_canvas(fill_light(lips_closed(photo, face, lift=0.09), face, gain=1.0))
    as_taken = on_canvas(photo)
    full = io.BytesIO()
    Image.fromarray(np.asarray(cv2.resize(standard, CAMERA, interpolation=cv2.INTER_AREA))).save(
        full, format="PNG"
    )
    baseline = analyse_photo(full.getvalue()).look
    assert baseline is not None, "the benchmark's baseline photo must show a face"

    for label, rgb, with_baseline in (
        ("ready, with a baseline", standard, True),
        ("ready, no baseline", standard, False),
        ("as taken (uneven light)", as_taken, False),
    ):
        frame = jpeg(rgb, FRAME_WIDTH)
        decoded = load_photo(frame, want_long_side_px=None).rgb
        chosen = baseline if with_baseline else None
        advice = advise_frame(frame, camera_size=CAMERA, baseline=chosen)
        floor = partial(find_faces, decoded)
        work = partial(advise_frame, frame, camera_size=CAMERA, baseline=chosen)
        floor_best, _ = timed(floor, REPEATS)
        work_best, _ = timed(work, REPEATS)
        floor_cpu, work_cpu = cpu_median(floor), cpu_median(work)
        print(
            f"{label} [{advice.check or 'ready'}]: floor (find_faces) {floor_best * 1000:.1f} ms "
            f"(CPU {floor_cpu * 1000:.1f}) | advise_frame {work_best * 1000:.1f} ms "
            f"(CPU {work_cpu * 1000:.1f}) | ratio {work_best / floor_best:.2f}× "
            f"(CPU {work_cpu / floor_cpu:.2f}×)"
        )
    print(
        f"frame {FRAME_WIDTH} × {FRAME_WIDTH * 3 // 4} JPEG, camera {CAMERA[0]} × {CAMERA[1]}; "
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}; wall: best of {REPEATS}, "
        f"CPU: median of {REPEATS}"
    )


if __name__ == "__main__":
    main()
