"""Odd, broken and hostile upload files, generated with Pillow and numpy (no downloads, no pytest)."""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from images.decode import MAX_FILE_BYTES

RGB = tuple[int, int, int]
RED: RGB = (220, 30, 30)
BLUE: RGB = (30, 60, 220)
CYAN: RGB = (0, 255, 255)
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
MID_GREY: RGB = (128, 128, 128)


@dataclass(frozen=True)
class CorpusCase:
    """One upload file and what load_image should make of it."""

    name: str
    path: Path
    ok: bool
    expect: str  # ok: what the result looks like; not ok: a lowercase substring of the error message
    expect_size: tuple[int, int] | None = None  # (width, height) of the decoded image
    portrait: bool | None = None  # decoded image taller than wide
    colours: tuple[tuple[float, float, RGB], ...] = ()  # (x, y as fractions of the size, colour there)


def build_corpus(directory: Path) -> list[CorpusCase]:
    """Write every corpus file into directory and describe each one."""
    directory.mkdir(parents=True, exist_ok=True)
    return _valid_cases(directory) + _invalid_cases(directory)


def corpus_names(ok: bool) -> list[str]:
    """Names of the cases load_image should accept (ok) or refuse, for parametrising before the corpus exists."""
    with tempfile.TemporaryDirectory() as directory:
        return [case.name for case in build_corpus(Path(directory)) if case.ok == ok]


def _valid_cases(d: Path) -> list[CorpusCase]:
    """Odd but valid images that must decode."""
    halves = _halves(RED, BLUE, (64, 48))
    red_over_blue = ((0.5, 0.1, RED), (0.5, 0.9, BLUE))
    white_over_red = ((0.5, 0.1, WHITE), (0.5, 0.9, RED))
    ramp = ((0, 0.5, BLACK), (0.5, 0.5, MID_GREY), (0.999, 0.5, WHITE))
    return [
        _valid("tiny_1x1", _save(d / "tiny_1x1.png", Image.new("RGB", (1, 1), RED)),
               "a single red pixel", (1, 1), ((0, 0, RED),)),
        _valid("wide_2000x3", _save(d / "wide_2000x3.png", Image.new("RGB", (2000, 3), RED)),
               "landscape strip shrunk to 1024 wide", (1024, 2), ((0.5, 0.5, RED),), portrait=False),
        _valid("tall_3x2000", _save(d / "tall_3x2000.png", Image.new("RGB", (3, 2000), BLUE)),
               "portrait strip shrunk to 1024 tall", (2, 1024), ((0.5, 0.5, BLUE),), portrait=True),
        _valid("grey16_gradient", _save(d / "grey16_gradient.png", _gradient16()),
               "16-bit black-to-white ramp, not clipped to white", (256, 64), ramp),
        _valid("cmyk_jpeg", _save(d / "cmyk.jpg", Image.new("CMYK", (64, 48), (255, 0, 0, 0))),
               "cyan from a CMYK JPEG", (64, 48), ((0.5, 0.5, CYAN),)),
        _valid("palette", _save(d / "palette.png", halves.convert("P")),
               "red over blue from a palette", (64, 48), red_over_blue),
        _valid("palette_transparent", _save(d / "palette_trns.png", _palette_transparent(), transparency=0),
               "transparent palette entry on white", (64, 48), white_over_red),
        _valid("bilevel", _save(d / "bilevel.png", _halves(BLACK, WHITE, (64, 48)).convert("1")),
               "black over white from a 1-bit image", (64, 48), ((0.5, 0.1, BLACK), (0.5, 0.9, WHITE))),
        _valid("float_tiff", _save(d / "float.tif", _float_ramp()),
               "float ramp from -3 to 5 stretched to black-to-white", (200, 50), ramp),
        _valid("rgba", _save(d / "rgba.png", _transparent_top("RGBA", (0, 0, 255, 0), (*RED, 255))),
               "transparent (blue) top on white", (64, 48), white_over_red),
        _valid("la", _save(d / "la.png", _transparent_top("LA", (0, 0), (128, 255))),
               "transparent (black) top on white", (64, 48), ((0.5, 0.1, WHITE), (0.5, 0.9, MID_GREY))),
        _valid("rgb_trns", _save(d / "rgb_trns.png", halves, transparency=RED),
               "RGB with red marked transparent, on white", (64, 48), ((0.5, 0.1, WHITE), (0.5, 0.9, BLUE))),
        _valid("animated_gif", _animated_gif(d / "animated.gif"),
               "the first (red) frame", (64, 48), ((0.5, 0.5, RED),)),
        _valid("exif_rotated", _exif_rotated(d / "exif_rotated.jpg"),
               "portrait: landscape pixels tagged orientation 6", (48, 64),
               ((0.1, 0.5, BLUE), (0.9, 0.5, RED)), portrait=True),
        _valid("bmp", _save(d / "image.bmp", halves), "red over blue", (64, 48), red_over_blue),
        _valid("ico", _save(d / "icon.ico", Image.new("RGBA", (32, 32), (*BLUE, 255)), sizes=[(16, 16), (32, 32)]),
               "the largest (32x32) icon", (32, 32), ((0.5, 0.5, BLUE),)),
        _valid("webp", _save(d / "image.webp", halves, lossless=True), "red over blue", (64, 48), red_over_blue),
        _valid("grey_jpeg", _save(d / "grey.jpg", Image.new("L", (64, 48), 128)),
               "mid grey from an 8-bit greyscale JPEG", (64, 48), ((0.5, 0.5, MID_GREY),)),
        _valid("photo_12mp", _save(d / "photo_12mp.jpg", _halves(RED, BLUE, (4000, 3000)), quality=80),
               "landscape 4000x3000 photo shrunk to 1024 wide", (1024, 768), red_over_blue, portrait=False),
        _valid("jpeg_named_png", _save(d / "jpeg_named.png", halves, format="JPEG"),
               "a JPEG behind a .png name, sniffed by content", (64, 48), red_over_blue),
    ]


