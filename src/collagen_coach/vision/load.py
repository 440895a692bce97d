"""Photos in, sRGB pixels out: JPEG, PNG and HEIC/HEIF, upright, with no metadata kept.

Decoding follows Pillow's own safeguards (the decompression-bomb check, strict handling of
truncated files and oversized text chunks, held strict while a photo is read whatever another
library in the process has set) with the product's stricter pixel cap on top, and a check of
its own for a JPEG cut short with an end marker appended, which libjpeg only warns about and
fills with grey. A colour JPEG is first tried with libjpeg-turbo straight into an array, where
any warning stops the decode (and sends the file Pillow's way, with those checks). Every way a
file can fail becomes one :class:`~collagen_coach.vision.face.Problem`: ``not_an_image``,
``unsupported_format`` or ``too_large``.
"""

from __future__ import annotations

import io
import math
import os
import struct
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Literal, cast

import numpy as np
import pillow_heif
import simplejpeg
from numpy.typing import NDArray
from PIL import (
    ExifTags,
    Image,
    ImageChops,
    ImageCms,
    ImageFile,
    ImageOps,
    UnidentifiedImageError,
)

from collagen_coach.vision.face import PhotoProblem, Problem

pillow_heif.register_heif_opener()

PhotoFormat = Literal["JPEG", "PNG", "HEIF"]

# Pillow's format names that we decode, and what we call them. MPO is the multi-picture JPEG many
# phones write (the first picture is an ordinary JPEG; Pillow's JPEG decoder opens it).
_TAKEN: dict[str, PhotoFormat] = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "HEIF": "HEIF"}
_DECODERS = ["JPEG", "PNG", "HEIF"]
TAKEN_FORMATS_TEXT = "JPEG, PNG or HEIC/HEIF"

# 50 megapixels holds every phone and most camera photos (a 48-MP phone sensor gives 8064×6048 =
# 48.8 MP) and caps a decoded RGB copy at 150 MB.
DEFAULT_MAX_PIXELS = 50_000_000
# A face that fills a third of the frame's width in a 2400-px photo is ~800 px wide: its inter-
# pupillary distance (~0.4 of face width) is then ~320 px, above the 192 px every metric uses.
DEFAULT_LONG_SIDE_PX = 2400

# Errors Pillow and pillow-heif raise for damaged or truncated data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error)
_JPEG_END = b"\xff\xd9"
# Start-of-frame markers (SOF0–SOF15 less DHT, JPG and DAC), which carry the image size.
_JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_PNG_END = b"IEND\xaeB`\x82"
_WHITE = (255, 255, 255)
# Bytes laid before a JPEG's end marker to tell a complete scan from one cut short (no 0xFF, so
# no marker): a decoder that has read every block skips them, one still reading takes them as
# image data and draws something else. 2 kB reaches past the blocks a few stray bytes would fill.
_JPEG_PROBE = bytes(range(1, 255)) * 8
# The two decodes are compared this many rows at a time (a few MB, never a third full copy).
_COMPARED_ROWS = 256
# EXIF orientations 2-8 mirror or turn the stored pixels; 1 (or none) leaves them as they are.
_TURNED_ORIENTATIONS = frozenset(range(2, 9))
# The same turns as views of a NumPy array of stored pixels (Pillow's ``exif_transpose``: 2 flip
# left-right, 3 rotate 180°, 4 flip top-bottom, 5 transpose, 6 rotate 270°, 7 transverse,
# 8 rotate 90°), so that a region can be cut from the upright photo before anything is copied.
_UPRIGHT_VIEWS: dict[int, Callable[[NDArray[np.uint8]], NDArray[np.uint8]]] = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.transpose(1, 0, 2),
    6: lambda a: a.transpose(1, 0, 2)[:, ::-1],
    7: lambda a: a[::-1, ::-1].transpose(1, 0, 2),
    8: lambda a: a.transpose(1, 0, 2)[::-1],
}

# (left, top, right, bottom) in the full-resolution upright photo's pixels.
Region = tuple[float, float, float, float]


