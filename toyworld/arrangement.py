"""The arrangement task's data: the ten toy classes plus "jumbled face", and the faces held out from training.

Training, validation and test images come from the toy world's split seeds (toyworld.splits.SPLITS), the eleven
labels cycling so every class is equally common; jumbled faces are toyworld.jumble's training jumbles. The held-out
variants (a)–(d) are faces scrambled in ways no training image is, drawn from their own seeds, for testing only.
"""
from multiprocessing import Pool

import numpy as np
from PIL import Image

from toyworld import splits
from toyworld.canvas import IMAGE_SIZE
from toyworld.compose import LABELS as TOY_LABELS
from toyworld.compose import render
from toyworld.jumble import JUMBLED_FACE
from toyworld.scramble import FLIPPED, HOMEWORK, PICASSO, PRESETS, ROTATED_ONLY, Scramble

LABELS: list[str] = [*TOY_LABELS, JUMBLED_FACE]
HELD_OUT: dict[str, Scramble] = {
    "(a) rotated only": ROTATED_ONLY,
    "(b) homework": HOMEWORK,
    "(c) upside-down layout": FLIPPED,
    "(d) picasso": PICASSO,
}
"""Faces scrambled as no training image is: nothing in training is rotated or laid out upside down."""
ALSO_MEASURED: dict[str, Scramble] = {"moved": PRESETS["moved"]}
"""Moved parts only (C7's variant): the kind of change training jumbles make, on held-out faces."""
HELD_OUT_SEEDS = 3_000_000
"""The first held-out face's seed: outside the train, val and test ranges (the findings report's Picasso faces)."""
_WORKERS = 2
_CHUNK = 128

Spec = tuple[str, int, Scramble | None]
"""What to draw: (label, seed, scramble or None)."""


def sample(split: str, index: int) -> tuple[str, int]:
    """The (label, seed) of sample `index` of the task's `split`: the toy world's split seeds, the eleven labels
    cycling."""
    return splits.sample(split, index, LABELS)


def split_specs(split: str, count: int) -> list[Spec]:
    """The first `count` samples of a split, as what to draw (training never asks for a scramble)."""
    return [(*sample(split, index), None) for index in range(count)]


def class_specs(split: str, label: str, count: int) -> list[Spec]:
    """The first `count` samples of one class in a split (the same images split_specs holds for it)."""
    first = LABELS.index(label)
    return [(*sample(split, first + k * len(LABELS)), None) for k in range(count)]


def held_out_specs(variant: str, count: int) -> list[Spec]:
    """`count` held-out faces scrambled as HELD_OUT[variant] (or ALSO_MEASURED[variant]); "clean" for none."""
    scramble = None if variant == "clean" else (HELD_OUT | ALSO_MEASURED)[variant]
    return [("face", HELD_OUT_SEEDS + k, scramble) for k in range(count)]


def draw(spec: Spec) -> Image.Image:
    """The picture a spec names."""
    label, seed, scramble = spec
    return render(label, seed) if scramble is None else render(label, seed, scramble=scramble)


def _draw_chunk(specs: list[Spec]) -> np.ndarray:
    return np.stack([np.asarray(draw(spec)) for spec in specs])


def render_specs(specs: list[Spec], workers: int = _WORKERS) -> np.ndarray:
    """uint8 images (count, 64, 64, 3) of the specs, in order, rendered on `workers` processes."""
    chunks = [specs[start:start + _CHUNK] for start in range(0, len(specs), _CHUNK)]
    if workers > 1 and len(chunks) > 1:
        with Pool(workers) as pool:
            drawn = pool.map(_draw_chunk, chunks)
    else:
        drawn = [_draw_chunk(chunk) for chunk in chunks]
    return np.concatenate(drawn) if drawn else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 3), np.uint8)


def label_indices(specs: list[Spec]) -> np.ndarray:
    """The task's label index of each spec (held-out faces count as "face")."""
    return np.array([LABELS.index(label) for label, _, _ in specs], dtype=np.int64)


def contact_sheet(seeds: range = range(8), zoom: int = 2) -> Image.Image:
    """Rows of pictures on the same seeds: clean faces, training jumbles, then each held-out variant (a)–(d)."""
    rows = [[render("face", HELD_OUT_SEEDS + s) for s in seeds],
            [render(JUMBLED_FACE, splits.SPLITS["train"] + s) for s in seeds]]
    rows += [[render("face", HELD_OUT_SEEDS + s, scramble=scramble) for s in seeds] for scramble in HELD_OUT.values()]
    sheet = Image.new("RGB", (len(seeds) * IMAGE_SIZE, len(rows) * IMAGE_SIZE), "white")
    for row_index, row in enumerate(rows):
        for column, picture in enumerate(row):
            sheet.paste(picture, (column * IMAGE_SIZE, row_index * IMAGE_SIZE))
    return sheet.resize((sheet.width * zoom, sheet.height * zoom), Image.NEAREST)


CONTACT_SHEET_ROWS = ("clean faces", "training jumbles", *HELD_OUT)
"""What each row of contact_sheet shows, top to bottom."""