def _invalid_cases(d: Path) -> list[CorpusCase]:
    """Files that must be refused, each with words its message must contain."""
    png = _png_bytes(_halves(RED, BLUE, (64, 48)))
    jpeg = _jpeg_bytes(np.random.default_rng(0).integers(0, 256, (48, 64, 3), dtype=np.uint8))
    return [
        _invalid("empty", _write(d / "empty.png", b""), "empty"),
        _invalid("text", _write(d / "notes.txt", b"Just some notes, not a picture.\n" * 20), "not an image"),
        _invalid("text_named_jpg", _write(d / "notes.jpg", "Plain text, caf\u00e9.\n".encode()), "not an image"),
        _invalid("html", _write(d / "page.html", _HTML), "not an image"),
        _invalid("pdf", _write(d / "document.pdf", _PDF), "not an image"),
        _invalid("zip", _zip(d / "archive.zip"), "not an image"),
        _invalid("svg", _write(d / "drawing.svg", _SVG), "svg"),
        _invalid("random_bytes", _write(d / "random.bin", np.random.default_rng(1).bytes(4096)), "not an image"),
        _invalid("truncated_png", _write(d / "truncated.png", png[: len(png) // 2]), "corrupt"),
        _invalid("truncated_jpeg", _write(d / "truncated.jpg", jpeg[: len(jpeg) // 2]), "corrupt"),
        _invalid("png_header_only", _write(d / "header_only.png", png[:20]), "corrupt"),
        _invalid("png_garbled_data", _write(d / "garbled.png", _garble_idat(png)), "corrupt"),
        _invalid("bomb_png_30000", _write(d / "bomb_30000.png", _png_claiming(30000, 30000)), "too many pixels"),
        _invalid("bomb_png_10000", _write(d / "bomb_10000.png", _png_claiming(10000, 10000)), "too many pixels"),
        _invalid("bomb_png_8000x6000", _write(d / "bomb_8000.png", _png_claiming(8000, 6000)), "too many pixels"),
        _invalid("bomb_jpeg", _write(d / "bomb.jpg", _jpeg_claiming(jpeg, 50000, 50000)), "too many pixels"),
        _invalid("too_large", _too_large(d / "too_large.png", png), "too large"),
        _invalid("missing", d / "missing.png", "could not be found"),
    ]


def _valid(
    name: str,
    path: Path,
    expect: str,
    size: tuple[int, int],
    colours: tuple[tuple[float, float, RGB], ...],
    portrait: bool | None = None,
) -> CorpusCase:
    """A case load_image must accept."""
    return CorpusCase(name, path, True, expect, size, portrait, colours)


def _invalid(name: str, path: Path, expect: str) -> CorpusCase:
    """A case load_image must refuse with a message containing expect."""
    return CorpusCase(name, path, False, expect)


_HTML = b"<!DOCTYPE html>\n<html><body><img src='cat.png' alt='a cat'></body></html>\n"
_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48">\n'
    b'  <rect width="64" height="48" fill="red"/>\n'
    b"</svg>\n"
)


def _save(path: Path, image: Image.Image, **params: object) -> Path:
    """Save an image (format from the suffix unless given) and return its path."""
    image.save(path, **params)
    return path


def _write(path: Path, data: bytes) -> Path:
    """Write raw bytes and return the path."""
    path.write_bytes(data)
    return path


def _halves(top: RGB, bottom: RGB, size: tuple[int, int]) -> Image.Image:
    """An RGB image whose top half is one colour and bottom half another."""
    image = Image.new("RGB", size, top)
    image.paste(bottom, (0, size[1] // 2, *size))
    return image


def _transparent_top(mode: str, top: tuple[int, ...], bottom: tuple[int, ...]) -> Image.Image:
    """A 64x48 image in mode with a fully transparent top half."""
    image = Image.new(mode, (64, 48), top)
    image.paste(bottom, (0, 24, 64, 48))
    return image


def _palette_transparent() -> Image.Image:
    """A palette image whose index 0 (top half) is transparent and index 1 (bottom half) red."""
    image = Image.new("P", (64, 48), 0)
    image.putpalette([0, 0, 255, *RED])
    image.paste(1, (0, 24, 64, 48))
    return image


def _gradient16() -> Image.Image:
    """A 256x64 16-bit greyscale left-to-right ramp over the full 0..65535 range."""
    ramp = np.linspace(0, 65535, 256).round().astype(np.uint16)
    return Image.fromarray(np.tile(ramp, (64, 1)))


def _float_ramp() -> Image.Image:
    """A 200x50 32-bit float ramp from -3 to 5 (mode F), outside any 8-bit range."""
    return Image.fromarray(np.tile(np.linspace(-3.0, 5.0, 200, dtype=np.float32), (50, 1)))


def _animated_gif(path: Path) -> Path:
    """A two-frame GIF: red, then blue."""
    first, second = Image.new("RGB", (64, 48), RED), Image.new("RGB", (64, 48), BLUE)
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)
    return path


def _exif_rotated(path: Path) -> Path:
    """A landscape JPEG tagged orientation 6: shown rotated 90 degrees clockwise, so portrait."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the stored top row is the displayed right column
    _halves(RED, BLUE, (64, 48)).save(path, exif=exif)
    return path


def _zip(path: Path) -> Path:
    """A ZIP archive holding one text file."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not an image")
    return path


def _too_large(path: Path, png: bytes) -> Path:
    """A valid PNG padded (sparsely) to 1 MB over the upload limit."""
    with path.open("wb") as file:
        file.write(png)
        file.truncate(MAX_FILE_BYTES + 2**20)
    return path


def _png_bytes(image: Image.Image) -> bytes:
    """Encode an image as PNG."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg_bytes(pixels: np.ndarray) -> bytes:
    """Encode an RGB array as a baseline JPEG."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _garble_idat(png: bytes) -> bytes:
    """The PNG with its compressed pixel data overwritten by junk (chunk CRC left stale)."""
    start = png.index(b"IDAT") + 4
    return png[:start] + b"\xff" * 32 + png[start + 32 :]


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny 1-bit PNG whose IHDR claims width x height, its CRC recomputed so the header is valid."""
    png = bytearray(_png_bytes(Image.new("1", (8, 8))))
    png[16:24] = struct.pack(">II", width, height)  # IHDR data starts after signature(8) + length(4) + type(4)
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))  # CRC over type and data
    return bytes(png)


def _jpeg_claiming(jpeg: bytes, width: int, height: int) -> bytes:
    """The JPEG with its baseline frame header (SOF0) claiming width x height."""
    data = bytearray(jpeg)
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)  # after marker(2), length(2), precision(1)
    return bytes(data)