@dataclass(frozen=True)
class Photo:
    """A decoded photo: upright sRGB pixels and what is known about the file they came from.

    ``original_size`` is the full-resolution (width, height) after EXIF orientation, and
    ``decoded_scale`` is the decoded photo's size over that (1, 1/2, 1/4 or 1/8: JPEGs are
    decoded at a reduced size when the caller does not need every pixel). ``rgb`` is the whole
    photo, or only the region the caller asked for: ``origin`` is where its top-left pixel lies
    in the whole upright photo at the decoded size. ``rgb`` is read-only: copy it to draw on it.
    """

    rgb: NDArray[np.uint8]  # shape (h, w, 3), sRGB, read-only
    format: PhotoFormat
    original_size: tuple[int, int]
    decoded_scale: float
    origin: tuple[int, int] = (0, 0)


def not_an_image_problem() -> Problem:
    """Give the problem for a file that is empty, not an image, damaged or cut short."""
    return Problem(
        id="not_an_image",
        hint=(
            "This file is not a photo that can be read (it is empty, damaged or incomplete): "
            f"save or export the photo again as {TAKEN_FORMATS_TEXT}."
        ),
    )


def unsupported_format_problem(format_name: str | None) -> Problem:
    """Give the problem for a real image in a format we do not take (named where known)."""
    what = f"{format_name} images are" if format_name else "Images in this format are"
    return Problem(
        id="unsupported_format",
        hint=f"{what} not taken: save the photo as {TAKEN_FORMATS_TEXT}.",
    )


def too_large_problem(pixels: int | None, max_pixels: int) -> Problem:
    """Give the problem for an image with more pixels than the cap (``pixels`` if known)."""
    size = "more" if pixels is None else f"{_megapixels(pixels)} megapixels, more"
    return Problem(
        id="too_large",
        hint=(
            f"This image has {size} than the {_megapixels(max_pixels)} megapixels allowed: "
            "export it at a smaller size."
        ),
        value=None if pixels is None else float(pixels),
        threshold=float(max_pixels),
    )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1e6:.1f}".removesuffix(".0")


def load_photo(
    source: Path | bytes | IO[bytes],
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    want_long_side_px: int | None = DEFAULT_LONG_SIDE_PX,
    max_decoded_pixels: int | None = None,
    region: Region | None = None,
) -> Photo:
    """Give the photo in ``source`` upright, as sRGB, or raise :class:`PhotoProblem`.

    ``source`` is a path, the file's bytes or a binary file open for reading. ``max_pixels`` caps
    the pixel count read from the header before anything is decoded; Pillow's own limit
    (``Image.MAX_IMAGE_PIXELS``, left as it is) still applies above it, so the effective cap is
    the smaller of the two. A JPEG whose long side is at least twice ``want_long_side_px`` is
    decoded at 1/2, 1/4 or 1/8 size, never below ``want_long_side_px`` (``None`` decodes every
    pixel). ``max_decoded_pixels`` bounds the memory a decode takes: a JPEG is decoded at a
    smaller size still if it must be, and a PNG or HEIC (decoded whole) with more pixels is
    ``too_large``. An embedded ICC profile is converted to sRGB; transparency is laid on white.
    ``region`` (left, top, right, bottom, in ``original_size`` pixels) keeps only that part of
    the photo (clipped to it): a turned photo is turned, and its colours converted, there alone.
    A path that cannot be opened at all raises the ``OSError`` of ``open``.
    """
    with _opened(source) as fp, _truncated_images_refused():
        image, photo_format = _open(fp, max_pixels)
        with image:
            full_size = image.size
            if photo_format == "JPEG":
                _request_draft(image, want_long_side_px, max_decoded_pixels)
            if (
                max_decoded_pixels is not None
                and image.size[0] * image.size[1] > max_decoded_pixels
            ):
                image.close()
                raise PhotoProblem(
                    too_large_problem(full_size[0] * full_size[1], max_decoded_pixels)
                )
            stored = _strict_jpeg_pixels(fp, image) if photo_format == "JPEG" else None
            if stored is not None:
                if not _ends_properly(fp, photo_format):
                    raise PhotoProblem(not_an_image_problem())
                return _photo_from_pixels(stored, image, full_size, region)
            try:
                image.load()
            except _DECODE_ERRORS as error:
                raise PhotoProblem(not_an_image_problem()) from error
            if not _ends_properly(fp, photo_format):
                raise PhotoProblem(not_an_image_problem())
            if photo_format == "JPEG" and _jpeg_scan_cut_short(fp, image):
                raise PhotoProblem(not_an_image_problem())
            decoded_scale = image.size[0] / full_size[0]
            icc_profile = image.info.get("icc_profile")
            upright = _upright(image)
            rgb = _to_srgb(upright, icc_profile if isinstance(icc_profile, bytes) else None)
            # A view of the bytes Pillow hands over, not a second copy of them (≈10 ms for a
            # 12-megapixel photo); numpy marks it read-only.
            pixels = np.asarray(rgb, dtype=np.uint8)
            if upright.size != image.size:  # turned by 90°: swap the full-resolution size too
                full_size = (full_size[1], full_size[0])
    origin = (0, 0)
    if region is not None:
        x0, y0, x1, y1 = _region_box(region, decoded_scale, pixels.shape[1], pixels.shape[0])
        pixels, origin = _read_only(pixels[y0:y1, x0:x1].copy()), (x0, y0)
    return Photo(
        rgb=pixels,
        format=photo_format,
        original_size=full_size,
        decoded_scale=decoded_scale,
        origin=origin,
    )


