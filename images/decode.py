"""Safe decoding of user uploads into small RGB images, with one clear message per failure."""

from __future__ import annotations

import codecs
import io
import re
import stat
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from runtime.messages import Message, UserError

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest upload accepted (20 MB), checked with a stat before the file is read."""

MAX_PIXELS = 40_000_000
"""Most pixels an image may have, checked on the header size before any pixel is decoded."""

WORK_SIDE = 1024
"""Longest side of the returned image; larger images are shrunk (JPEGs while decoding)."""

FORMATS = ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP", "ICO")
"""Pillow decoders tried on uploads; any other format is refused as not an image."""

_SUPPORTED = Message("image_formats")
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00")
_NOT_IMAGE_MAGIC = ((b"%PDF", Message("looks_like_pdf")), (b"PK\x03\x04", Message("looks_like_zip")))


class ImageError(UserError):
    """An upload that cannot be used, with a message meant for the user (a key of runtime.messages)."""


def load_image(source: str | Path | bytes | Image.Image | np.ndarray | None) -> Image.Image:
    """Decode a path, bytes, PIL image or array into an RGB image whose longest side is at most WORK_SIDE."""
    if source is None:
        raise ImageError("no_image")
    if isinstance(source, Image.Image):
        return _normalise(_upright(_loaded(source)))
    if isinstance(source, np.ndarray):
        return _normalise(_from_array(source))
    if isinstance(source, (str, Path)):
        source = _read(Path(source))
    if isinstance(source, bytes):
        return _normalise(_decode(source))
    raise TypeError(f"load_image takes a path, bytes, a PIL image or an array, not {type(source).__name__}")


def _read(path: Path) -> bytes:
    """Read an uploaded file, refusing missing, special, empty and oversized files before reading."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImageError("upload_missing") from None
    except OSError:
        raise ImageError("upload_unreadable") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImageError("upload_not_a_file")
    _check_file_size(info.st_size)
    try:
        with path.open("rb") as file:
            return file.read(MAX_FILE_BYTES + 1)  # bounded even if the file grew since the stat
    except OSError:
        raise ImageError("upload_unreadable") from None


def _check_file_size(size: int) -> None:
    """Refuse empty files and files over MAX_FILE_BYTES."""
    if size == 0:
        raise ImageError("file_empty")
    if size > MAX_FILE_BYTES:
        raise ImageError("file_too_large", megabytes=size / 2**20, limit=MAX_FILE_BYTES // 2**20)


def _check_pixels(width: int, height: int) -> None:
    """Refuse images with more than MAX_PIXELS pixels."""
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(width * height)


def _too_many_pixels(count: int | None) -> ImageError:
    """The error for an image over the pixel limit, with its pixel count when known."""
    if count:
        return ImageError("too_many_pixels", count=count, limit=MAX_PIXELS)
    return ImageError("too_many_pixels_uncounted", limit=MAX_PIXELS)


def _decode(data: bytes) -> Image.Image:
    """Identify and fully decode image bytes, refusing non-images, bombs and broken files."""
    _check_file_size(len(data))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            opened = Image.open(io.BytesIO(data), formats=FORMATS)
        except UnidentifiedImageError:
            raise _unopenable(data) from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            # Pillow refuses huge headers inside open(); its message carries the claimed pixel count.
            count = re.search(r"\((\d+) pixels\)", str(error))
            raise _too_many_pixels(int(count.group(1)) if count else None) from None
        except Exception as error:  # a plugin accepted the first bytes, then its parser failed
            raise _unopenable(data) from error
        with opened as img:
            _check_pixels(img.width, img.height)
            img.draft(None, _fit(img.size))  # JPEG only: decode at 1/2, 1/4 or 1/8 scale
            return _upright(_loaded(img))


def _loaded(img: Image.Image) -> Image.Image:
    """Decode every pixel now, so truncation and corruption are caught here."""
    try:
        img.load()
    except Exception as error:  # decoders raise OSError, SyntaxError, ValueError, EOFError ...
        raise ImageError("image_corrupt") from error
    return img


def _unopenable(data: bytes) -> ImageError:
    """The error for a file that no image decoder could open, saying what it looks like instead."""
    head = data[:2048]
    for magic, kind in _NOT_IMAGE_MAGIC:
        if head.startswith(magic):
            return ImageError("not_an_image", kind=kind, formats=_SUPPORTED)
    text = _as_text(head)
    if text is None:
        if head.startswith(_IMAGE_MAGIC) or head[8:12] == b"WEBP":
            return ImageError("image_corrupt")
        return ImageError("unsupported_format", formats=_SUPPORTED)
    if text.startswith(("<!doctype html", "<html")):
        return ImageError("not_an_image", kind=Message("looks_like_html"), formats=_SUPPORTED)
    if "<svg" in text:
        return ImageError("svg")
    return ImageError("not_an_image", kind=Message("looks_like_text"), formats=_SUPPORTED)


def _as_text(head: bytes) -> str | None:
    """The start of a file as lowercase text, or None when it is binary (invalid UTF-8 or NUL bytes)."""
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head)  # tolerates a character cut at the end
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text.lstrip().lower()


def _from_array(array: np.ndarray) -> Image.Image:
    """Wrap an (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) array of any real dtype as an image."""
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise ImageError("array_shape", shape=array.shape)
    if array.size == 0:
        raise ImageError("array_empty")
    if array.dtype.kind not in "buif":  # bool, unsigned, signed, float
        raise ImageError("array_dtype", dtype=array.dtype)
    _check_pixels(array.shape[1], array.shape[0])
    return Image.fromarray(_to_uint8(array))


def _to_uint8(values: np.ndarray) -> np.ndarray:
    """Map any real array onto 0..255: by its full scale when known, else by its own range."""
    if values.dtype == np.uint8:
        return values
    floats = np.nan_to_num(values.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    top = _full_scale(values.dtype, floats.min(), floats.max())
    if top is None:
        floats = floats - floats.min()
        top = floats.max() or 1.0
    return np.rint(floats * (255.0 / top)).astype(np.uint8)


def _full_scale(dtype: np.dtype, low: float, high: float) -> float | None:
    """The value that means white for this data (bool 1, float 1, 8 or 16 bit), or None when unknown."""
    if dtype == np.bool_:
        return 1.0
    if dtype.kind == "u" and dtype.itemsize == 2:  # uint16 in either byte order
        return 65535.0
    if low < 0:
        return None
    if np.issubdtype(dtype, np.floating):
        return 1.0 if high <= 1.0 else None
    if high <= 255:
        return 255.0
    return 65535.0 if high <= 65535 else None


def _upright(img: Image.Image) -> Image.Image:
    """A copy turned the way its EXIF orientation says it was shot."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception as error:  # a malformed EXIF block
        raise ImageError("image_corrupt") from error


def _normalise(img: Image.Image) -> Image.Image:
    """RGB, transparency on white, longest side at most WORK_SIDE; never modifies the input."""
    rgb = _to_rgb(img)
    size = _fit(rgb.size)
    return rgb if size == rgb.size else rgb.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any Pillow mode to RGB, scaling high bit depths and compositing alpha onto white."""
    if img.mode.startswith(("I", "F")):  # I, I;16*, F: 16-bit, 32-bit and float samples
        return Image.fromarray(_to_uint8(np.asarray(img))).convert("RGB")
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return img.convert("RGB")


def _fit(size: tuple[int, int]) -> tuple[int, int]:
    """The size with the same aspect ratio whose longest side is at most WORK_SIDE."""
    width, height = size
    scale = min(1.0, WORK_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))
