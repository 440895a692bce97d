"""Two photos of one person, weeks apart: aligned to each other, compared zone by zone, or
refused with the reasons when they were not taken alike."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from collagen_coach.vision.align import align_image, alignment_error, alignment_transform
from collagen_coach.vision.analysis import MeasuredFace, PhotoReport, analyse_photo_in_detail
from collagen_coach.vision.limits import value_and_limit
from collagen_coach.vision.look import (
    MAX_DISTANCE_RATIO,
    MAX_LIGHT_DIFFERENCE_L,
    MAX_POSE_DIFFERENCE_DEG,
    face_lightness,
)

# A pair is comparable only when taken alike: the pose, light and distance limits are
# look.py's (one owner for the photo-to-photo limits, shared with the live capture coach).
# Alignment on the landmarks massage does not move, in units of the inter-pupillary distance.
MAX_ALIGNMENT_ERROR_IPD = 0.03


@dataclass
class Comparison:
    """Before and after, their per-zone differences (after − before), and whether they may be
    compared at all."""

    before: PhotoReport
    after: PhotoReport
    comparable: bool
    reasons: list[str]
    deltas: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    alignment_error_ipd: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "before": self.before.file,
            "after": self.after.file,
            "comparable": self.comparable,
            "reasons": self.reasons,
            "alignment_error_ipd": self.alignment_error_ipd,
            "deltas": self.deltas,
            "algorithm": self.before.algorithm,
            "before_report": self.before.as_json(),
            "after_report": self.after.as_json(),
        }


@dataclass(frozen=True)
class ComparedImages:
    """The two normalised faces, the after photo aligned onto the before photo."""

    before: NDArray[np.uint8]
    after: NDArray[np.uint8]


def compare_photos(
    before: Path | bytes, after: Path | bytes, *, names: tuple[str, str] | None = None
) -> tuple[Comparison, ComparedImages | None]:
    """Give the comparison of two photos and, when both show a face, the aligned images."""
    first, first_face = analyse_photo_in_detail(before, name=names[0] if names else None)
    second, second_face = analyse_photo_in_detail(after, name=names[1] if names else None)
    reasons = [f"before: {p.id} ({p.hint})" for p in first.problems]
    reasons += [f"after: {p.id} ({p.hint})" for p in second.problems]
    if first_face is None or second_face is None:
        return Comparison(first, second, comparable=False, reasons=reasons), None
    reasons += _differences(first, second, first_face, second_face)
    try:
        transform = alignment_transform(first_face.face.landmarks, second_face.face.landmarks)
    except ValueError:  # degenerate landmarks: nothing to line up, and nothing to compare
        reasons.append("the faces cannot be lined up: retake both, facing the camera")
        return Comparison(first, second, comparable=False, reasons=reasons), None
    error = alignment_error(first_face.face.landmarks, second_face.face.landmarks, transform)
    if error > MAX_ALIGNMENT_ERROR_IPD:
        shown, allowed = value_and_limit(error, MAX_ALIGNMENT_ERROR_IPD, decimals=3)
        reasons.append(
            f"the faces do not line up (error {shown} of the eye distance, allowed "
            f"{allowed}): same person, same expression?"
        )
    height, width = first_face.face.image.shape[:2]
    images = ComparedImages(
        before=first_face.face.image,
        after=align_image(second_face.face.image, transform, (width, height)),
    )
    comparison = Comparison(
        before=first,
        after=second,
        comparable=not reasons,
        reasons=reasons,
        deltas=_deltas(first, second),
        alignment_error_ipd=round(error, 4),
    )
    return comparison, images


def _differences(
    first: PhotoReport, second: PhotoReport, first_face: MeasuredFace, second_face: MeasuredFace
) -> list[str]:
    reasons: list[str] = []
    if first.pose and second.pose:
        for axis in ("yaw", "pitch", "roll"):
            change = abs(getattr(first.pose, axis) - getattr(second.pose, axis))
            if change > MAX_POSE_DIFFERENCE_DEG:
                shown, allowed = value_and_limit(change, MAX_POSE_DIFFERENCE_DEG)
                reasons.append(
                    f"head {axis} differs by {shown}° (allowed {allowed}°)"
                    ": face the camera the same way in both"
                )
    light = abs(_face_lightness(first) - _face_lightness(second))
    if light > MAX_LIGHT_DIFFERENCE_L:
        shown, allowed = value_and_limit(light, MAX_LIGHT_DIFFERENCE_L)
        reasons.append(
            f"the light differs (mean face L* by {shown}, allowed {allowed})"
            ": same place, same time of day, same lamp"
        )
    # The face's size in the frame (``look.MAX_DISTANCE_RATIO`` says why not in pixels).
    ratio = _face_share(first_face) / _face_share(second_face)
    ratio = max(ratio, 1 / ratio)
    if ratio > MAX_DISTANCE_RATIO:
        shown, allowed = value_and_limit(ratio, MAX_DISTANCE_RATIO, decimals=2)
        reasons.append(
            f"the camera distance differs (face size ×{shown}, allowed ×{allowed})"
            ": hold the camera at the same distance, an arm's length"
        )
    return reasons


def _face_share(measured: MeasuredFace) -> float:
    return measured.face.native_ipd_px / max(measured.photo.original_size)


def _face_lightness(report: PhotoReport) -> float:
    lightness = face_lightness(report.metrics)
    return 0.0 if lightness is None else lightness


def _deltas(first: PhotoReport, second: PhotoReport) -> dict[str, dict[str, dict[str, float]]]:
    deltas: dict[str, dict[str, dict[str, float]]] = {}
    for zone, values in first.metrics.items():
        for metric, value in values.items():
            later = second.metrics.get(zone, {}).get(metric)
            if value is not None and later is not None:
                deltas.setdefault(zone, {}).setdefault("both", {})[metric] = later - value
    for zone, sides in first.metrics_by_side.items():
        for side, values in sides.items():
            for metric, value in values.items():
                later = second.metrics_by_side.get(zone, {}).get(side, {}).get(metric)
                if value is not None and later is not None:
                    deltas.setdefault(zone, {}).setdefault(side, {})[metric] = later - value
    return deltas


def side_by_side(
    images: ComparedImages, labels: tuple[str, str] = ("before", "after")
) -> Image.Image:
    """Give one image with the before face on the left and the aligned after face on the right."""
    height, width = images.before.shape[:2]
    canvas = Image.new("RGB", (width * 2 + 8, height + 28), "white")
    canvas.paste(Image.fromarray(images.before), (0, 28))
    canvas.paste(Image.fromarray(images.after), (width + 8, 28))
    draw = ImageDraw.Draw(canvas)
    draw.text((8, 8), labels[0], fill="black")
    draw.text((width + 16, 8), labels[1], fill="black")
    return canvas


def blink_gif(images: ComparedImages) -> bytes:
    """Give an animated GIF that switches between before and after (changes stand out)."""
    frames = [Image.fromarray(images.before), Image.fromarray(images.after)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=700, loop=0)
    return out.getvalue()


def slider_html(images: ComparedImages, title: str = "Before and after") -> str:
    """Give a self-contained HTML page with a slider that wipes from before to after."""

    def data_url(array: NDArray[np.uint8]) -> str:
        buffer = io.BytesIO()
        Image.fromarray(array).save(buffer, format="JPEG", quality=90)
        return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()

    height, width = images.before.shape[:2]
    title = html.escape(title)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 18px system-ui, sans-serif; margin: 2rem; }}
.frame {{ position: relative; width: {width}px; height: {height}px; }}
.frame img {{ position: absolute; inset: 0; width: {width}px; height: {height}px; }}
#after {{ clip-path: inset(0 0 0 50%); }}
input {{ width: {width}px; }}
</style></head><body>
<h1>{title}</h1>
<p>Drag the slider: left of the line is before, right of it is after (aligned).</p>
<div class="frame"><img alt="before" src="{data_url(images.before)}">
<img id="after" alt="after" src="{data_url(images.after)}"></div>
<input type="range" min="0" max="100" value="50" aria-label="before/after"
 oninput="document.getElementById('after').style.clipPath='inset(0 0 0 '+this.value+'%)'">
</body></html>
"""
