"""Tests for images.decode: every corpus file, then bytes, array and PIL inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.image_corpus import CorpusCase, build_corpus, corpus_names
from images.decode import MAX_FILE_BYTES, WORK_SIDE, ImageError, load_image

TOLERANCE = 40  # per channel: JPEG and resampling move colours a little


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CorpusCase]:
    """Every corpus case by name, written once into a temporary folder."""
    return {case.name: case for case in build_corpus(tmp_path_factory.mktemp("corpus"))}


def assert_colour(image: Image.Image, x: float, y: float, expected: tuple[int, int, int]) -> None:
    """The pixel at fractions (x, y) of the image is within TOLERANCE of expected."""
    width, height = image.size
    actual = image.getpixel((min(int(x * width), width - 1), min(int(y * height), height - 1)))
    assert all(abs(a - e) <= TOLERANCE for a, e in zip(actual, expected)), f"{actual} at {(x, y)}, not {expected}"


def assert_refused(source: object, expected: str) -> str:
    """load_image raises ImageError with expected in its message; returns the message."""
    with pytest.raises(ImageError) as raised:
        load_image(source)
    message = str(raised.value)
    assert expected in message.lower(), message
    return message


def test_corpus_is_large_enough(corpus: dict[str, CorpusCase]) -> None:
    assert len(corpus) >= 25
    assert all(case.path.exists() for case in corpus.values() if case.name != "missing")


@pytest.mark.parametrize("name", corpus_names(ok=True))
def test_valid_file_decodes(corpus: dict[str, CorpusCase], name: str) -> None:
    case = corpus[name]
    image = load_image(case.path)
    assert image.mode == "RGB"
    assert max(image.size) <= WORK_SIDE
    if case.expect_size is not None:
        assert image.size == case.expect_size
    if case.portrait is not None:
        assert (image.height > image.width) == case.portrait, image.size
    for x, y, colour in case.colours:
        assert_colour(image, x, y, colour)


@pytest.mark.parametrize("name", corpus_names(ok=False))
def test_bad_file_is_refused_plainly(corpus: dict[str, CorpusCase], name: str) -> None:
    case = corpus[name]
    message = assert_refused(case.path, case.expect)
    assert "/" not in message and "\\" not in message, message
    assert case.path.name not in message and "Traceback" not in message, message


@pytest.mark.parametrize("name", ["rgba", "exif_rotated", "grey16_gradient", "photo_12mp", "truncated_png", "svg"])
def test_bytes_behave_like_the_file(corpus: dict[str, CorpusCase], name: str) -> None:
    case = corpus[name]
    if case.ok:
        assert load_image(case.path.read_bytes()).tobytes() == load_image(case.path).tobytes()
    else:
        assert_refused(case.path.read_bytes(), case.expect)


def test_oversized_bytes_are_refused() -> None:
    assert_refused(bytes(MAX_FILE_BYTES + 1), "too large")


def test_empty_bytes_and_none_are_refused() -> None:
    assert_refused(b"", "empty")
    assert_refused(None, "no image")


def test_directory_is_refused(tmp_path: Path) -> None:
    assert_refused(tmp_path, "not a regular file")


RAMP = np.linspace(0.0, 1.0, 256)


@pytest.mark.parametrize(
    ("array", "left", "right"),
    [
        ((RAMP * 255).astype(np.uint8)[None, :].repeat(8, 0), 0, 255),
        ((RAMP * 65535).astype(np.uint16)[None, :].repeat(8, 0), 0, 255),
        ((RAMP * 65535).astype(np.int32)[None, :].repeat(8, 0), 0, 255),
        ((RAMP * 255).astype(np.int64)[None, :].repeat(8, 0), 0, 255),
        (RAMP.astype(np.float32)[None, :].repeat(8, 0), 0, 255),
        ((RAMP * 1000 - 500)[None, :].repeat(8, 0), 0, 255),
        ((RAMP > 0.5)[None, :].repeat(8, 0), 0, 255),
        (np.stack([RAMP * 255] * 3, -1).astype(np.uint8)[None].repeat(8, 0), 0, 255),
        (np.stack([RAMP] * 3, -1)[None, :, None, :].repeat(8, 0)[:, :, 0, :1], 0, 255),
    ],
    ids=["uint8", "uint16", "int32-16bit", "int64-8bit", "float-unit", "float-any-range", "bool", "rgb", "hw1"],
)
def test_array_ranges_map_to_black_and_white(array: np.ndarray, left: int, right: int) -> None:
    image = load_image(array)
    assert image.mode == "RGB" and image.size == (array.shape[1], array.shape[0])
    assert image.getpixel((0, 0)) == (left,) * 3
    assert image.getpixel((image.width - 1, 0)) == (right,) * 3


def test_rgba_array_is_composited_on_white() -> None:
    pixels = np.zeros((4, 4, 4), np.uint8)
    pixels[:2] = (0, 0, 255, 0)  # transparent blue above
    pixels[2:] = (255, 0, 0, 255)  # opaque red below
    image = load_image(pixels)
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert image.getpixel((0, 3)) == (255, 0, 0)


def test_large_array_is_shrunk() -> None:
    image = load_image(np.broadcast_to(np.uint8(90), (3000, 2000, 3)))
    assert image.size == (683, 1024)


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (np.zeros((4, 4, 2), np.uint8), "shape"),
        (np.zeros((0, 4), np.uint8), "empty"),
        (np.zeros((4, 4), object), "numbers"),
        (np.zeros((4, 4), np.complex64), "numbers"),
        (np.broadcast_to(np.uint8(0), (8000, 6000)), "too many pixels"),
    ],
    ids=["two-channels", "no-pixels", "object", "complex", "48-megapixels"],
)
def test_bad_arrays_are_refused(array: np.ndarray, expected: str) -> None:
    assert_refused(array, expected)


def test_pil_input_is_converted_without_being_modified() -> None:
    source = Image.new("LA", (2048, 10), (0, 0))
    image = load_image(source)
    assert source.mode == "LA" and source.size == (2048, 10)
    assert image.mode == "RGB" and image.size == (1024, 5)
    assert image.getpixel((0, 0)) == (255, 255, 255)
