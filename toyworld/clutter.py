"""Distractors: a few small random shapes that belong to no class."""

import random

import numpy as np

from toyworld.canvas import CANVAS_SIZE
from toyworld.palette import random_colour
from toyworld.shapes import RGB, Shape, affine, arc, ellipse, filled, polygon, stroked


def _star(radius: float) -> np.ndarray:
    angles = np.radians(np.arange(10) * 36)
    radii = np.where(np.arange(10) % 2 == 0, radius, radius * 0.45)
    return np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1)


def _regular(corners: int, radius: float) -> np.ndarray:
    angles = np.radians(np.arange(corners) * 360 / corners)
    return np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)


def _zigzag(radius: float) -> np.ndarray:
    return polygon(*[(x, radius * 0.4 * (-1) ** i) for i, x in enumerate(np.linspace(-radius, radius, 5))])


def _random_shape(rng: random.Random, radius: float, colour: RGB) -> Shape:
    kind = rng.randrange(6)
    if kind == 0:
        return filled(_regular(rng.randint(3, 6), radius), colour)
    if kind == 1:
        return filled(ellipse(0, 0, radius, radius * rng.uniform(0.4, 1.0)), colour)
    if kind == 2:
        return filled(_star(radius), colour)
    if kind == 3:
        return stroked(arc(0, 0, radius, radius, 0, rng.uniform(180, 360), 16), colour, radius * 0.35)
    if kind == 4:
        return stroked(_zigzag(radius), colour, radius * 0.3)
    return stroked(polygon((-radius, 0), (radius, 0)), colour, radius * 0.35)


def random_clutter(rng: random.Random) -> list[Shape]:
    """Up to four small shapes in canvas pixels, placed and turned at random."""
    shapes = []
    for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4])):
        shape = _random_shape(rng, CANVAS_SIZE * rng.uniform(0.035, 0.08), random_colour(rng))
        place = affine(degrees=rng.uniform(0, 360), shift=(rng.uniform(0, CANVAS_SIZE), rng.uniform(0, CANVAS_SIZE)))
        shapes.append(shape.transformed(place))
    return shapes
