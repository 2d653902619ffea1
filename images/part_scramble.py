"""Picasso scrambles on pixels: square patches marked on a photo, moved, turned in place or swapped.

The toy world's scrambles (toyworld.scramble) move drawn parts; a photo has only pixels, so each marked part is the
disc inscribed in its square, pasted with a feathered rim (no sharp square edge for the models to see). A part that
leaves its place leaves a hole, filled from the photo around it with the part itself masked out (a normalised
Gaussian blur), so the models see skin or fur there, not black and not a ghost of the part.
"""
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy.ndimage import gaussian_filter

from runtime.messages import UserError

EVERY_PART = "*"
FEATHER = 0.15
"""Width of the soft rim, as a fraction of the patch's radius: alpha falls from 1 to 0 across it."""
SMALLEST_TURN, LARGEST_TURN = 60.0, 180.0  # degrees, either way: the toy world's range
TRIES_PER_MOVE = 12
MARGIN = 1.0
"""Moved parts land inside the marks' bounding box grown by this many of the largest patch's sides."""


@dataclass(frozen=True)
class Mark:
    """A part of the photo: a square of side `size` centred at (x, y), in the photo's pixels."""
    part: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class PartScramble:
    """Part names (or "*" for all) to move, rotate in place, or swap among themselves."""
    move: tuple[str, ...] = ()
    rotate: tuple[str, ...] = ()
    swap: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """Where a part's patch was pasted: its centre before and after, and its turn in degrees."""
    part: str
    source: tuple[int, int]
    target: tuple[int, int]
    degrees: float


def check_marks(marks: list[Mark], width: int, height: int) -> None:
    """Refuse marks that cannot be scrambled, with a message that says which and why."""
    if len(marks) < 2:
        raise UserError("too_few_marks", count=len(marks))
    names = [m.part for m in marks]
    if len(set(names)) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise UserError("marked_twice", parts=", ".join(repeated))
    for m in marks:
        if not (0 <= m.x < width and 0 <= m.y < height):
            raise UserError("mark_outside", part=m.part, x=m.x, y=m.y, width=width, height=height)
        if not 4 <= m.size <= min(width, height):
            raise UserError("patch_size", part=m.part, size=m.size, side=min(width, height))


def square(mark: Mark, width: int, height: int) -> tuple[int, int, int]:
    """The patch's top-left corner and side in whole pixels, shifted inwards if it would cross the photo's edge."""
    side = int(round(mark.size))
    left = min(max(int(round(mark.x - side / 2)), 0), width - side)
    top = min(max(int(round(mark.y - side / 2)), 0), height - side)
    return left, top, side


def disc_alpha(side: int) -> np.ndarray:
    """[side, side] opacity: 1 inside the inscribed disc, falling linearly to 0 across its rim (FEATHER)."""
    centre = (side - 1) / 2
    yy, xx = np.mgrid[0:side, 0:side]
    radius = side / 2
    distance = np.hypot(xx - centre, yy - centre)
    return np.clip((radius - distance) / (FEATHER * radius), 0.0, 1.0)


def part_group(part: str) -> str:
    """The group a part name belongs to: its last word, plural ("left eye" → "eyes", "nose" → "noses")."""
    return part.split()[-1] + "s"


def _selected(marks: list[Mark], names: tuple[str, ...]) -> list[int]:
    """Indices of the marks that the names select: by part name, by group, or all with "*"."""
    every = EVERY_PART in names
    return [i for i, m in enumerate(marks) if every or m.part in names or part_group(m.part) in names]


def _targets(marks: list[Mark], scramble: PartScramble, rng: random.Random,
             width: int, height: int) -> dict[int, tuple[float, float]]:
    """Each moving part's new centre: swapped parts take the next one's place in a shuffled cycle, moved parts go
    to the candidate farthest from every other part's centre, inside the marks' region grown by MARGIN."""
    centres = {i: (m.x, m.y) for i, m in enumerate(marks)}
    targets = {}
    swapped = _selected(marks, scramble.swap)
    if len(swapped) >= 2:
        order = swapped[:]
        rng.shuffle(order)
        for position, index in enumerate(order):
            targets[index] = centres[order[(position + 1) % len(order)]]  # one cycle: nothing stays put
    grow = MARGIN * max(m.size for m in marks)
    low_x, high_x = min(m.x for m in marks) - grow, max(m.x for m in marks) + grow
    low_y, high_y = min(m.y for m in marks) - grow, max(m.y for m in marks) + grow
    for index in _selected(marks, scramble.move):
        half = marks[index].size / 2
        xs = (max(low_x, half), min(high_x, width - half))
        ys = (max(low_y, half), min(high_y, height - half))
        taken = [targets.get(i, centres[i]) for i in centres if i != index] + [centres[index]]
        candidates = [(rng.uniform(*xs), rng.uniform(*ys)) for _ in range(TRIES_PER_MOVE)]
        targets[index] = max(candidates, key=lambda p: min(math.dist(p, other) for other in taken))
    return targets


