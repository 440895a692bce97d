"""A large photo is decoded whole only at the small size that finds the face; at the size the
measures need, only the face's region is decoded. The normalised face, its valid pixels and so
every measure must be those the whole photo gives: checked here on ``biden2.jpg`` enlarged into
a 3200 × 2400 frame (inter-pupillary distance ≈380 px, so the region is decoded at full size),
turned by EXIF orientation 6 and 8, and with the face near the frame's edge, where part of the
normalised canvas lies outside the photo.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import ExifTags, Image
from test_load import FACES, encoded

from collagen_coach.core.measures import REPEATABLE_MEDIAN, REPEATABLE_P90
from collagen_coach.vision import analysis
from collagen_coach.vision.analysis import analyse_photo_in_detail
from collagen_coach.vision.face import NORMALISED_IPD_PX, FaceLandmarks
from collagen_coach.vision.load import load_photo
from collagen_coach.vision.normalise import normalise_face
from collagen_coach.vision.repeatability import values

FRAME = (3200, 2400)
# Stored turned so that orientation 6 (and 8) puts it back upright.
TURNS = {1: None, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


def framed_photo(left: int, orientation: int) -> bytes:
    """``biden2.jpg`` at 2400 × 2400 with its left edge at ``left`` in a grey 3200 × 2400 frame."""
    frame = Image.new("RGB", FRAME, (128, 128, 128))
    with Image.open(FACES / "biden2.jpg") as face:
        frame.paste(face.convert("RGB").resize((2400, 2400)), (left, 0))
    turn = TURNS[orientation]
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    stored = frame if turn is None else frame.transpose(turn)
    return encoded(stored, "JPEG", quality=90, exif=exif)


@pytest.mark.parametrize("orientation", [1, 6, 8], ids=lambda o: f"orientation-{o}")
@pytest.mark.parametrize("left", [400, -850], ids=["face-in-the-middle", "face-near-the-left-edge"])
def test_the_face_decoded_alone_is_normalised_as_from_the_whole_photo(
    left: int, orientation: int
) -> None:
    data = framed_photo(left, orientation)

    report, measured = analyse_photo_in_detail(data)

    assert measured is not None
    assert measured.photo.decoded_scale == 1.0
    assert measured.photo.original_size == FRAME
    region_height, region_width = measured.photo.rgb.shape[:2]
    assert region_width * region_height < 0.6 * FRAME[0] * FRAME[1]  # a region, not the photo
    whole = load_photo(data, want_long_side_px=None)
    x0, y0 = measured.photo.origin
    np.testing.assert_array_equal(
        measured.photo.rgb, whole.rgb[y0 : y0 + region_height, x0 : x0 + region_width]
    )
    points = measured.landmarks.points.copy()
    points[:, :2] += (x0, y0)
    from_whole = normalise_face(whole.rgb, FaceLandmarks(points=points, image_size=FRAME))
    np.testing.assert_array_equal(measured.face.valid, from_whole.valid)
    difference = np.abs(measured.face.image.astype(int) - from_whole.image.astype(int))
    assert difference.max() <= 1  # the same resampling; at most a last-bit rounding apart
    if left < 0:
        assert not measured.face.valid.all()  # the canvas does reach past the photo's edge
    assert report.metrics


def test_the_look_s_outline_is_where_the_face_lies_in_the_whole_photo() -> None:
    """The outline a later photo is framed by (the capture coach draws it) is in fractions of the
    whole photo, not of the region decoded: the face at 400 px of the 3200 px frame lies there."""
    report, measured = analyse_photo_in_detail(framed_photo(400, 1))
    assert measured is not None
    assert measured.photo.origin != (0, 0)
    assert report.look is not None
    xs = [x for x, _ in report.look.outline]
    # biden2's face spans about 25–75 % of its 2400 px square, pasted at 400 of 3200 px.
    assert 0.125 + 0.15 < min(xs) < max(xs) < 0.125 + 0.75 * 0.75 + 0.05
    assert 0.30 < sum(xs) / len(xs) < 0.60


def test_a_close_up_is_decoded_at_half_size_and_measures_as_decoded_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 12-MP close-up (eyes ≈480 px apart) keeps 240 px at half size, above
    ``MIN_DECODED_IPD_PX``: its small decode serves for the measures too. Every measure moves
    from the full-size decode by less than two photos of the same face may differ (the
    repeatability requirement, ``core.measures``), in every zone and side."""
    frame = Image.new("RGB", (4032, 3024), (128, 128, 128))
    with Image.open(FACES / "biden2.jpg") as face:
        frame.paste(face.convert("RGB").resize((3024, 3024)), (504, 0))
    data = encoded(frame, "JPEG", quality=90)

    half_report, half = analyse_photo_in_detail(data)
    monkeypatch.setattr(analysis, "MIN_DECODED_IPD_PX", 2 * NORMALISED_IPD_PX)  # above 240 px
    whole_report, whole = analyse_photo_in_detail(data)

    assert half is not None
    assert whole is not None
    assert half.photo.decoded_scale == 0.5
    assert whole.photo.decoded_scale == 1.0
    assert half_report.native_ipd_px == pytest.approx(whole_report.native_ipd_px, rel=0.01)
    assert [p.id for p in half_report.problems] == [p.id for p in whole_report.problems]
    moves: dict[str, list[float]] = {}
    for (measure, zone, side, before), (*key, after) in zip(
        values(whole_report), values(half_report), strict=True
    ):
        assert key == [measure, zone, side]
        if before != 0:
            moves.setdefault(measure, []).append(abs(after - before) / abs(before))
    assert set(moves) >= {"wrinkle_index", "line_length_cm_per_cm2", "evenness_ita_iqr"}
    for measure, moved in moves.items():
        assert np.median(moved) <= REPEATABLE_MEDIAN, measure
        assert np.percentile(moved, 90) <= REPEATABLE_P90, measure
