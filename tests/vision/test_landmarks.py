"""Face landmarks: FaceMesh finds the faces in real photos, and only faces, at any resolution."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image
from skimage import data

from collagen_coach.vision.face import FaceLandmarks
from collagen_coach.vision.landmarks import LANDMARK_COUNT, find_faces

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"


def photo(name: str) -> NDArray[np.uint8]:
    if name == "astronaut":
        return np.asarray(data.astronaut())
    return np.asarray(Image.open(FACES / name).convert("RGB"))


@pytest.fixture(scope="module")
def found() -> dict[str, list[FaceLandmarks]]:
    names = ["astronaut", "obama.jpg", "two_people.jpg", "obama-1080p.jpg", "obama-480p.jpg"]
    return {name: find_faces(photo(name)) for name in names}


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg"])
def test_finds_the_one_face_in_a_portrait(found: dict[str, list[FaceLandmarks]], name: str) -> None:
    assert len(found[name]) == 1
    assert found[name][0].points.shape == (LANDMARK_COUNT, 3)


def test_finds_both_faces_in_a_photo_of_two_people_largest_first(
    found: dict[str, list[FaceLandmarks]],
) -> None:
    faces = found["two_people.jpg"]
    assert len(faces) == 2
    areas = [np.ptp(f.points[:, 0]) * np.ptp(f.points[:, 1]) for f in faces]
    assert areas[0] >= areas[1]


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.full((480, 640, 3), 128, dtype=np.uint8), id="plain-grey"),
        pytest.param(
            np.random.default_rng(3).integers(0, 256, (480, 640, 3), dtype=np.uint8), id="noise"
        ),
    ],
)
def test_finds_no_face_where_there_is_none(image: NDArray[np.uint8]) -> None:
    assert find_faces(image) == []


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg", "two_people.jpg", "obama-1080p.jpg"])
def test_points_of_a_face_within_the_frame_lie_inside_the_photo(
    found: dict[str, list[FaceLandmarks]], name: str
) -> None:
    height, width = photo(name).shape[:2]
    for face in found[name]:
        assert face.image_size == (width, height)
        x, y = face.points[:, 0], face.points[:, 1]
        assert ((x >= 0) & (x < width)).all()
        assert ((y >= 0) & (y < height)).all()


def test_a_face_cut_by_the_frame_has_points_beyond_it() -> None:
    # The photo shows the right part of the face only: the mesh goes on past the left edge.
    faces = find_faces(photo("obama_partial_face.jpg"))
    assert len(faces) == 1
    assert faces[0].points[:, 0].min() < 0


def test_the_same_face_at_1080p_and_480p_gives_the_same_points(
    found: dict[str, list[FaceLandmarks]],
) -> None:
    # Measured: median 0.007, largest 0.023 inter-pupillary distances (IPD) between the two, in
    # the 1080p photo's pixels. Tolerance: median 0.015, every point 0.04 IPD (≈ 2.5 mm).
    high, low = found["obama-1080p.jpg"][0], found["obama-480p.jpg"][0]
    scale = high.image_size[0] / low.image_size[0]
    distance = np.linalg.norm(high.points[:, :2] - low.points[:, :2] * scale, axis=1) / high.ipd_px
    assert np.median(distance) < 0.015
    assert distance.max() < 0.04
    assert low.ipd_px * scale == pytest.approx(high.ipd_px, rel=0.02)


def test_points_are_mapped_back_to_the_full_resolution_photo(
    found: dict[str, list[FaceLandmarks]],
) -> None:
    # 1920 px wide: searched on a 1024-px copy by default, on the photo itself with 2048. The
    # two differ by the model's own jitter only (measured: median 0.011, largest 0.030 IPD).
    image = photo("obama-1080p.jpg")
    shrunk = found["obama-1080p.jpg"][0]
    full = find_faces(image, detect_long_side_px=2048)[0]
    distance = np.linalg.norm(shrunk.points[:, :2] - full.points[:, :2], axis=1) / full.ipd_px
    assert np.median(distance) < 0.02
    assert distance.max() < 0.05


def test_a_grey_or_rgba_photo_is_searched_like_rgb(found: dict[str, list[FaceLandmarks]]) -> None:
    rgb = photo("obama.jpg")
    rgba = np.dstack([rgb, np.full(rgb.shape[:2], 255, dtype=np.uint8)])
    same = find_faces(rgba)[0]
    assert np.allclose(same.points, found["obama.jpg"][0].points)
    grey = np.asarray(Image.fromarray(rgb).convert("L"))
    assert len(find_faces(grey)) == 1


def test_rejects_an_image_that_is_not_8_bit() -> None:
    with pytest.raises(ValueError, match="8-bit"):
        find_faces(np.zeros((64, 64, 3), dtype=np.float32))  # type: ignore[arg-type]


def stderr_of(script: str) -> str:
    """Give what ``script``, run in a new Python, wrote to stderr (it must succeed)."""
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_searching_writes_nothing_to_stderr() -> None:
    # MediaPipe's native start-up notices would otherwise land on the terminal of every CLI run.
    script = (
        "import numpy as np\n"
        "from skimage import data\n"
        "from collagen_coach.vision.landmarks import find_faces\n"
        "assert len(find_faces(data.astronaut())) == 1\n"
        "assert find_faces(np.zeros((64, 64, 3), np.uint8)) == []\n"
    )
    assert stderr_of(script) == ""


def test_threads_silencing_stderr_at_once_share_one_silence_and_restore_it() -> None:
    # Two threads' silences overlap (a begins, b begins, a ends, b writes, b ends): what b
    # writes inside is lost, and what is written after both is seen.
    script = (
        "import os, threading\n"
        "from collagen_coach.vision.landmarks import _stderr_silenced\n"
        "a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()\n"
        "def a():\n"
        "    with _stderr_silenced():\n"
        "        a_in.set(); b_in.wait()\n"
        "    a_out.set()\n"
        "def b():\n"
        "    a_in.wait()\n"
        "    with _stderr_silenced():\n"
        "        b_in.set(); a_out.wait(); os.write(2, b'b inside\\n')\n"
        "threads = [threading.Thread(target=a), threading.Thread(target=b)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "os.write(2, b'after both\\n')\n"
    )
    assert stderr_of(script) == "after both\n"
