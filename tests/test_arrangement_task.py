"""The arrangement task's data: the jumbled-face class and the held-out variants (toyworld.jumble, .arrangement)."""
import random

import numpy as np
import pytest

from toyworld import render, render_with_masks
from toyworld.arrangement import HELD_OUT, HELD_OUT_SEEDS, LABELS, class_specs, held_out_specs, split_specs
from toyworld.classes.face import face
from toyworld.jumble import INNER_PARTS, JUMBLED_FACE, KINDS, jumbled, training_scramble
from toyworld.palette import random_palette
from toyworld.scramble import FLIPPED
from toyworld.splits import SPLIT_SIZE, SPLITS

SEEDS = range(60)
"""Training jumbles checked: seeds of the train split's jumbled faces."""
FACE_HEIGHT = 1.9  # the face's height in its own units (head 1.7–1.9 plus hair), for turning MIN_SHIFT into pixels


def _centroids(masks: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Pixel centroid of each visible inner part."""
    return {name: np.argwhere(masks[name]).mean(axis=0) for name in INNER_PARTS if masks[name].any()}


def _misplaced_pixels(candidate: dict, reference: dict, threshold: float) -> int:
    """Visible parts of `candidate` farther than `threshold` px from every visible part of their kind in `reference`."""
    count = 0
    for name, centre in candidate.items():
        places = [where for other, where in reference.items() if KINDS[other] == KINDS[name]]
        count += bool(places) and min(np.linalg.norm(centre - place) for place in places) > threshold
    return count


def _jumble_seed(k: int) -> int:
    return class_specs("train", JUMBLED_FACE, k + 1)[-1][1]


def test_jumbled_face_renders_deterministically_with_masks():
    for seed in (0, 7, 123):
        first, again = np.asarray(render(JUMBLED_FACE, seed)), np.asarray(render(JUMBLED_FACE, seed))
        assert np.array_equal(first, again)
        image, masks = render_with_masks(JUMBLED_FACE, seed)
        assert np.array_equal(np.asarray(image), first)
        assert masks["object"].any() and set(INNER_PARTS) <= set(masks)
    assert not np.array_equal(np.asarray(render(JUMBLED_FACE, 0)), np.asarray(render(JUMBLED_FACE, 1)))
    assert not np.array_equal(np.asarray(render(JUMBLED_FACE, 5)), np.asarray(render("face", 5)))


@pytest.mark.parametrize("reference", ["face", "upside-down face"])
def test_jumbles_never_take_a_face_arrangement(reference):
    """Measured on the pixels: in every training jumble at least two inner parts lie well away from every place of
    their kind in the same seed's face (and in its upside-down layout, held-out variant (c))."""
    for k in SEEDS:
        seed = _jumble_seed(k)
        _, masks = render_with_masks(JUMBLED_FACE, seed)
        _, face_masks = (render_with_masks("face", seed) if reference == "face"
                         else render_with_masks("face", seed, scramble=FLIPPED))
        rows = np.argwhere(face_masks["object"])[:, 0]
        threshold = 0.3 / FACE_HEIGHT * (rows.max() - rows.min()) * 0.6  # MIN_SHIFT in px, with slack for occlusion
        assert _misplaced_pixels(_centroids(masks), _centroids(face_masks), threshold) >= 2, seed


def test_training_jumbles_never_rotate_or_flip():
    """Held-out variants (a), (b), (d) rotate parts and (c) flips the layout: a training jumble does neither."""
    rng = random.Random(0)
    drawn = [training_scramble(rng) for _ in range(2000)]
    assert all(not s.rotate and not s.flip for s in drawn)
    assert {bool(s.move) for s in drawn} == {True, False} and {bool(s.swap) for s in drawn} == {True, False}
    for seed in range(40):
        rng = random.Random(seed)
        parts = face(rng, random_palette(rng))
        for before, after in zip(parts, jumbled(parts, random.Random(f"jumble:{seed}"))):
            for shape_before, shape_after in zip(before.shapes, after.shapes):
                shift = shape_after.points - shape_before.points
                assert np.allclose(shift, shift[0], atol=1e-9)  # every point moved alike: translated, not turned


def test_held_out_variants_never_appear_in_training():
    train = split_specs("train", 5_000)
    assert {label for label, _, _ in train} == set(LABELS)
    assert all(scramble is None for _, _, scramble in train)
    assert all(SPLITS["train"] <= seed < SPLITS["train"] + SPLIT_SIZE for _, seed, _ in train)
    for variant, scramble in HELD_OUT.items():
        specs = held_out_specs(variant, 50)
        assert all(spec == ("face", HELD_OUT_SEEDS + k, scramble) for k, spec in enumerate(specs))
        assert all(seed >= max(SPLITS.values()) + SPLIT_SIZE for _, seed, _ in specs)  # no split's seed
    assert len(LABELS) == 11 and LABELS[-1] == JUMBLED_FACE
