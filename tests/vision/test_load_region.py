"""Decoding part of a photo: the pixels the whole photo has there, turned and converted alike.

A JPEG is decoded by libjpeg-turbo straight into an array (strictly: any libjpeg warning sends
it Pillow's way, with Pillow's checks), then turned upright and cut to the region asked for, so
only the region is copied. Every answer here is checked against Pillow decoding the whole file
and ``ImageOps.exif_transpose`` turning it, which is what the product did before.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import ExifTags, Image, ImageOps
from test_load import FACES, encoded, icc_rgb_profile

from collagen_coach.vision.face import PhotoProblem
from collagen_coach.vision.load import load_photo

ORIENTATIONS = range(1, 9)


@pytest.fixture(scope="module")
def stored() -> Image.Image:
    """A 900 × 600 picture with no symmetry: a face and a red block top-left."""
    with Image.open(FACES / "biden2.jpg") as face:
        pixels = np.asarray(face.convert("RGB").resize((900, 600))).copy()
    pixels[:40, :90] = (255, 0, 0)
    return Image.fromarray(pixels)


def turned_jpeg(image: Image.Image, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encoded(image, "JPEG", quality=92, exif=exif)


def pillows_upright(data: bytes, reduce: int = 1) -> np.ndarray:
    """The photo as Pillow decodes and turns it (1/``reduce`` size), the reference here."""
    with Image.open(io.BytesIO(data)) as image:
        if reduce > 1:
            image.draft("RGB", (image.size[0] // reduce, image.size[1] // reduce))
        image.load()
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


@pytest.fixture(params=ORIENTATIONS, ids=lambda o: f"orientation-{o}")
def each_turn(stored: Image.Image, request: pytest.FixtureRequest) -> bytes:
    """The picture as a JPEG stored turned by each EXIF orientation in turn."""
    return turned_jpeg(stored, request.param)


def test_a_jpeg_decodes_to_the_pixels_pillow_gives_turned_upright(each_turn: bytes) -> None:
    data = each_turn

    photo = load_photo(data)

    np.testing.assert_array_equal(photo.rgb, pillows_upright(data))
    assert photo.origin == (0, 0)
    assert not photo.rgb.flags.writeable


def test_a_region_is_the_whole_photos_pixels_there_in_upright_coordinates(
    each_turn: bytes,
) -> None:
    data = each_turn
    whole = pillows_upright(data)
    height, width = whole.shape[:2]
    # Left of the middle and in the upper half, in upright pixels: a turn that mapped the
    # region wrongly would cut another part of the picture.
    region = (0.1 * width, 0.2 * height, 0.45 * width, 0.5 * height)

    photo = load_photo(data, region=region)

    x0, y0 = photo.origin
    assert (x0, y0) == (int(0.1 * width), int(0.2 * height))
    assert photo.rgb.shape[:2] == (
        int(np.ceil(0.5 * height)) - y0,
        int(np.ceil(0.45 * width)) - x0,
    )
    np.testing.assert_array_equal(
        photo.rgb, whole[y0 : y0 + photo.rgb.shape[0], x0 : x0 + photo.rgb.shape[1]]
    )
    assert photo.original_size == (width, height)


@pytest.mark.parametrize("orientation", [1, 6, 8], ids=lambda o: f"orientation-{o}")
def test_a_region_of_a_reduced_decode_is_given_in_full_resolution_pixels(
    stored: Image.Image, orientation: int
) -> None:
    big = stored.resize((3600, 2400))
    data = turned_jpeg(big, orientation)
    whole = pillows_upright(data, reduce=2)
    full_width, full_height = whole.shape[1] * 2, whole.shape[0] * 2
    region = (0.5 * full_width, 0.25 * full_height, 0.75 * full_width, 0.75 * full_height)

    photo = load_photo(data, want_long_side_px=1800, region=region)

    assert photo.decoded_scale == 0.5
    assert photo.original_size == (full_width, full_height)
    x0, y0 = photo.origin
    assert (x0, y0) == (whole.shape[1] // 2, whole.shape[0] // 4)
    np.testing.assert_array_equal(
        photo.rgb, whole[y0 : y0 + photo.rgb.shape[0], x0 : x0 + photo.rgb.shape[1]]
    )


@pytest.mark.parametrize(
    ("region", "origin", "size"),
    [
        ((-50, -30, 100, 80), (0, 0), (100, 80)),
        ((850, 500, 1200, 900), (850, 500), (50, 100)),
        ((-10, 100, 2000, 200), (0, 100), (900, 100)),
    ],
    ids=["past-the-top-left", "past-the-bottom-right", "wider-than-the-photo"],
)
def test_a_region_past_the_edge_is_clipped_to_the_photo(
    stored: Image.Image,
    region: tuple[float, float, float, float],
    origin: tuple[int, int],
    size: tuple[int, int],
) -> None:
    data = turned_jpeg(stored, 1)

    photo = load_photo(data, region=region)

    assert photo.origin == origin
    assert (photo.rgb.shape[1], photo.rgb.shape[0]) == size
    x, y = origin
    whole = pillows_upright(data)
    np.testing.assert_array_equal(photo.rgb, whole[y : y + size[1], x : x + size[0]])


@pytest.mark.parametrize("format_name", ["PNG", "JPEG"])
def test_the_colour_profile_is_applied_to_the_region(format_name: str) -> None:
    # Level 128 in a linear-light profile is half the light: sRGB encodes 0.5 as 0.7354 → 188.
    image = Image.new("RGB", (64, 48), (128, 128, 128))
    data = encoded(image, format_name, icc_profile=icc_rgb_profile(gamma=1.0), quality=100)

    rgb = load_photo(data, region=(8, 8, 40, 24)).rgb

    assert rgb.shape == (16, 32, 3)
    assert np.all(np.abs(rgb.astype(int) - 188) <= 1)


@pytest.mark.parametrize("kept", [0.3, 0.8, 0.99], ids=["30%", "80%", "all-but-the-end"])
@pytest.mark.parametrize("end_marker", [False, True], ids=["cut", "cut-and-closed"])
def test_a_truncated_jpeg_is_refused_whatever_region_is_asked_for(
    stored: Image.Image, kept: float, end_marker: bool
) -> None:
    whole = turned_jpeg(stored, 6)
    data = whole[: int(len(whole) * kept)] + (b"\xff\xd9" if end_marker else b"")

    # The region lies in the top rows, decoded before the cut: the file is refused all the same.
    with pytest.raises(PhotoProblem) as raised:
        load_photo(data, region=(0, 0, 100, 50))

    assert raised.value.problem.id == "not_an_image"


def test_stray_bytes_before_the_end_marker_are_read_past_as_pillow_reads_past_them(
    stored: Image.Image,
) -> None:
    whole = turned_jpeg(stored, 6)
    data = whole[:-2] + b"\x00\x00" + whole[-2:]

    photo = load_photo(data, region=(0, 0, 300, 200))

    np.testing.assert_array_equal(photo.rgb, pillows_upright(whole)[:200, :300])


def test_a_whole_scan_without_its_end_marker_is_still_refused(stored: Image.Image) -> None:
    whole = turned_jpeg(stored, 6)
    assert whole.endswith(b"\xff\xd9")

    with pytest.raises(PhotoProblem) as raised:
        load_photo(whole[:-2], region=(0, 0, 300, 200))

    assert raised.value.problem.id == "not_an_image"