def _strict_jpeg_pixels(fp: BinaryIO, image: ImageFile.ImageFile) -> NDArray[np.uint8] | None:
    """Give a colour JPEG's stored pixels at the drafted size, or None to leave it to Pillow.

    libjpeg-turbo (the library Pillow decodes with, same pixels) writes straight into a NumPy
    array here, 2-4× sooner than Pillow, and strictly: its first warning stops the decode. Image
    data that runs into a marker before the last block (a scan cut short, with or without an end
    marker appended) is such a warning, so a photo decoded here (and ending in its end marker,
    checked apart) is complete and needs neither the probe of :func:`_jpeg_scan_cut_short` nor
    a second decode.
    Grey and CMYK JPEGs, and any file libjpeg warns about, go Pillow's way with its checks.
    """
    if image.mode != "RGB":
        return None
    width, height = image.size
    fp.seek(0)
    try:
        pixels = simplejpeg.decode_jpeg(
            fp.read(), colorspace="RGB", min_width=width, min_height=height, strict=True
        )
    except ValueError:
        return None
    if pixels.shape != (height, width, 3):  # a scale Pillow would not have picked: let it pick
        return None
    return cast(NDArray[np.uint8], pixels)


def _photo_from_pixels(
    stored: NDArray[np.uint8],
    image: ImageFile.ImageFile,
    full_size: tuple[int, int],
    region: Region | None,
) -> Photo:
    """Give the Photo of a JPEG's stored pixels: upright, cut to ``region``, in sRGB."""
    decoded_scale = image.size[0] / full_size[0]
    turn = _UPRIGHT_VIEWS.get(_orientation(image))
    upright = stored if turn is None else turn(stored)
    if upright.shape[:2] != stored.shape[:2]:  # turned by 90°: swap the full-resolution size too
        full_size = (full_size[1], full_size[0])
    x0, y0 = 0, 0
    if region is not None:
        x0, y0, x1, y1 = _region_box(region, decoded_scale, upright.shape[1], upright.shape[0])
        upright = upright[y0:y1, x0:x1]
    # One copy of what is kept (a turn, or a region: not the whole decode behind it), or none.
    whole = upright.shape == stored.shape and upright.flags.c_contiguous
    pixels = upright if whole else upright.copy()
    icc_profile = image.info.get("icc_profile")
    if isinstance(icc_profile, bytes):
        converted = _icc_to_srgb(Image.fromarray(pixels), icc_profile)
        if converted is not None:
            pixels = np.asarray(converted, dtype=np.uint8)
    return Photo(
        rgb=_read_only(pixels),
        format="JPEG",
        original_size=full_size,
        decoded_scale=decoded_scale,
        origin=(x0, y0),
    )


def _region_box(region: Region, scale: float, width: int, height: int) -> tuple[int, int, int, int]:
    """Give ``region`` in the decoded photo's pixels: whole pixels, clipped, never empty."""
    left, top, right, bottom = region
    x0 = min(width - 1, max(0, math.floor(left * scale)))
    y0 = min(height - 1, max(0, math.floor(top * scale)))
    x1 = max(x0 + 1, min(width, math.ceil(right * scale)))
    y1 = max(y0 + 1, min(height, math.ceil(bottom * scale)))
    return x0, y0, x1, y1


