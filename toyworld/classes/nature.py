"""Living things: a tree, a flower, a fish and a butterfly."""

import random

import numpy as np

from toyworld.palette import Palette
from toyworld.shapes import Part, Shape, affine, curve, ellipse, filled, mirrored, polygon, stroked


def tree(rng: random.Random, palette: Palette) -> list[Part]:
    """A trunk under three crown layers: stacked triangles (fir) or overlapping blobs (broadleaf)."""
    trunk_half = rng.uniform(0.1, 0.14)
    trunk = polygon((-trunk_half, 0.95), (trunk_half, 0.95), (trunk_half * 0.8, 0.1), (-trunk_half * 0.8, 0.1))
    if rng.random() < 0.5:
        crowns = [polygon((-width, base), (width, base), (0, base - height))
                  for width, base, height in ((0.78, 0.45, 0.7), (0.62, 0.1, 0.65), (0.45, -0.25, 0.7))]
    else:
        crowns = [ellipse(-0.34, -0.05, 0.42, 0.38), ellipse(0.34, -0.1, 0.42, 0.38), ellipse(0, -0.52, 0.46, 0.42)]
    return [Part("trunk", (filled(trunk, palette.detail, palette.ink),), movable=False)] + [
        Part(name, (filled(crown, palette.body, palette.ink),))
        for name, crown in zip(("crown_low", "crown_mid", "crown_top"), crowns)
    ]


def _leaf(attach: np.ndarray, degrees: float, side: int) -> np.ndarray:
    """A pointed leaf growing from `attach`, tilted up by `degrees`, to the right (side 1) or left (side -1)."""
    outline = np.concatenate([curve((0, 0), (0.2, -0.17), (0.42, 0)), curve((0.42, 0), (0.2, 0.17), (0, 0))[1:-1]])
    return outline @ affine(side, 1.0, -degrees * side)[:, :2].T + attach


def flower(rng: random.Random, palette: Palette) -> list[Part]:
    """A curved stem with two leaves, a ring of petals and a round centre."""
    head = (rng.uniform(-0.1, 0.1), -0.45)
    bend = rng.uniform(-0.3, 0.3)
    stem = curve((0, 0.95), (bend, 0.3), head)
    count, reach = rng.randint(5, 8), rng.uniform(0.24, 0.3)
    turn = rng.uniform(0, 360)
    petals = tuple(
        filled(ellipse(head[0] + reach * np.cos(angle), head[1] + reach * np.sin(angle), 0.24, 0.12, np.degrees(angle)),
               palette.body, palette.ink)
        for angle in np.radians(np.arange(count) * 360 / count + turn))
    return [
        Part("stem", (stroked(stem, palette.detail, 0.08, palette.ink),), movable=False),
        Part("left_leaf", (filled(_leaf(stem[6], rng.uniform(20, 50), -1), palette.detail, palette.ink),),
             group="leaves"),
        Part("right_leaf", (filled(_leaf(stem[4], rng.uniform(20, 50), 1), palette.detail, palette.ink),),
             group="leaves"),
        Part("petals", petals),
        Part("centre", (filled(ellipse(*head, 0.15, 0.15), palette.accent, palette.ink),)),
    ]


def fish(rng: random.Random, palette: Palette) -> list[Part]:
    """A fish swimming right: an oval body, a forked tail, two fins, a gill line and an eye."""
    half_height = rng.uniform(0.32, 0.42)
    tail_reach = rng.uniform(0.35, 0.45)
    tail = polygon((-0.45, 0), (-0.95, -tail_reach), (-0.8, 0), (-0.95, tail_reach))
    top_fin = polygon((-0.3, -half_height * 0.8), (-0.05, -half_height - rng.uniform(0.22, 0.32)),
                      (0.3, -half_height * 0.85))
    bottom_fin = polygon((-0.15, half_height * 0.85), (-0.1, half_height + 0.2), (0.15, half_height * 0.9))
    gill = curve((0.25, -half_height * 0.6), (0.12, 0), (0.25, half_height * 0.6))
    return [
        Part("tail", (filled(tail, palette.accent, palette.ink),)),
        Part("top_fin", (filled(top_fin, palette.accent, palette.ink),), group="fins"),
        Part("bottom_fin", (filled(bottom_fin, palette.accent, palette.ink),), group="fins"),
        Part("body", (filled(ellipse(0.1, 0, 0.62, half_height), palette.body, palette.ink),), movable=False),
        Part("gill", (stroked(gill, palette.ink, 0.05),)),
        Part("eye", (filled(ellipse(0.45, -0.1, 0.1, 0.1), palette.light, palette.ink),
                     filled(ellipse(0.47, -0.1, 0.05, 0.05), palette.dark))),
    ]


def _wing(centre: tuple[float, float], radii: tuple[float, float], degrees: float, colours: tuple,
          palette: Palette) -> tuple[Shape, Shape]:
    """An oval wing with a smaller oval spot in its middle."""
    colour, spot_colour = colours
    return (filled(ellipse(*centre, *radii, degrees), colour, palette.ink),
            filled(ellipse(*centre, radii[0] * 0.35, radii[1] * 0.35, degrees), spot_colour, palette.ink))


def _wing_pair(centre: tuple[float, float], radii: tuple[float, float], degrees: float, colours: tuple,
               palette: Palette) -> tuple[tuple, tuple]:
    """Left and right wings, mirror images of each other."""
    return (_wing((-centre[0], centre[1]), radii, -degrees, colours, palette),
            _wing(centre, radii, degrees, colours, palette))


def butterfly(rng: random.Random, palette: Palette) -> list[Part]:
    """Four wings with spots around a slim body, and two antennae with knobs."""
    upper = ((rng.uniform(0.42, 0.5), -0.28), (rng.uniform(0.42, 0.5), rng.uniform(0.3, 0.36)), -rng.uniform(15, 35))
    lower = ((0.36, 0.3), (rng.uniform(0.26, 0.32), rng.uniform(0.22, 0.28)), rng.uniform(20, 40))
    antenna = curve((0.03, -0.55), (0.08, -0.85), (rng.uniform(0.25, 0.35), -0.95))
    knob = ellipse(*antenna[-1], 0.05, 0.05)
    upper_left, upper_right = _wing_pair(*upper, (palette.body, palette.accent), palette)
    lower_left, lower_right = _wing_pair(*lower, (palette.body, palette.detail), palette)
    return [
        Part("left_lower_wing", lower_left, group="lower_wings"),
        Part("right_lower_wing", lower_right, group="lower_wings"),
        Part("left_upper_wing", upper_left, group="upper_wings"),
        Part("right_upper_wing", upper_right, group="upper_wings"),
        Part("body", (filled(ellipse(0, 0.05, 0.08, 0.5), palette.dark, palette.ink),
                      filled(ellipse(0, -0.5, 0.1, 0.1), palette.dark, palette.ink)), movable=False),
        Part("antennae", tuple(stroked(points, palette.dark, 0.04) for points in (antenna, mirrored(antenna)))
             + (filled(knob, palette.dark), filled(mirrored(knob), palette.dark))),
    ]
