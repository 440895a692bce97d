"""Benchmark: analysing a 12-megapixel phone photo vs. the floor of decoding it and finding the
face landmarks alone, on one core; and batch throughput with 1 and 2 worker processes.

The photo is a real face (tests/fixtures/faces/biden2.jpg, a close-up) enlarged to 4032 × 3024
and saved as a JPEG of quality 90, as a phone would.

Batch throughput is timed on a started pool whose workers have each analysed one photo: starting
a worker (spawning Python, importing OpenCV and MediaPipe, building the face model) is a one-off
of a second or two per batch, reported apart, and each worker's first photo also pays for the
memory its process touches for the first time. Each worker runs OpenCV on one thread, like the
single-photo figures, so that two workers on two cores do not compete for them.

Run: .venv/bin/python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import os

# One core for the single-photo figures: the numerical libraries read these at import.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import multiprocessing  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from multiprocessing.synchronize import Barrier  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from collagen_coach.vision.analysis import analyse_photo  # noqa: E402
from collagen_coach.vision.landmarks import find_faces  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "faces" / "biden2.jpg"
PHONE_SIZE = (4032, 3024)
REPEATS = 5
BATCH = 16


def make_phone_photo(folder: Path) -> Path:
    """Give a 12-MP JPEG of a real face, framed like a selfie (face in the middle)."""
    face = Image.open(FIXTURE).convert("RGB")
    height = PHONE_SIZE[1]
    face = face.resize((height, height), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", PHONE_SIZE, (128, 128, 128))
    canvas.paste(face, ((PHONE_SIZE[0] - height) // 2, 0))
    path = folder / "phone-12mp.jpg"
    canvas.save(path, quality=90)
    return path


def timed(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float, float]:
    """Give the fastest and the median wall time of ``fn`` in seconds (after one warm-up), and
    the least processor time of this process (every thread) that one call took.

    The processor time is what to compare on a machine shared with other work, where waiting
    for a core makes the wall time of both the floor and the analysis swing from run to run.
    """
    fn()
    times, processor_times = [], []
    for _ in range(repeats):
        start, start_processor = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        processor_times.append(time.process_time() - start_processor)
    return min(times), statistics.median(times), min(processor_times)


def floor(path: Path) -> None:
    """Decode the whole photo and run the landmark model: the least any analysis must do."""
    rgb = np.asarray(Image.open(path).convert("RGB"))
    assert find_faces(rgb), "the benchmark photo must show a face"


def analyse(path: Path) -> None:
    report = analyse_photo(path)
    assert report.metrics, "the benchmark photo must be measured"


_all_warm: Barrier | None = None  # in a worker: passed once every worker has warmed up


def _start_worker(all_warm: Barrier) -> None:
    global _all_warm
    cv2.setNumThreads(1)
    _all_warm = all_warm


def _analyse_in_worker(path: str) -> bool:
    return bool(analyse_photo(Path(path)).metrics)


def _warm_up(path: str) -> bool:
    measured = _analyse_in_worker(path)
    assert _all_warm is not None
    _all_warm.wait()  # no worker takes a second warm-up photo: each analyses one
    return measured


def batch(paths: list[Path], workers: int) -> tuple[float, float]:
    """Give the seconds to start ``workers`` processes (each analysing one photo to warm up),
    then the seconds to analyse ``paths`` with them."""
    start = time.perf_counter()
    # Spawned, not forked: a fork of a process that has run the face model can deadlock.
    spawn = multiprocessing.get_context("spawn")
    all_warm = spawn.Barrier(workers)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=spawn, initializer=_start_worker, initargs=(all_warm,)
    ) as pool:
        assert all(pool.map(_warm_up, [str(p) for p in paths[:workers]]))
        started = time.perf_counter()
        assert all(pool.map(_analyse_in_worker, [str(p) for p in paths]))
        done = time.perf_counter()
    return started - start, done - started


def main() -> None:
    cv2.setNumThreads(1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        photo = make_phone_photo(folder)
        floor_best, floor_median, floor_processor = timed(lambda: floor(photo))
        full_best, full_median, full_processor = timed(lambda: analyse(photo))
        print(
            f"12 MP JPEG, one core: floor (decode + landmarks) {floor_best * 1000:.0f} ms "
            f"(median {floor_median * 1000:.0f}) | analyze {full_best * 1000:.0f} ms "
            f"(median {full_median * 1000:.0f}) | ratio {full_best / floor_best:.2f}×"
        )
        print(
            f"processor time: floor {floor_processor * 1000:.0f} ms | analyze "
            f"{full_processor * 1000:.0f} ms | ratio {full_processor / floor_processor:.2f}×"
        )
        paths = []
        for i in range(BATCH):
            copy = folder / f"batch-{i}.jpg"
            copy.write_bytes(photo.read_bytes())
            paths.append(copy)
        start_one, one = batch(paths, 1)
        start_two, two = batch(paths, 2)
        print(
            f"batch of {BATCH}: 1 worker {one:.1f} s ({BATCH / one:.2f} photos/s) | 2 workers "
            f"{two:.1f} s ({BATCH / two:.2f} photos/s) | speed-up {one / two:.2f}× "
            f"(starting the pool: {start_one:.1f} s with 1 worker, {start_two:.1f} s with 2)"
        )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, best of {REPEATS}"
    )


if __name__ == "__main__":
    main()
