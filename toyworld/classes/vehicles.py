"""Things that travel, all drawn heading right: a car, a sailing boat and a rocket."""

import random

import numpy as np

from toyworld.palette import Palette
from toyworld.shapes import Part, curve, ellipse, filled, mirrored, polygon, rectangle


def _wheel(x: float, y: float, radius: float, palette: Palette) -> tuple:
    return (filled(ellipse(x, y, radius, radius), palette.detail, palette.ink),
            filled(ellipse(x, y, radius * 0.45, radius * 0.45), palette.light, palette.ink))


def car(rng: random.Random, palette: Palette) -> list[Part]:
    """Side view: a body with a cabin on top, two windows, two wheels and a headlight."""
    top = rng.uniform(-0.05, 0.05)
    bottom, bonnet = top + rng.uniform(0.38, 0.48), rng.uniform(0.12, 0.22)
    roof = top - rng.uniform(0.36, 0.46)
    body = polygon((-0.95, top + 0.06), (-0.89, top), (0.95 - bonnet, top), (0.95, top + bonnet),
                   (0.95, bottom), (-0.95, bottom))
    cabin = polygon((-0.62, top + 0.02), (-0.5, roof), (0.16, roof), (0.45, top + 0.02))
    rear_window = polygon((-0.52, top - 0.04), (-0.44, roof + 0.07), (-0.12, roof + 0.07), (-0.12, top - 0.04))
    front_window = polygon((-0.04, top - 0.04), (-0.04, roof + 0.07), (0.12, roof + 0.07), (0.34, top - 0.04))
    wheel_radius, wheel_x = rng.uniform(0.2, 0.26), rng.uniform(0.5, 0.6)
    return [
        Part("cabin", (filled(cabin, palette.body, palette.ink),)),
        Part("body", (filled(body, palette.body, palette.ink),), movable=False),
        Part("rear_window", (filled(rear_window, palette.light, palette.ink),), group="windows"),
        Part("front_window", (filled(front_window, palette.light, palette.ink),), group="windows"),
        Part("rear_wheel", _wheel(-wheel_x, bottom, wheel_radius, palette), group="wheels"),
        Part("front_wheel", _wheel(wheel_x, bottom, wheel_radius, palette), group="wheels"),
        Part("headlight", (filled(ellipse(0.9, top + bonnet + 0.07, 0.05, 0.06), palette.accent, palette.ink),)),
    ]


def boat(rng: random.Random, palette: Palette) -> list[Part]:
    """A hull with portholes, a mast carrying a main sail and a jib, and a flag on top."""
    deck, keel = rng.uniform(0.25, 0.35), rng.uniform(0.65, 0.75)
    hull = polygon((-0.95, deck), (0.95, deck - 0.05), (0.65, keel), (-0.7, keel))
    mast_top, boom = -0.95, deck - rng.uniform(0.08, 0.15)
    flag = polygon((0.0, mast_top), (rng.uniform(0.22, 0.32), mast_top + 0.08), (0.0, mast_top + 0.16))
    holes = rng.randint(2, 3)
    porthole_xs = [-0.45 + 0.8 * i / (holes - 1) for i in range(holes)]
    return [
        Part("mast", (filled(rectangle(-0.03, mast_top, 0.03, deck + 0.05), palette.dark, palette.ink),)),
        Part("main_sail", (filled(polygon((0.07, mast_top + 0.1), (0.07, boom), (rng.uniform(0.6, 0.8), boom)),
                                  palette.light, palette.ink),), group="sails"),
        Part("jib", (filled(polygon((-0.07, mast_top + 0.25), (-0.07, boom), (-rng.uniform(0.45, 0.6), boom)),
                            palette.accent, palette.ink),), group="sails"),
        Part("flag", (filled(flag, palette.detail, palette.ink),)),
        Part("hull", (filled(hull, palette.body, palette.ink),), movable=False),
        Part("portholes", tuple(filled(ellipse(x, (deck + keel) / 2, 0.07, 0.07), palette.light, palette.ink)
                                for x in porthole_xs)),
    ]


def rocket(rng: random.Random, palette: Palette) -> list[Part]:
    """An upright rocket: a body with a nose cone, a porthole, two fins and a flame."""
    half = rng.uniform(0.22, 0.28)
    shoulder, base = -0.45, 0.55
    body = polygon((-half, shoulder), (half, shoulder), (half * 0.9, base), (-half * 0.9, base))
    cone = np.concatenate([curve((-half, shoulder), (-half, -0.8), (0, -0.97)),
                           curve((0, -0.97), (half, -0.8), (half, shoulder))[1:]])
    fin = polygon((half * 0.95, 0.1), (half * 0.9, base), (half + 0.3, 0.75), (half + 0.3, 0.45))
    flicker = [rng.uniform(0.8, 0.98) for _ in range(3)]
    flame = polygon((-half * 0.7, base), (-half * 0.55, flicker[0]), (-half * 0.2, base + 0.15), (0, flicker[1]),
                    (half * 0.2, base + 0.15), (half * 0.55, flicker[2]), (half * 0.7, base))
    return [
        Part("flame", (filled(flame, palette.detail, palette.ink),)),
        Part("left_fin", (filled(mirrored(fin), palette.accent, palette.ink),), group="fins"),
        Part("right_fin", (filled(fin, palette.accent, palette.ink),), group="fins"),
        Part("body", (filled(body, palette.body, palette.ink),), movable=False),
        Part("nose_cone", (filled(cone, palette.accent, palette.ink),)),
        Part("window", (filled(ellipse(0, -0.12, half * 0.55, half * 0.55), palette.light, palette.ink),)),
    ]
