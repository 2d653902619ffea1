"""Render one picture: background, clutter, then the object's parts, jittered, posed and optionally scrambled."""

import math
import random
from dataclasses import replace

import numpy as np
from PIL import Image, ImageDraw

from toyworld.backgrounds import random_background
from toyworld.canvas import CANVAS_SIZE, downsample, draw_shape, subpixels_to_pixels
from toyworld.classes import CLASSES, ClassBuilder
from toyworld.clutter import random_clutter
from toyworld.jumble import JUMBLED_FACE, jumbled
from toyworld.palette import random_palette
from toyworld.scramble import PICASSO, Scramble, scrambled
from toyworld.shapes import Part, about, affine, extent

LABELS: list[str] = list(CLASSES)

_SMALLEST, _LARGEST = 0.45, 0.85  # the object's longer side as a fraction of the image
_TILT = 8.0  # degrees the whole object may lean either way
_MARGIN = 0.03 * CANVAS_SIZE


def _builder(label: str) -> ClassBuilder:
    if label == JUMBLED_FACE:  # a face's parts, jumbled in _scene; not one of the ten LABELS
        return CLASSES["face"]
    if label not in CLASSES:
        raise ValueError(f"unknown label {label!r}; valid labels: {', '.join(LABELS)} or {JUMBLED_FACE!r}")
    return CLASSES[label]


def parts(label: str) -> tuple[str, ...]:
    """Names of the parts of a class that a Scramble may move, rotate or swap."""
    rng = random.Random(0)
    return tuple(part.name for part in _builder(label)(rng, random_palette(rng)) if part.movable)


def _jittered(object_parts: list[Part], rng: random.Random) -> list[Part]:
    """Nudge, turn and resize each movable part a little."""
    jittered = []
    for part in object_parts:
        if part.movable:
            size = rng.uniform(0.92, 1.08)
            wiggle = affine(size, size, rng.uniform(-5, 5), (rng.gauss(0, 0.02), rng.gauss(0, 0.02)))
            part = part.transformed(about(part.centre, wiggle))
        jittered.append(part)
    return jittered


def _pose(object_parts: list[Part], rng: random.Random) -> tuple[np.ndarray, float]:
    """Matrix from the object's local frame to canvas pixels (size, place, tilt, mirror), and its scale."""
    low, high = extent(object_parts)
    scale = rng.uniform(_SMALLEST, _LARGEST) * CANVAS_SIZE / (high - low).max()
    tilt = rng.uniform(-_TILT, _TILT)
    to_canvas = affine(scale * rng.choice((-1, 1)), scale, tilt)
    cos, sin = abs(math.cos(math.radians(tilt))), abs(math.sin(math.radians(tilt)))
    half_width, half_height = scale * (high - low) / 2
    reach = (cos * half_width + sin * half_height + _MARGIN, sin * half_width + cos * half_height + _MARGIN)
    centre = np.array([rng.uniform(reach[0], CANVAS_SIZE - reach[0]), rng.uniform(reach[1], CANVAS_SIZE - reach[1])])
    to_canvas[:, 2] = centre - to_canvas[:, :2] @ ((low + high) / 2)
    return to_canvas, scale


def _scene(label: str, seed: int, scramble: bool | Scramble) -> tuple[Image.Image, list[Part], float]:
    """The supersampled background with its clutter, the object's parts in canvas pixels and their line scale."""
    build = _builder(label)
    rng = random.Random(seed)
    palette = random_palette(rng)
    canvas = random_background(rng, palette)
    draw = ImageDraw.Draw(canvas)
    for shape in random_clutter(rng):
        draw_shape(draw, shape, 1.0)
    object_parts = _jittered(build(rng, palette), rng)
    to_canvas, scale = _pose(object_parts, rng)
    line_scale = scale * rng.uniform(0.7, 1.3)
    if label == JUMBLED_FACE:
        object_parts = jumbled(object_parts, random.Random(f"jumble:{seed}"))
    if scramble:
        # its own stream, so a scrambled picture keeps the plain one's colours, background and pose
        scramble_rng = random.Random(f"scramble:{seed}")
        object_parts = scrambled(object_parts, PICASSO if scramble is True else scramble, scramble_rng)
    return canvas, [part.transformed(to_canvas) for part in object_parts], line_scale


def _draw_parts(canvas: Image.Image, object_parts: list[Part], line_scale: float) -> None:
    """Draw the parts in order, later ones over earlier ones."""
    draw = ImageDraw.Draw(canvas)
    for part in object_parts:
        for shape in part.shapes:
            draw_shape(draw, shape, line_scale)


def render(label: str, seed: int, *, scramble: bool | Scramble = False) -> Image.Image:
    """A 64x64 RGB picture of `label` (one of LABELS, or "jumbled face": a face of the same seed with its parts out
    of place, toyworld.jumble); the same arguments always give the same picture."""
    canvas, object_parts, line_scale = _scene(label, seed, scramble)
    _draw_parts(canvas, object_parts, line_scale)
    return downsample(canvas)


def render_with_masks(label: str, seed: int, *,
                      scramble: bool | Scramble = False) -> tuple[Image.Image, dict[str, np.ndarray]]:
    """`render`'s picture and, per part name and for "object", a 64x64 bool mask of the pixels it shows in.

    A pixel is in a part's mask when any of its supersampled subpixels shows that part (is painted last by it),
    i.e. when the part contributes to the pixel's colour at all; parts hidden behind later parts are not shown
    there. "object" is the union of all parts. Masks are of the drawn (scrambled, if asked) picture.
    """
    canvas, object_parts, line_scale = _scene(label, seed, scramble)
    _draw_parts(canvas, object_parts, line_scale)
    owners = Image.new("L", canvas.size, 0)  # 0: background or clutter, i + 1: object_parts[i]
    _draw_parts(owners, [_painted(part, index + 1) for index, part in enumerate(object_parts)], line_scale)
    owner = np.asarray(owners)
    masks = {part.name: subpixels_to_pixels(owner == index + 1) for index, part in enumerate(object_parts)}
    masks["object"] = subpixels_to_pixels(owner > 0)
    return downsample(canvas), masks


def _painted(part: Part, value: int) -> Part:
    """The part with every colour replaced by one grey level, to label the subpixels it paints."""
    shapes = tuple(replace(shape, fill=value if shape.fill else None, outline=value if shape.outline else None)
                   for shape in part.shapes)
    return replace(part, shapes=shapes)
