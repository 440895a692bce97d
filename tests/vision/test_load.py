"""Loading photos: JPEG, PNG and HEIC upright and in sRGB; hostile files refused with one problem;
clean copies that carry no metadata.

Every file here is made in the test from a real photo (``biden2.jpg``) or drawn for the purpose
(orientation markers, bombs), so the expected answer is known exactly.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageFile

from collagen_coach.vision.face import PhotoProblem
from collagen_coach.vision.load import Photo, load_photo, save_clean_copy

pillow_heif.register_heif_opener()

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
RED = (255, 0, 0)


@pytest.fixture(scope="module")
def face_rgb() -> np.ndarray:
    with Image.open(FACES / "biden2.jpg") as image:
        return np.asarray(image.convert("RGB").resize((600, 600)))


def encoded(image: Image.Image, format_name: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **options)
    return buffer.getvalue()


def problem_id(source: Path | bytes, **options: int) -> str:
    with pytest.raises(PhotoProblem) as raised:
        load_photo(source, **options)
    return raised.value.problem.id


# --- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_name", "options", "max_mean_error"),
    [
        # JPEG and HEIC are lossy: a quality-95/90 re-encode of a photo moves pixels by ~1–2 levels.
        ("JPEG", {"quality": 95}, 3.0),
        ("PNG", {}, 0.0),
        ("HEIF", {"quality": 90}, 3.0),
    ],
    ids=["jpeg", "png", "heic"],
)
def test_reads_jpeg_png_and_heic_as_rgb(
    face_rgb: np.ndarray, format_name: str, options: dict[str, object], max_mean_error: float
) -> None:
    data = encoded(Image.fromarray(face_rgb), format_name, **options)

    photo = load_photo(data)

    assert photo.format == format_name
    assert photo.rgb.dtype == np.uint8
    assert photo.rgb.shape == face_rgb.shape
    assert photo.original_size == (600, 600)
    assert photo.decoded_scale == 1.0
    error = np.abs(photo.rgb.astype(float) - face_rgb.astype(float)).mean()
    assert error <= max_mean_error


def test_reads_a_photo_from_a_path(tmp_path: Path) -> None:
    photo = load_photo(FACES / "obama2.jpg")

    assert photo.format == "JPEG"
    assert photo.rgb.shape == (1200, 626, 3)


def test_decoded_pixels_are_read_only() -> None:
    rgb = load_photo(FACES / "obama2.jpg").rgb

    with pytest.raises(ValueError, match="read-only"):
        rgb[0, 0] = 0
    assert rgb.copy().flags.writeable  # a copy can be drawn on


# --- orientation --------------------------------------------------------------------------------


def marked_image() -> Image.Image:
    """A 60 × 40 grey image, red in its top-left 10 × 10 corner as stored."""
    pixels = np.full((40, 60, 3), 128, dtype=np.uint8)
    pixels[:10, :10] = RED
    return Image.fromarray(pixels)


def with_orientation(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return exif


def red_corner(rgb: np.ndarray) -> str:
    h, w = rgb.shape[:2]
    corners = {
        "top-left": rgb[2:8, 2:8],
        "top-right": rgb[2:8, w - 8 : w - 2],
        "bottom-left": rgb[h - 8 : h - 2, 2:8],
        "bottom-right": rgb[h - 8 : h - 2, w - 8 : w - 2],
    }
    reds = [
        name
        for name, patch in corners.items()
        if patch[..., 0].mean() > 200 > 100 > patch[..., 1].mean()
    ]
    assert len(reds) == 1, reds
    return reds[0]


# EXIF orientation (TIFF 6.0 / Exif 2.32 tag 274): how the stored picture must be turned for
# display. 3 = rotate 180°, 6 = rotate 90° clockwise, 8 = rotate 90° counter-clockwise.
@pytest.mark.parametrize(
    ("orientation", "size", "corner"),
    [
        (1, (60, 40), "top-left"),
        (3, (60, 40), "bottom-right"),
        (6, (40, 60), "top-right"),
        (8, (40, 60), "bottom-left"),
    ],
    ids=["1-as-stored", "3-upside-down", "6-turned-clockwise", "8-turned-counter-clockwise"],
)
def test_applies_the_exif_orientation(orientation: int, size: tuple[int, int], corner: str) -> None:
    data = encoded(marked_image(), "JPEG", quality=95, exif=with_orientation(orientation))

    photo = load_photo(data)

    assert photo.original_size == size
    assert (photo.rgb.shape[1], photo.rgb.shape[0]) == size
    assert red_corner(photo.rgb) == corner


def test_a_heic_written_turned_is_read_upright() -> None:
    # Given EXIF bytes, pillow-heif writes the orientation as HEIF's own rotation ('irot' box),
    # which is what counts in a HEIF file and what libheif applies on read.
    data = encoded(marked_image(), "HEIF", quality=95, exif=with_orientation(6).tobytes())
    assert b"irot" in data

    photo = load_photo(data)

    assert photo.format == "HEIF"
    assert photo.original_size == (40, 60)
    assert red_corner(photo.rgb) == "top-right"


# --- reduced-size decoding ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def twelve_megapixel_jpeg(face_rgb: np.ndarray) -> bytes:
    return encoded(Image.fromarray(face_rgb).resize((4032, 3024)), "JPEG", quality=85)


@pytest.mark.parametrize(
    ("want", "decoded_size", "scale"),
    [
        (None, (4032, 3024), 1.0),
        (2400, (4032, 3024), 1.0),  # a 1/2-size decode (2016 px) would fall short of 2400
        (2000, (2016, 1512), 0.5),
        (1000, (1008, 756), 0.25),
        (300, (504, 378), 0.125),  # 1/8 is the smallest JPEG decode; never smaller than asked
    ],
    ids=["every-pixel", "2400", "2000", "1000", "300"],
)
def test_large_jpegs_are_decoded_at_reduced_size_but_never_below_the_wanted_side(
    twelve_megapixel_jpeg: bytes, want: int | None, decoded_size: tuple[int, int], scale: float
) -> None:
    photo = load_photo(twelve_megapixel_jpeg, want_long_side_px=want)

    assert (photo.rgb.shape[1], photo.rgb.shape[0]) == decoded_size
    assert max(decoded_size) >= (want or 0)
    assert photo.decoded_scale == scale
    assert photo.original_size == (4032, 3024)


def test_reduced_decoding_keeps_the_orientation(face_rgb: np.ndarray) -> None:
    big = Image.fromarray(face_rgb).resize((4000, 2000))
    data = encoded(big, "JPEG", quality=85, exif=with_orientation(6))

    photo = load_photo(data, want_long_side_px=1000)

    assert photo.original_size == (2000, 4000)
    assert photo.rgb.shape == (1000, 500, 3)


# --- colour -------------------------------------------------------------------------------------


def test_transparency_is_laid_on_white() -> None:
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[0, 0] = (255, 0, 0, 255)  # opaque red
    rgba[0, 1] = (255, 0, 0, 0)  # fully transparent
    rgba[0, 2] = (0, 0, 0, 128)  # half-transparent black

    rgb = load_photo(encoded(Image.fromarray(rgba, mode="RGBA"), "PNG")).rgb

    assert tuple(rgb[0, 0]) == (255, 0, 0)
    assert tuple(rgb[0, 1]) == (255, 255, 255)
    assert abs(int(rgb[0, 2, 0]) - 127) <= 1


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (Image.new("L", (4, 4), 77), (77, 77, 77)),
        (Image.new("LA", (4, 4), (0, 0)), (255, 255, 255)),
        (Image.new("1", (4, 4), 1), (255, 255, 255)),
        (Image.new("RGB", (4, 4), (10, 200, 30)).quantize(8), (10, 200, 30)),
        # 16 bits per sample: 0x8080 is 128 of 255, scaled rather than clipped.
        (Image.fromarray(np.full((4, 4), 0x8080, dtype=np.uint16)), (128, 128, 128)),
    ],
    ids=["grey", "grey-with-alpha", "bilevel", "palette", "16-bit-grey"],
)
def test_every_png_mode_becomes_8_bit_rgb(
    image: Image.Image, expected: tuple[int, int, int]
) -> None:
    rgb = load_photo(encoded(image, "PNG")).rgb

    assert rgb.dtype == np.uint8
    assert rgb.shape == (4, 4, 3)
    assert tuple(int(v) for v in rgb[1, 1]) == expected


def test_cmyk_jpeg_becomes_rgb() -> None:
    cmyk = Image.new("CMYK", (8, 8), (0, 255, 255, 0))  # no black, full magenta + yellow: red

    rgb = load_photo(encoded(cmyk, "JPEG", quality=100)).rgb

    assert rgb.shape == (8, 8, 3)
    red, green, blue = (int(v) for v in rgb[4, 4])
    assert red > 240
    assert green < 15
    assert blue < 15


def icc_rgb_profile(gamma: float) -> bytes:
    """A minimal ICC v2 display profile: sRGB's primaries (D50-adapted), a power-law tone curve."""

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + s15(x) + s15(y) + s15(z)

    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, round(gamma * 256)) + bytes(2)
    text = b"Linear-light RGB\0"
    description = (
        b"desc" + bytes(4) + struct.pack(">I", len(text)) + text + bytes(4 + 4 + 2 + 1 + 67)
    )
    tags = [
        (b"desc", description),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text" + bytes(4) + b"none\0"),
    ]
    start = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        body += bytes(-(start + len(body)) % 4)
        table += signature + struct.pack(">II", start + len(body), len(data))
        body += data
    header = (
        struct.pack(">I", start + len(body))
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acspAPPL"
        + bytes(24)
        + s15(0.9642)
        + s15(1.0)
        + s15(0.8249)
        + bytes(48)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


@pytest.mark.parametrize("format_name", ["PNG", "JPEG"])
def test_an_embedded_icc_profile_is_converted_to_srgb(format_name: str) -> None:
    # Level 128 in a linear-light profile is half the light: sRGB encodes 0.5 as 0.7354 → 188.
    image = Image.new("RGB", (8, 8), (128, 128, 128))
    data = encoded(image, format_name, icc_profile=icc_rgb_profile(gamma=1.0), quality=100)

    rgb = load_photo(data).rgb

    assert np.all(np.abs(rgb.astype(int) - 188) <= 1)


# --- hostile and unsupported files --------------------------------------------------------------


def png_bomb(width: int, height: int) -> bytes:
    """A 1-bit PNG of the given size, every pixel zero: a few kB that decode to gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    packer = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed bits
    compressed = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", compressed)
        + chunk(b"IEND", b"")
    )


def test_a_png_bomb_is_too_large_before_anything_is_decoded() -> None:
    bomb = png_bomb(20_000, 20_000)  # 400 megapixels in ~50 kB
    assert len(bomb) < 100_000

    with pytest.raises(PhotoProblem) as raised:
        load_photo(bomb)

    problem = raised.value.problem
    assert problem.id == "too_large"
    assert problem.value == 400_000_000
    assert "400 megapixels" in problem.hint


def test_our_pixel_cap_applies_below_pillows_own() -> None:
    # 64 MP: under Pillow's default limit (~89 MP), over the product's 50 MP.
    with pytest.raises(PhotoProblem) as raised:
        load_photo(png_bomb(8_000, 8_000))

    assert raised.value.problem.id == "too_large"
    assert raised.value.problem.value == 64_000_000
    assert raised.value.problem.threshold == 50_000_000


def test_the_pixel_cap_can_be_lowered(face_rgb: np.ndarray) -> None:
    data = encoded(Image.fromarray(face_rgb), "PNG")  # 600 × 600 = 360 000 px

    assert problem_id(data, max_pixels=300_000) == "too_large"
    assert load_photo(data, max_pixels=360_000).rgb.shape == (600, 600, 3)


def test_pillows_global_limit_is_left_as_it_was() -> None:
    before = Image.MAX_IMAGE_PIXELS

    with pytest.raises(PhotoProblem):
        load_photo(png_bomb(20_000, 20_000), max_pixels=10**9)

    assert before == Image.MAX_IMAGE_PIXELS


@pytest.fixture(scope="module")
def whole_jpeg(face_rgb: np.ndarray) -> bytes:
    return encoded(Image.fromarray(face_rgb), "JPEG", quality=90)


@pytest.mark.parametrize("kept", [0.02, 0.5, 0.99], ids=["2%", "half", "all-but-the-end"])
def test_a_truncated_jpeg_is_not_an_image(whole_jpeg: bytes, kept: float) -> None:
    assert problem_id(whole_jpeg[: int(len(whole_jpeg) * kept)]) == "not_an_image"


def test_a_truncated_jpeg_is_refused_even_where_pillow_would_pad_it(
    whole_jpeg: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some library in the same process may set this global; Pillow then fills the rest with grey.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    truncated = whole_jpeg[: len(whole_jpeg) // 2]
    with Image.open(io.BytesIO(truncated)) as padded:
        padded.load()  # Pillow itself decodes it without complaint

    assert problem_id(truncated) == "not_an_image"
    assert load_photo(whole_jpeg).rgb.shape == (600, 600, 3)


def test_a_truncated_png_is_refused_even_where_pillow_would_pad_it(
    face_rgb: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = encoded(Image.fromarray(face_rgb), "PNG")

    assert problem_id(whole[: len(whole) // 2]) == "not_an_image"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        chunks.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def damaged_files(face_rgb: np.ndarray) -> dict[str, bytes]:
    """Files that Pillow reads without complaint once a library in the process has set
    ``LOAD_TRUNCATED_IMAGES`` (WeasyPrint does on import), and a JPEG it always reads."""
    png = encoded(Image.fromarray(face_rgb), "PNG")
    jpeg = encoded(Image.fromarray(face_rgb), "JPEG", quality=90)
    progressive = encoded(Image.fromarray(face_rgb), "JPEG", quality=90, progressive=True)
    header, *_ = png_chunks(png)
    pixel_data = b"".join(data for kind, data in png_chunks(png) if kind == b"IDAT")
    end = png_chunk(b"IEND", b"")
    # 50 MB of text in a few kB, in a chunk placed before the pixels.
    bomb = png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b" " * 50_000_000, 9))
    return {
        "png cut in half, end chunk appended": png[: len(png) // 2] + end,
        "png whose pixel data stops half way": (
            png[:8]
            + png_chunk(*header)
            + png_chunk(b"IDAT", pixel_data[: len(pixel_data) // 2])
            + end
        ),
        "png with a 50 MB text chunk": png[:33] + bomb + png[33:],
        "jpeg cut in half, end marker appended": jpeg[: len(jpeg) // 2] + b"\xff\xd9",
        "progressive jpeg cut in half, end marker appended": (
            progressive[: len(progressive) // 2] + b"\xff\xd9"
        ),
    }


DAMAGED = [
    "png cut in half, end chunk appended",
    "png whose pixel data stops half way",
    "png with a 50 MB text chunk",
    "jpeg cut in half, end marker appended",
    "progressive jpeg cut in half, end marker appended",
]


@pytest.mark.parametrize("lenient", [False, True], ids=["strict pillow", "lenient pillow"])
@pytest.mark.parametrize("damage", DAMAGED)
def test_a_damaged_file_is_refused_whatever_pillow_is_set_to(
    face_rgb: np.ndarray, monkeypatch: pytest.MonkeyPatch, damage: str, lenient: bool
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)

    assert problem_id(damaged_files(face_rgb)[damage]) == "not_an_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is lenient  # left as the process had it


def test_a_damaged_file_is_refused_in_a_process_that_made_a_pdf(
    face_rgb: np.ndarray, tmp_path: Path
) -> None:
    for number, damage in enumerate(DAMAGED):
        (tmp_path / f"{number}.img").write_bytes(damaged_files(face_rgb)[damage])
    script = (
        "import sys, weasyprint\n"
        "from pathlib import Path\n"
        "from PIL import ImageFile\n"
        "from collagen_coach.vision.face import PhotoProblem\n"
        "from collagen_coach.vision.load import load_photo\n"
        "assert ImageFile.LOAD_TRUNCATED_IMAGES\n"
        "for path in sorted(Path(sys.argv[1]).iterdir()):\n"
        "    try:\n"
        "        load_photo(path)\n"
        "    except PhotoProblem as refused:\n"
        "        print(path.name, refused.problem.id)\n"
        "    else:\n"
        "        print(path.name, 'accepted')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )

    assert run.stdout.split("\n")[:-1] == [
        f"{number}.img not_an_image" for number in range(len(DAMAGED))
    ]


def test_a_photo_with_a_corner_of_the_decoders_fill_grey_is_read(face_rgb: np.ndarray) -> None:
    # Mid-grey is what libjpeg fills a cut-short scan with; drawn into a whole photo it is fine.
    framed = face_rgb.copy()
    framed[-40:, -40:] = 128
    photo = load_photo(encoded(Image.fromarray(framed), "JPEG", quality=90))

    assert photo.rgb.shape == (600, 600, 3)


def test_a_jpeg_with_data_after_its_end_is_read(whole_jpeg: bytes) -> None:
    # Motion photos and some phones append data (a video, a second picture) after the JPEG.
    photo = load_photo(whole_jpeg + b"\x00" * 64 + b"ftypmp42" + bytes(1000))

    assert photo.rgb.shape == (600, 600, 3)


def test_a_jpeg_cut_after_its_exif_thumbnail_is_still_truncated(
    face_rgb: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The EXIF thumbnail ends with its own end-of-image marker, before the main picture's data;
    # with Pillow set to pad truncated files, only the loader's own check stands in the way.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    thumbnail = encoded(Image.fromarray(face_rgb).resize((160, 160)), "JPEG", quality=80)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 1
    exif_bytes = exif.tobytes()
    data = encoded(Image.fromarray(face_rgb), "JPEG", quality=90, exif=exif_bytes + thumbnail)
    assert thumbnail[-2:] in data[: len(data) // 2]

    assert problem_id(data[: len(data) // 2]) == "not_an_image"


@pytest.mark.parametrize(
    "content",
    [b"", b"Dear diary, today I massaged my face.\n", bytes(range(256)) * 4],
    ids=["empty", "text", "noise"],
)
def test_a_file_named_jpg_that_is_not_an_image(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)

    with pytest.raises(PhotoProblem) as raised:
        load_photo(path)

    assert raised.value.problem.id == "not_an_image"
    assert "JPEG, PNG or HEIC" in raised.value.problem.hint


@pytest.mark.parametrize("format_name", ["GIF", "BMP", "TIFF", "WEBP"])
def test_other_image_formats_are_unsupported_and_say_which_are_taken(
    face_rgb: np.ndarray, format_name: str
) -> None:
    data = encoded(Image.fromarray(face_rgb), format_name)

    with pytest.raises(PhotoProblem) as raised:
        load_photo(data)

    problem = raised.value.problem
    assert problem.id == "unsupported_format"
    assert format_name in problem.hint
    assert "JPEG, PNG or HEIC" in problem.hint


# --- clean copies -------------------------------------------------------------------------------


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.DateTime] = "2026:11:24 08:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 30.0)
    return exif


@pytest.fixture(scope="module")
def photo_with_gps(face_rgb: np.ndarray) -> bytes:
    data = encoded(
        Image.fromarray(face_rgb),
        "JPEG",
        quality=90,
        exif=gps_exif(),
        icc_profile=icc_rgb_profile(gamma=2.2),
        comment=b"taken at home",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>',
    )
    with Image.open(io.BytesIO(data)) as original:  # the test input does carry all of it
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" in original.info
        assert "comment" in original.info
    return data


@pytest.mark.parametrize("name", ["clean.jpg", "clean.jpeg", "clean.png"])
def test_a_clean_copy_carries_no_metadata(photo_with_gps: bytes, tmp_path: Path, name: str) -> None:
    path = tmp_path / name

    save_clean_copy(load_photo(photo_with_gps), path)

    data = path.read_bytes()
    with Image.open(path) as copy:
        assert not copy.getexif()
        assert not copy.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert set(copy.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
    for marker in (b"Exif", b"PhoneMaker", b"adobe:ns:meta", b"taken at home", b"acsp", b"tEXt"):
        assert marker not in data


def test_a_clean_copy_keeps_the_pixels(tmp_path: Path, face_rgb: np.ndarray) -> None:
    photo = Photo(rgb=face_rgb, format="JPEG", original_size=(600, 600), decoded_scale=1.0)

    save_clean_copy(photo, tmp_path / "copy.png")

    assert np.array_equal(load_photo(tmp_path / "copy.png").rgb, face_rgb)


def test_a_failed_clean_copy_leaves_the_old_file_and_no_litter(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"the previous copy")
    too_wide = Photo(  # JPEG cannot hold more than 65 535 px across: the encoder fails mid-write
        rgb=np.zeros((1, 70_000, 3), dtype=np.uint8),
        format="JPEG",
        original_size=(70_000, 1),
        decoded_scale=1.0,
    )

    with pytest.raises((OSError, ValueError)):
        save_clean_copy(too_wide, path)

    assert path.read_bytes() == b"the previous copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_a_clean_copy_must_be_jpeg_or_png(tmp_path: Path, face_rgb: np.ndarray) -> None:
    photo = Photo(rgb=face_rgb, format="JPEG", original_size=(600, 600), decoded_scale=1.0)

    with pytest.raises(ValueError, match=r"\.jpg, \.jpeg or \.png"):
        save_clean_copy(photo, tmp_path / "copy.gif")

    assert list(tmp_path.iterdir()) == []
