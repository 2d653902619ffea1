"""Picasso scrambles: move parts to wrong places, turn them in place, make them trade places, or flip the layout."""

import math
import random
from dataclasses import dataclass

import numpy as np

from toyworld.shapes import Part, about, affine, extent

EVERY_PART = "*"

_TRIES_PER_MOVE = 12
_REGION_SHRINK = 0.8  # moved parts land inside this fraction of the object's extent
_SMALLEST_TURN, _LARGEST_TURN = 60.0, 180.0


@dataclass(frozen=True)
class Scramble:
    """Part names (or group names, or "*" for all) to move, rotate in place, swap among themselves, or whose places
    are mirrored top to bottom about the object's centre (each part stays upright)."""

    move: tuple[str, ...] = ()
    rotate: tuple[str, ...] = ()
    swap: tuple[str, ...] = ()
    flip: tuple[str, ...] = ()


PICASSO = Scramble(move=(EVERY_PART,), rotate=(EVERY_PART,))
PRESETS: dict[str, Scramble] = {
    "moved": Scramble(move=(EVERY_PART,)),
    "rotated": Scramble(rotate=(EVERY_PART,)),
    "swapped": Scramble(swap=(EVERY_PART,)),
    "picasso": PICASSO,
}
HOMEWORK = Scramble(move=("eyes", "brows"), rotate=("nose", "mouth"))
"""The homework's picture: eyes and brows displaced, nose and mouth rotated."""
ROTATED_ONLY = Scramble(rotate=("nose", "mouth"))
"""Nose and mouth rotated in place, nothing moved: the homework's reason (the rotated parts) in isolation."""
FLIPPED = Scramble(flip=(EVERY_PART,))
"""The face's layout upside down (mouth above the eyes, brows below them), every part upright."""


def _units(parts: list[Part], names: tuple[str, ...]) -> list[list[int]]:
    """Indices of the movable parts each name selects; "*" selects every group (or lone part) separately."""
    movable = [index for index, part in enumerate(parts) if part.movable]
    units: list[list[int]] = []
    for name in names:
        if name == EVERY_PART:
            for unit in dict.fromkeys(parts[index].unit for index in movable):
                units.append([index for index in movable if parts[index].unit == unit])
            continue
        selected = [index for index in movable if name in (parts[index].name, parts[index].group)]
        if not selected:
            valid = sorted({parts[i].name for i in movable} | {parts[i].group for i in movable if parts[i].group})
            raise ValueError(f"unknown part {name!r}; valid names: {', '.join(valid)} or {EVERY_PART!r}")
        units.append(selected)
    return units


def _selected(parts: list[Part], names: tuple[str, ...]) -> list[int]:
    return sorted({index for unit in _units(parts, names) for index in unit})


def _shifted(part: Part, shift: tuple[float, float]) -> Part:
    return part.transformed(affine(shift=shift))


def _group_centre(parts: list[Part], unit: list[int]) -> tuple[float, float]:
    xs, ys = zip(*(parts[index].centre for index in unit))
    return sum(xs) / len(xs), sum(ys) / len(ys)


def _swap(parts: list[Part], names: tuple[str, ...], rng: random.Random) -> None:
    units = _units(parts, names)
    if len(units) < 2:
        raise ValueError("swap needs at least two parts or groups")
    rng.shuffle(units)
    centres = [_group_centre(parts, unit) for unit in units]
    for position, unit in enumerate(units):
        target = centres[(position + 1) % len(units)]  # one cycle through all units: nothing stays put
        source = centres[position]
        for index in unit:
            parts[index] = _shifted(parts[index], (target[0] - source[0], target[1] - source[1]))


def _point_in_ellipse(rng: random.Random, centre: np.ndarray, radii: np.ndarray) -> tuple[float, float]:
    angle, reach = rng.uniform(0, 2 * math.pi), math.sqrt(rng.random())
    return (float(centre[0] + radii[0] * reach * math.cos(angle)),
            float(centre[1] + radii[1] * reach * math.sin(angle)))


def _move(parts: list[Part], names: tuple[str, ...], rng: random.Random) -> None:
    """Send each selected part somewhere inside the object, far from where it was and from the other parts."""
    low, high = extent(parts)
    region_centre, region_radii = (low + high) / 2, (high - low) / 2 * _REGION_SHRINK
    for index in _selected(parts, names):
        part_low, part_high = parts[index].bounds()
        radii = np.maximum(region_radii - (part_high - part_low) / 2, region_radii * 0.1)
        avoid = [part.centre for part in parts if part.movable]  # includes where this part is now
        candidates = [_point_in_ellipse(rng, region_centre, radii) for _ in range(_TRIES_PER_MOVE)]
        target = max(candidates, key=lambda point: min(math.dist(point, other) for other in avoid))
        source = parts[index].centre
        parts[index] = _shifted(parts[index], (target[0] - source[0], target[1] - source[1]))


def _rotate(parts: list[Part], names: tuple[str, ...], rng: random.Random) -> None:
    for index in _selected(parts, names):
        degrees = rng.uniform(_SMALLEST_TURN, _LARGEST_TURN) * rng.choice((-1, 1))
        parts[index] = parts[index].transformed(about(parts[index].centre, affine(degrees=degrees)))


def _flip(parts: list[Part], names: tuple[str, ...]) -> None:
    """Mirror each selected unit's place top to bottom about the centre of the object's extent; shapes unturned."""
    low, high = extent(parts)
    middle = float(low[1] + high[1]) / 2
    for unit in _units(parts, names):
        _, y = _group_centre(parts, unit)
        for index in unit:
            parts[index] = _shifted(parts[index], (0.0, 2 * (middle - y)))


def scrambled(parts: list[Part], scramble: Scramble, rng: random.Random) -> list[Part]:
    """The parts after flipping the layout, swapping, then moving, then rotating the selected ones; fixed parts stay
    put. Flipping draws nothing from `rng`, so it never changes what the other steps do."""
    parts = list(parts)
    if scramble.flip:
        _flip(parts, scramble.flip)
    if scramble.swap:
        _swap(parts, scramble.swap, rng)
    if scramble.move:
        _move(parts, scramble.move, rng)
    if scramble.rotate:
        _rotate(parts, scramble.rotate, rng)
    return parts

