"""Random backgrounds: flat, gradient, blotchy noise, stripes, checks and dots."""

import math
import random

import numpy as np
from PIL import Image

from toyworld.canvas import CANVAS_SIZE
from toyworld.palette import Palette

_COLUMNS, _ROWS = np.meshgrid(np.arange(CANVAS_SIZE, dtype=np.float32), np.arange(CANVAS_SIZE, dtype=np.float32))


def _along(degrees: float) -> np.ndarray:
    """Pixel coordinate measured along a direction (0 degrees = left to right)."""
    radians = math.radians(degrees)
    return _COLUMNS * math.cos(radians) + _ROWS * math.sin(radians)


def _gradient(rng: random.Random) -> np.ndarray:
    along = _along(rng.uniform(0, 360))
    return (along - along.min()) / (along.max() - along.min())


def _noise(rng: random.Random) -> np.ndarray:
    cells = rng.randint(3, 9)
    coarse = Image.fromarray(np.random.default_rng(rng.getrandbits(32)).integers(0, 256, (cells, cells), np.uint8))
    return np.asarray(coarse.resize((CANVAS_SIZE, CANVAS_SIZE), Image.BICUBIC), dtype=np.float32) / 255


def _stripes(rng: random.Random) -> np.ndarray:
    period = rng.uniform(10, 40)
    return (_along(rng.uniform(0, 180)) % period) < period * rng.uniform(0.3, 0.6)


def _checks(rng: random.Random) -> np.ndarray:
    period, degrees = rng.uniform(14, 48), rng.uniform(0, 90)
    return (np.floor(_along(degrees) / period) + np.floor(_along(degrees + 90) / period)) % 2 == 0


def _dots(rng: random.Random) -> np.ndarray:
    period, degrees = rng.uniform(14, 36), rng.uniform(0, 90)
    radius = period * rng.uniform(0.15, 0.35)
    across = _along(degrees) % period - period / 2
    down = _along(degrees + 90) % period - period / 2
    return across * across + down * down < radius * radius


_PATTERNS = (_gradient, _noise, _stripes, _checks, _dots)


def random_background(rng: random.Random, palette: Palette) -> Image.Image:
    """A canvas-sized RGB background mixing the palette's two background colours."""
    base = Image.new("RGB", (CANVAS_SIZE, CANVAS_SIZE), palette.background)
    if rng.random() < 1 / (len(_PATTERNS) + 1):
        return base
    mix = rng.choice(_PATTERNS)(rng)
    mask = Image.fromarray((mix * 255).astype(np.uint8), "L")
    return Image.composite(Image.new("RGB", base.size, palette.background_alt), base, mask)
