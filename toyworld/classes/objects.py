"""Man-made things that stand still: a house and a clock."""

import random

from toyworld.palette import Palette
from toyworld.shapes import Part, affine, ellipse, filled, polygon, rectangle, stroked


def _window(x: float, y: float, half: float, palette: Palette) -> tuple:
    bars = (polygon((x - half, y), (x + half, y)), polygon((x, y - half), (x, y + half)))
    return (filled(rectangle(x - half, y - half, x + half, y + half), palette.light, palette.ink),
            *(stroked(bar, palette.dark, 0.035) for bar in bars))


def house(rng: random.Random, palette: Palette) -> list[Part]:
    """Walls with a pitched roof, a chimney, a door and two windows."""
    half_width, wall_top, floor = rng.uniform(0.55, 0.75), rng.uniform(-0.15, 0.0), 0.9
    eave = half_width + rng.uniform(0.05, 0.15)
    roof = polygon((-eave, wall_top), (rng.uniform(-0.1, 0.1), -0.9), (eave, wall_top))
    chimney_x = rng.choice((-1, 1)) * half_width * rng.uniform(0.45, 0.6)
    door_x, door_half = rng.uniform(-0.12, 0.12), rng.uniform(0.12, 0.16)
    door_top = floor - rng.uniform(0.38, 0.45)
    window_y, window_half = wall_top + 0.24, rng.uniform(0.12, 0.15)
    window_x = half_width * rng.uniform(0.55, 0.65)
    return [
        Part("chimney", (filled(rectangle(chimney_x - 0.09, -0.75, chimney_x + 0.09, wall_top), palette.detail,
                                palette.ink),)),
        Part("walls", (filled(rectangle(-half_width, wall_top, half_width, floor), palette.body, palette.ink),),
             movable=False),
        Part("roof", (filled(roof, palette.accent, palette.ink),)),
        Part("door", (filled(rectangle(door_x - door_half, door_top, door_x + door_half, floor), palette.detail,
                             palette.ink),
                      filled(ellipse(door_x + door_half * 0.5, (door_top + floor) / 2, 0.03, 0.03), palette.dark))),
        Part("left_window", _window(-window_x, window_y, window_half, palette), group="windows"),
        Part("right_window", _window(window_x, window_y, window_half, palette), group="windows"),
    ]


def _hand(degrees: float, length: float, thickness: float, palette: Palette) -> tuple:
    end = polygon((0.0, 0.0), (length, 0.0)) @ affine(degrees=degrees)[:, :2].T
    return (stroked(end, palette.dark, thickness),)


def _ticks(radius: float, palette: Palette) -> tuple:
    ticks = []
    for hour in range(12):
        length = 0.16 if hour % 3 == 0 else 0.08
        mark = rectangle(radius - length, -0.025, radius, 0.025) @ affine(degrees=hour * 30)[:, :2].T
        ticks.append(filled(mark, palette.dark))
    return tuple(ticks)


def clock(rng: random.Random, palette: Palette) -> list[Part]:
    """A round clock face with a rim, ticks, two hands and a pin; sometimes alarm bells and feet."""
    radius = rng.uniform(0.8, 0.9)
    parts = []
    if rng.random() < 0.4:
        bells = tuple(filled(ellipse(side * radius * 0.62, -radius * 0.78, 0.3, 0.2, side * 40),
                             palette.accent, palette.ink) for side in (-1, 1))
        feet = tuple(stroked(polygon((side * radius * 0.5, radius * 0.8), (side * radius * 0.75, radius * 1.1)),
                             palette.accent, 0.08, palette.ink) for side in (-1, 1))
        parts.append(Part("bells", bells + feet, movable=False))
    face_radius = radius - 0.1
    hour, minute = rng.uniform(0, 360), rng.uniform(0, 360)
    return parts + [
        Part("dial", (filled(ellipse(0, 0, radius, radius), palette.body, palette.ink),
                      filled(ellipse(0, 0, face_radius, face_radius), palette.light, palette.ink)), movable=False),
        Part("ticks", _ticks(face_radius - 0.05, palette)),
        Part("hour_hand", _hand(hour, face_radius * 0.5, 0.1, palette), group="hands"),
        Part("minute_hand", _hand(minute, face_radius * 0.8, 0.065, palette), group="hands"),
        Part("pin", (filled(ellipse(0, 0, 0.07, 0.07), palette.accent, palette.dark),)),
    ]
