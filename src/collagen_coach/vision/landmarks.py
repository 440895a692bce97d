"""Face landmarks: MediaPipe FaceMesh's 478 points for every face in a photo, largest first.

FaceMesh (Kartynnik et al. 2019, "Real-time Facial Surface Geometry from Monocular Video on
Mobile GPUs", arXiv:1907.06724; with ``refine_landmarks`` the iris model of Ablavatski et al.
2020, arXiv:2006.11341) ships inside the mediapipe 0.10.21 wheel and runs offline. It looks at
the face through a 192 × 192 crop, so running it on more than about a thousand pixels gains
nothing: photos are searched on a copy whose long side is ``detect_long_side_px`` and the points
are mapped back to the photo's own pixels.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import FaceLandmarks

LANDMARK_COUNT = 478  # 468 mesh points + 2 × 5 iris points (refine_landmarks=True)


@dataclass
class _Mesh:
    graph: Any  # mediapipe's FaceMesh (untyped)
    lock: threading.Lock
    # MediaPipe's C++ graph writes its start-up notices (TensorFlow Lite delegate, absl's "log
    # messages before InitializeLog", feedback tensors, NORM_RECT projection) straight to file
    # descriptor 2, ignoring Python's logging and the GLOG/TF environment variables. They come
    # while the graph is built and the first time it finds each number of faces (one landmark
    # model per face slot), then never again: until then, calls run with stderr silenced. (A
    # process that never meets a photo with ``max_faces`` faces keeps silencing each call, for
    # the ~10 ms it runs; what another thread writes to stderr in that moment is lost.)
    most_faces_seen: int = 0


# One FaceMesh graph per face count, built on first use and shared by every call in the process.
# A graph is not safe to run from two threads at once, hence one lock per graph.
_meshes: dict[int, _Mesh] = {}
_meshes_lock = threading.Lock()


def find_faces(
    rgb: NDArray[np.uint8], *, max_faces: int = 2, detect_long_side_px: int = 1024
) -> list[FaceLandmarks]:
    """Give the landmarks of up to ``max_faces`` faces in an RGB photo, the largest face first.

    The search runs on a copy shrunk so that its long side is at most ``detect_long_side_px``
    (never enlarged); the points are given in the pixels of ``rgb`` itself. Points of a face cut
    by the frame may lie outside the photo. An empty list means no face was found.
    """
    image = _as_rgb(rgb)
    height, width = image.shape[:2]
    if max_faces < 1:
        raise ValueError(f"max_faces must be at least 1, not {max_faces}")
    if detect_long_side_px < 64:
        raise ValueError(f"detect_long_side_px must be at least 64, not {detect_long_side_px}")
    scale = min(1.0, detect_long_side_px / max(height, width))
    if scale < 1.0:
        small_size = (max(1, round(width * scale)), max(1, round(height * scale)))
        image = np.asarray(
            cv2.resize(image, small_size, interpolation=cv2.INTER_AREA), dtype=np.uint8
        )
    mesh = _face_mesh(max_faces)
    with mesh.lock:
        if mesh.most_faces_seen >= max_faces:
            result = mesh.graph.process(np.ascontiguousarray(image))
        else:
            with _stderr_silenced():
                result = mesh.graph.process(np.ascontiguousarray(image))
        found = result.multi_face_landmarks or []
        mesh.most_faces_seen = max(mesh.most_faces_seen, len(found))
    faces = []
    for face in found:
        normalised = np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=np.float64)
        if normalised.shape != (LANDMARK_COUNT, 3):
            continue
        # Normalised coordinates are fractions of the image's width and height, so they map onto
        # the full-resolution photo directly; MediaPipe's depth is on the scale of x.
        points = normalised * np.array([width, height, width], dtype=np.float64)
        faces.append(FaceLandmarks(points=points, image_size=(width, height)))
    faces.sort(key=_face_area, reverse=True)
    return faces


@dataclass(frozen=True)
class FaceBox:
    """A face the detector found, without landmarks: its box and eye centres, in photo pixels."""

    box: tuple[float, float, float, float]  # x0, y0, x1, y1
    eyes: tuple[tuple[float, float], tuple[float, float]]

    @property
    def ipd_px(self) -> float:
        """Give the distance between the eye centres in pixels (a rough inter-pupillary one)."""
        (x0, y0), (x1, y1) = self.eyes
        return float(np.hypot(x1 - x0, y1 - y0))


# Tilings the face detector looks through when FaceMesh finds nothing: the whole photo, then
# 2 × 2 and 3 × 3 overlapping tiles, each half again as wide as its share of the photo.
_TILINGS = (1, 2, 3)
_TILE_OVERLAP = 1.5
# Two boxes overlapping by more than this (intersection over union) are one face seen twice.
_SAME_FACE_IOU = 0.3


def find_face_boxes(
    rgb: NDArray[np.uint8], *, tilings: tuple[int, ...] = _TILINGS
) -> list[FaceBox]:
    """Give every face BlazeFace's full-range model finds, small ones too, largest first.

    ``find_faces`` gives landmarks only for faces large enough in the frame for FaceMesh's
    short-range detector (Bazarevsky et al. 2019, "BlazeFace: Sub-millisecond Neural Face
    Detection on Mobile GPUs", arXiv:1907.05047); this is for telling a photo in which it found
    nothing apart: no face at all, or faces too small. The full-range model sees the photo
    through a 192 × 192 input, so the photo is also searched in overlapping tiles, and boxes
    found in several tiles are merged. ``tilings`` are the n × n tilings searched (1: the whole
    photo only, one run of the model).
    """
    image = _as_rgb(rgb)
    height, width = image.shape[:2]
    found: list[FaceBox] = []
    detector = _face_detector()
    for count in tilings:
        tile_w = min(width, math.ceil(width / count * _TILE_OVERLAP)) if count > 1 else width
        tile_h = min(height, math.ceil(height / count * _TILE_OVERLAP)) if count > 1 else height
        for row in range(count):
            for column in range(count):
                x = 0 if count == 1 else round(column * (width - tile_w) / (count - 1))
                y = 0 if count == 1 else round(row * (height - tile_h) / (count - 1))
                tile = np.ascontiguousarray(image[y : y + tile_h, x : x + tile_w])
                with detector.lock:
                    if detector.most_faces_seen:
                        result = detector.graph.process(tile)
                    else:  # its first run creates the model's delegate, which says so
                        with _stderr_silenced():
                            result = detector.graph.process(tile)
                        detector.most_faces_seen = 1
                for detection in result.detections or []:
                    found.append(_box_in_photo(detection, x, y, tile_w, tile_h))
    found.sort(key=lambda face: _box_area(face.box), reverse=True)
    merged: list[FaceBox] = []
    for face in found:
        if all(_overlap(face.box, kept.box) <= _SAME_FACE_IOU for kept in merged):
            merged.append(face)
    return merged


def _box_in_photo(detection: Any, x: int, y: int, tile_w: int, tile_h: int) -> FaceBox:
    relative = detection.location_data.relative_bounding_box
    right_eye, left_eye = detection.location_data.relative_keypoints[:2]
    return FaceBox(
        box=(
            x + relative.xmin * tile_w,
            y + relative.ymin * tile_h,
            x + (relative.xmin + relative.width) * tile_w,
            y + (relative.ymin + relative.height) * tile_h,
        ),
        eyes=(
            (x + right_eye.x * tile_w, y + right_eye.y * tile_h),
            (x + left_eye.x * tile_w, y + left_eye.y * tile_h),
        ),
    )


def _box_area(box: tuple[float, float, float, float]) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    meet = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    shared = _box_area(meet)
    return shared / max(_box_area(a) + _box_area(b) - shared, 1e-9)


_detector: _Mesh | None = None


def _face_detector() -> _Mesh:
    global _detector
    with _meshes_lock:
        if _detector is None:
            with _stderr_silenced():
                from mediapipe.python.solutions import face_detection

                graph = face_detection.FaceDetection(
                    model_selection=1, min_detection_confidence=0.5
                )
            _detector = _Mesh(graph=graph, lock=threading.Lock())
        return _detector


def _face_area(face: FaceLandmarks) -> float:
    extent = face.points[:, :2].max(axis=0) - face.points[:, :2].min(axis=0)
    return float(extent[0] * extent[1])


def _as_rgb(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    if rgb.dtype != np.uint8:
        raise ValueError(f"expected an 8-bit image, got dtype {rgb.dtype}")
    if rgb.ndim == 2:
        return np.repeat(rgb[:, :, None], 3, axis=2)
    if rgb.ndim == 3 and rgb.shape[2] == 3:
        return rgb
    if rgb.ndim == 3 and rgb.shape[2] == 4:
        return np.ascontiguousarray(rgb[:, :, :3])
    raise ValueError(f"expected an RGB image of shape (height, width, 3), got {rgb.shape}")


def _face_mesh(max_faces: int) -> _Mesh:
    with _meshes_lock:
        if max_faces not in _meshes:
            with _stderr_silenced():
                from mediapipe.python.solutions import face_mesh

                graph = face_mesh.FaceMesh(
                    static_image_mode=True,
                    refine_landmarks=True,
                    max_num_faces=max_faces,
                    min_detection_confidence=0.5,
                )
            _meshes[max_faces] = _Mesh(graph=graph, lock=threading.Lock())
        return _meshes[max_faces]


# File descriptor 2 is one for the whole process: threads that silence it at once share one
# silence, begun by the first and ended by the last (else one could restore it while another's
# graph still writes, or leave it silenced for good).
_silence_lock = threading.Lock()
_silence_depth = 0
_saved_stderr: int | None = None


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to the null device for the duration (MediaPipe's start-up only)."""
    global _silence_depth, _saved_stderr
    with _silence_lock:
        if _silence_depth == 0:
            try:
                _saved_stderr = os.dup(2)
            except OSError:  # no stderr at all: nothing to silence
                _saved_stderr = None
            else:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 2)
                os.close(null)
        _silence_depth += 1
    try:
        yield
    finally:
        with _silence_lock:
            _silence_depth -= 1
            if _silence_depth == 0 and _saved_stderr is not None:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)
                _saved_stderr = None
