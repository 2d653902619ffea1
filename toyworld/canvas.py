"""The supersampled canvas: drawing shapes in pixels and shrinking to the final size."""

import numpy as np
from PIL import Image, ImageDraw

from toyworld.shapes import OUTLINE, RGB, Shape

IMAGE_SIZE = 64
SUPERSAMPLE = 4
CANVAS_SIZE = IMAGE_SIZE * SUPERSAMPLE

_SHARP_CORNERS = 8  # polygons with at most this many points get rounded joints on their outline


def _round_cap(draw: ImageDraw.ImageDraw, x: float, y: float, width: float, colour: RGB) -> None:
    radius = width / 2
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def _stroke(draw: ImageDraw.ImageDraw, flat: list[float], colour: tuple, width: float) -> None:
    draw.line(flat, fill=colour, width=max(1, round(width)))
    _round_cap(draw, flat[0], flat[1], width, colour)
    _round_cap(draw, flat[-2], flat[-1], width, colour)


def draw_shape(draw: ImageDraw.ImageDraw, shape: Shape, line_scale: float) -> None:
    """Draw a shape whose points are already in canvas pixels; widths are multiplied by `line_scale`."""
    flat = shape.points.ravel().tolist()
    width = shape.width * line_scale
    if not shape.closed:
        if shape.outline:
            _stroke(draw, flat, shape.outline, width + 2 * OUTLINE * line_scale)
        _stroke(draw, flat, shape.fill, width)
        return
    if shape.fill:
        draw.polygon(flat, fill=shape.fill)
    if shape.outline:
        joint = "curve" if len(shape.points) <= _SHARP_CORNERS else None
        draw.line(flat + flat[:2], fill=shape.outline, width=max(1, round(width)), joint=joint)


def downsample(canvas: Image.Image) -> Image.Image:
    """Box-filter the supersampled canvas down to the final image size (this is the antialiasing)."""
    return canvas.reduce(SUPERSAMPLE)


def subpixels_to_pixels(subpixels: np.ndarray) -> np.ndarray:
    """A bool mask of the supersampled canvas at the final size: a pixel is set if any of its subpixels is."""
    size = subpixels.shape[0] // SUPERSAMPLE
    return subpixels.reshape(size, SUPERSAMPLE, size, SUPERSAMPLE).any(axis=(1, 3))