def scramble_photo(image: Image.Image, marks: list[Mark], scramble: PartScramble,
                   seed: int) -> tuple[Image.Image, list[Placement]]:
    """The photo with its marked parts swapped, then moved, then turned in place (as the toy world orders them),
    and where each patch went. Holes left by parts that moved are filled from their surroundings."""
    width, height = image.size
    check_marks(marks, width, height)
    rng = random.Random(seed)
    targets = _targets(marks, scramble, rng, width, height)
    rotated = set(_selected(marks, scramble.rotate))
    turns = {i: rng.uniform(SMALLEST_TURN, LARGEST_TURN) * rng.choice((-1, 1)) for i in sorted(rotated)}
    photo = np.asarray(image.convert("RGB"), dtype=np.float32)
    canvas = _fill_holes(photo, [marks[i] for i in targets])
    placements = []
    for index, mark in enumerate(marks):
        left, top, side = square(mark, width, height)
        patch = image.crop((left, top, left + side, top + side))
        degrees = turns.get(index, 0.0)
        if degrees:
            patch = patch.rotate(degrees, resample=Image.Resampling.BICUBIC)
        if index not in targets and not degrees:
            source = (left + side // 2, top + side // 2)
            placements.append(Placement(mark.part, source, source, 0.0))
            continue
        x, y = targets.get(index, (mark.x, mark.y))
        to_left, to_top, _ = square(Mark(mark.part, x, y, side), width, height)
        alpha = disc_alpha(side)[..., None]
        region = canvas[to_top:to_top + side, to_left:to_left + side]
        canvas[to_top:to_top + side, to_left:to_left + side] = region * (1 - alpha) + np.asarray(patch) * alpha
        placements.append(Placement(mark.part, (left + side // 2, top + side // 2),
                                    (to_left + side // 2, to_top + side // 2), degrees))
    return Image.fromarray(np.clip(np.rint(canvas), 0, 255).astype(np.uint8)), placements


def _fill_holes(photo: np.ndarray, leaving: list[Mark]) -> np.ndarray:
    """A copy of the photo where each leaving part's disc is replaced, through the same soft alpha, by the photo's
    surroundings: a Gaussian blur of the photo with every leaving disc masked out, divided by the blurred mask."""
    canvas = photo.copy()
    if not leaving:
        return canvas
    height, width = photo.shape[:2]
    hole = np.zeros((height, width), np.float32)
    for mark in leaving:
        left, top, side = square(mark, width, height)
        hole[top:top + side, left:left + side] = np.maximum(hole[top:top + side, left:left + side], disc_alpha(side))
    known = (hole == 0).astype(np.float32)
    sigma = 0.6 * max(m.size for m in leaving)
    weight = _smooth(known, sigma)
    fill = np.stack([_smooth(photo[..., c] * known, sigma) for c in range(3)], axis=-1)
    fill /= np.maximum(weight, 1e-6)[..., None]
    return canvas * (1 - hole[..., None]) + fill * hole[..., None]


def _smooth(values: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur of a [H, W] float array, computed where sigma is about 8 px (box-shrunk, blurred, enlarged
    bilinearly): the result is smooth, so the shortcut changes it little and saves most of a large blur's time."""
    step = max(1, int(sigma // 8))
    if step == 1:
        return gaussian_filter(values, sigma, mode="nearest")
    height, width = values.shape
    small = Image.fromarray(values.astype(np.float32)).resize((max(1, width // step), max(1, height // step)),
                                                              Image.Resampling.BOX)
    blurred = gaussian_filter(np.asarray(small), sigma / step, mode="nearest")
    return np.asarray(Image.fromarray(blurred).resize((width, height), Image.Resampling.BILINEAR))
