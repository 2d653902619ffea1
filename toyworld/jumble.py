"""The 11th toy class of the arrangement task, "jumbled face": every part of a face, none turned, out of place.

A training jumble moves parts to random places inside the face, makes groups trade places, or both; it never
rotates a part and never flips the layout, so the held-out scrambles (rotated parts, the homework's picture, the
upside-down layout, the full Picasso scramble) stay unseen. A jumble is kept only when at least MIN_MISPLACED of
the face's six inner parts sit more than MIN_SHIFT from every place a part of their kind has in the face, and in the
face's upside-down layout; otherwise the generator draws again.
"""
import math
import random

from toyworld.scramble import FLIPPED, Scramble, scrambled
from toyworld.shapes import Part

JUMBLED_FACE = "jumbled face"
INNER_PARTS = ("left_eye", "right_eye", "left_brow", "right_brow", "nose", "mouth")
UNITS = ("eyes", "brows", "nose", "mouth")
KINDS = {"left_eye": "eye", "right_eye": "eye", "left_brow": "brow", "right_brow": "brow", "nose": "nose",
         "mouth": "mouth"}
"""Parts of one kind may trade sides without leaving a face's arrangement (a face mirrored is a face)."""
MIN_SHIFT = 0.3
"""In the face's own units (the head is about 1.5 wide and 1.8 tall; the eyes about 0.6 apart)."""
MIN_MISPLACED = 2
_DRAWS = 50

Layout = dict[str, tuple[float, float]]


def layout(parts: list[Part]) -> Layout:
    """Where each inner part's centre is."""
    return {part.name: part.centre for part in parts if part.name in KINDS}


def misplaced(candidate: Layout, reference: Layout) -> int:
    """How many inner parts of `candidate` lie more than MIN_SHIFT from every place of their kind in `reference`."""
    places: dict[str, list[tuple[float, float]]] = {}
    for name, centre in reference.items():
        places.setdefault(KINDS[name], []).append(centre)
    return sum(min(math.dist(centre, place) for place in places[KINDS[name]]) > MIN_SHIFT
               for name, centre in candidate.items())


def is_jumbled(face_parts: list[Part], candidate: list[Part]) -> bool:
    """True when `candidate` is in neither the face's arrangement nor its upside-down one."""
    after = layout(candidate)
    references = (layout(face_parts), layout(scrambled(face_parts, FLIPPED, random.Random(0))))
    return all(misplaced(after, reference) >= MIN_MISPLACED for reference in references)


def training_scramble(rng: random.Random) -> Scramble:
    """One training jumble: some parts moved, some groups swapped, or groups swapped then some parts moved."""
    kind = rng.choice(("moved", "swapped", "swapped and moved"))
    if kind == "moved":
        return Scramble(move=tuple(rng.sample(INNER_PARTS, rng.randint(2, len(INNER_PARTS)))))
    swap = tuple(rng.sample(UNITS, rng.randint(2, len(UNITS))))
    if kind == "swapped":
        return Scramble(swap=swap)
    return Scramble(swap=swap, move=tuple(rng.sample(INNER_PARTS, rng.randint(1, 3))))


def jumbled(face_parts: list[Part], rng: random.Random) -> list[Part]:
    """A face's parts in a training jumble (training_scramble, drawn again until is_jumbled)."""
    for _ in range(_DRAWS):
        candidate = scrambled(face_parts, training_scramble(rng), rng)
        if is_jumbled(face_parts, candidate):
            return candidate
    raise RuntimeError(f"no jumble of this face left its arrangement in {_DRAWS} draws")