def _read_only(pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    pixels.flags.writeable = False
    return pixels


def clean_copy(photo: Photo, format_name: Literal["JPEG", "PNG"], *, quality: int = 92) -> bytes:
    """Give ``photo`` encoded as a JPEG or PNG with no metadata at all, in memory.

    No EXIF (so no GPS position, date or camera), no XMP, no ICC profile, no comments: the
    pixels are sRGB, which is what readers assume of an untagged file.
    """
    image = Image.fromarray(np.ascontiguousarray(photo.rgb), mode="RGB")
    out = io.BytesIO()
    if format_name == "PNG":
        image.save(out, format="PNG")
    else:
        image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def save_clean_copy(photo: Photo, path: Path, *, quality: int = 92) -> None:
    """Write ``photo`` to ``path`` (``.jpg``/``.jpeg`` or ``.png``) with no metadata at all.

    The file is :func:`clean_copy`'s and appears whole or not at all: it is written beside
    ``path`` and moved into place with ``os.replace``.
    """
    suffix = path.suffix.lower()
    if suffix not in (".jpg", ".jpeg", ".png"):
        raise ValueError(f"clean copies are .jpg, .jpeg or .png, not {path.name!r}")
    data = clean_copy(photo, "PNG" if suffix == ".png" else "JPEG", quality=quality)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_strictness_lock = threading.Lock()
_strict_readers = 0
_lenient_before = False


@contextmanager
def _truncated_images_refused() -> Iterator[None]:
    """Hold Pillow's ``LOAD_TRUNCATED_IMAGES`` off while a photo is read, then put it back.

    The setting is one global of the Pillow module, read in the middle of decoding: WeasyPrint
    turns it on when imported (for its own pictures), after which Pillow pads a truncated file
    with grey and skips a text chunk too large to decompress. Readers in several threads share
    one count, so the setting comes back only when the last of them is done.
    """
    global _strict_readers, _lenient_before
    with _strictness_lock:
        if _strict_readers == 0:
            _lenient_before = ImageFile.LOAD_TRUNCATED_IMAGES
        _strict_readers += 1
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        with _strictness_lock:
            _strict_readers -= 1
            if _strict_readers == 0:
                ImageFile.LOAD_TRUNCATED_IMAGES = _lenient_before


@contextmanager
def _opened(source: Path | bytes | IO[bytes]) -> Iterator[BinaryIO]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    if not isinstance(source, Path):
        source.seek(0)
        yield cast(BinaryIO, source)  # read, seek and tell are all that is used
        return
    with open(source, "rb") as fp:
        yield fp


def _open(fp: BinaryIO, max_pixels: int) -> tuple[ImageFile.ImageFile, PhotoFormat]:
    """Open the header with the taken decoders only; name any other image format we meet."""
    try:
        with _bomb_warnings_as_errors():
            image = Image.open(fp, formats=_DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
        raise PhotoProblem(too_large_problem(_header_pixels(fp), limit)) from error
    except UnidentifiedImageError:
        raise PhotoProblem(_unidentified_problem(fp)) from None
    except _DECODE_ERRORS as error:
        raise PhotoProblem(not_an_image_problem()) from error
    pixels = image.size[0] * image.size[1]
    if pixels > max_pixels:
        image.close()
        raise PhotoProblem(too_large_problem(pixels, max_pixels))
    if pixels == 0:
        image.close()
        raise PhotoProblem(not_an_image_problem())
    return image, _TAKEN[str(image.format)]


@contextmanager
def _bomb_warnings_as_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _header_pixels(fp: BinaryIO) -> int | None:
    """Read an over-sized image's pixel count from its header, for the problem's value.

    Pillow refuses to open an image of more than twice its limit at all, so the width and height
    are read here from the PNG header chunk or the JPEG frame header; None for anything else.
    """
    fp.seek(0)
    head = fp.read(24)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big") * int.from_bytes(head[20:24], "big")
    for marker, payload in _jpeg_segments(fp):
        if marker in _JPEG_FRAME_MARKERS:
            fp.seek(payload + 1)  # past the sample precision
            size = fp.read(4)
            return int.from_bytes(size[0:2], "big") * int.from_bytes(size[2:4], "big")
    return None


def _unidentified_problem(fp: BinaryIO) -> Problem:
    """Tell an image in another format (GIF, BMP, TIFF, WebP …) from something not an image."""
    fp.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fp) as other:
                format_name = other.format
    except Image.DecompressionBombError:
        return unsupported_format_problem(None)  # an image, too large even to name
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        return not_an_image_problem()
    return unsupported_format_problem(format_name)


def _request_draft(
    image: ImageFile.ImageFile, want_long_side_px: int | None, max_decoded_pixels: int | None
) -> None:
    """Ask libjpeg for a 1/2, 1/4 or 1/8 size decode where the caller wants no more.

    The largest reduction that keeps the long side at least ``want_long_side_px``, and then as
    much more as keeps the decode within ``max_decoded_pixels``.
    """
    width, height = image.size
    reduction = 1
    if want_long_side_px is not None:
        while reduction < 8 and max(width, height) // (reduction * 2) >= want_long_side_px:
            reduction *= 2
    if max_decoded_pixels is not None:
        while reduction < 8 and _scaled_pixels(width, height, reduction) > max_decoded_pixels:
            reduction *= 2
    if reduction > 1:
        # Pillow picks the largest reduction whose size is at least the one asked for.
        image.draft("RGB", (max(1, width // reduction), max(1, height // reduction)))


def _scaled_pixels(width: int, height: int, reduction: int) -> int:
    return -(-width // reduction) * -(-height // reduction)  # libjpeg rounds up


def _ends_properly(fp: BinaryIO, photo_format: PhotoFormat) -> bool:
    """Check that the file holds its end marker, so a cut-off file is never decoded as padding.

    Pillow refuses truncated JPEG and PNG data unless ``ImageFile.LOAD_TRUNCATED_IMAGES`` is set
    somewhere in the process; this check does not depend on that global. The JPEG end-of-image
    marker cannot occur inside entropy-coded data (0xFF is always stuffed), so it is searched
    from the first scan on, past any EXIF thumbnail (which has its own); data after it (a second
    MPO picture, a motion-photo video) is fine.
    """
    if photo_format == "HEIF":
        return True  # libheif refuses incomplete files itself
    if photo_format == "PNG":
        return _contains(fp, _PNG_END, 0)
    scan = _first_scan_offset(fp)
    return scan is not None and _contains(fp, _JPEG_END, scan)


def _jpeg_scan_cut_short(fp: BinaryIO, decoded: ImageFile.ImageFile) -> bool:
    """Tell a JPEG whose image data stops before its end marker (libjpeg fills the rest grey).

    Such a file decodes without an error, so it is decoded again, at the same scale, with
    ``_JPEG_PROBE`` laid before the end marker: after a complete scan those bytes are skipped
    and the picture is the same; in a scan cut short they are read as image data and the blocks
    after the cut change.
    """
    scan = _first_scan_offset(fp)
    if scan is None:
        return True
    end = _find(fp, _JPEG_END, scan)
    if end is None:
        return True
    probed = io.BufferedReader(_Spliced(fp, end, _JPEG_PROBE))
    with Image.open(probed, formats=["JPEG"]) as again:
        if again.size != decoded.size:  # the photo was decoded at a reduced size: so is this
            again.draft("RGB", decoded.size)
        try:
            again.load()
        except _DECODE_ERRORS:
            return True
        if again.size != decoded.size or again.mode != decoded.mode:
            return True
        width, height = decoded.size
        for top in range(0, height, _COMPARED_ROWS):
            band = (0, top, width, min(height, top + _COMPARED_ROWS))
            if ImageChops.difference(again.crop(band), decoded.crop(band)).getbbox():
                return True
        return False


class _Spliced(io.RawIOBase):
    """A read-only view of ``fp`` with ``inserted`` laid in at byte ``at`` (nothing copied)."""

    def __init__(self, fp: BinaryIO, at: int, inserted: bytes) -> None:
        super().__init__()
        fp.seek(0, os.SEEK_END)
        self._fp, self._at, self._inserted = fp, at, inserted
        self._size = fp.tell() + len(inserted)
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        wanted = len(buffer)
        out = bytearray()
        position = self._position
        while len(out) < wanted and position < self._size:
            room = wanted - len(out)
            if position < self._at:
                self._fp.seek(position)
                piece = self._fp.read(min(room, self._at - position))
            elif position < self._at + len(self._inserted):
                start = position - self._at
                piece = self._inserted[start : start + room]
            else:
                self._fp.seek(position - len(self._inserted))
                piece = self._fp.read(room)
            if not piece:
                break
            out += piece
            position += len(piece)
        buffer[: len(out)] = out
        self._position = position
        return len(out)


def _first_scan_offset(fp: BinaryIO) -> int | None:
    """Give where the JPEG's first scan data starts, past every header segment."""
    for marker, payload in _jpeg_segments(fp):
        if marker == 0xDA:  # start of scan
            fp.seek(payload)
            length = int.from_bytes(fp.read(2), "big")
            return payload + length
    return None


def _jpeg_segments(fp: BinaryIO) -> Iterator[tuple[int, int]]:
    """Give (marker, offset of its length field) for each JPEG header segment up to the scan.

    Every segment before the first scan is length-prefixed, so this walk never reads pixel data.
    """
    fp.seek(0)
    if fp.read(2) != b"\xff\xd8":
        return
    while True:
        head = fp.read(4)
        if len(head) < 4 or head[0] != 0xFF:
            return
        if head[1] == 0xFF:  # fill byte before a marker
            fp.seek(-3, os.SEEK_CUR)
            continue
        length = int.from_bytes(head[2:4], "big")
        if length < 2:
            return
        payload = fp.tell() - 2
        yield head[1], payload
        if head[1] == 0xDA:
            return
        fp.seek(payload + length)


def _contains(fp: BinaryIO, marker: bytes, start: int) -> bool:
    return _find(fp, marker, start) is not None


def _find(fp: BinaryIO, marker: bytes, start: int, chunk: int = 1 << 20) -> int | None:
    """Give the offset of the first ``marker`` at or after ``start``, or None."""
    fp.seek(start)
    tail = b""
    offset = start  # where ``tail + block`` begins in the file
    while block := fp.read(chunk):
        found = (tail + block).find(marker)
        if found >= 0:
            return offset + found
        offset += len(tail) + len(block)
        tail = block[-(len(marker) - 1) :]
        offset -= len(tail)
    return None


def _orientation(image: Image.Image) -> int:
    """Give the EXIF orientation (1 to 8); a photo whose EXIF cannot be read is taken as stored."""
    try:
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    except (*_DECODE_ERRORS, KeyError, TypeError):
        return 1
    return orientation if orientation in _TURNED_ORIENTATIONS else 1


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation; a photo whose EXIF cannot be read is taken as it is stored."""
    try:
        # exif_transpose copies every pixel even when there is nothing to turn (≈10-25 ms for a
        # 12-megapixel photo): only call it for the orientations that turn or flip the image.
        if image.getexif().get(ExifTags.Base.Orientation, 1) not in _TURNED_ORIENTATIONS:
            return image
        turned = ImageOps.exif_transpose(image)
    except (*_DECODE_ERRORS, KeyError, TypeError):
        return image
    return image if turned is None else turned


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Give an 8-bit RGB image in sRGB from any mode a JPEG, PNG or HEIF decodes to."""
    mode = image.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # 16-bit grey PNG: scale to 8 bits (Pillow's own conversion clips instead of scaling).
        wide = np.asarray(image, dtype=np.float64)
        image = Image.fromarray(np.clip(np.rint(wide / 257.0), 0, 255).astype(np.uint8))
        mode = "L"
    elif mode == "F":
        image = Image.fromarray(np.clip(np.asarray(image), 0, 255).astype(np.uint8))
        mode = "L"
    if mode in ("P", "PA"):
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("LA", "La", "RGBA", "RGBa"):
        image = _on_white(image)
        mode = "RGB"
    if mode == "1":
        image = image.convert("L")
        mode = "L"

    if icc_profile is not None and mode in ("RGB", "L", "CMYK"):
        converted = _icc_to_srgb(image, icc_profile)
        if converted is not None:
            return converted
    return image if mode == "RGB" else image.convert("RGB")


def _on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (*_WHITE, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _icc_to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image | None:
    """Convert through the embedded profile; None when it cannot be read or needs no work.

    A profile that LittleCMS cannot read (or that does not fit the pixel mode) is ignored and
    the pixels are taken as sRGB, which is what an untagged photo is assumed to be.
    """
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if image.mode == "RGB" and "srgb" in ImageCms.getProfileDescription(source).lower():
            return None  # already sRGB: skip a full-image transform that would change nothing
        converted = ImageCms.profileToProfile(
            image,
            source,
            ImageCms.createProfile("sRGB"),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return converted
