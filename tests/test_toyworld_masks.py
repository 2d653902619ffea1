"""Tests for toyworld.render_with_masks: the same picture as render, and masks of where each part shows."""

import numpy as np
import pytest

from toyworld import IMAGE_SIZE, LABELS, PICASSO, Scramble, parts, render, render_with_masks

SEEDS = range(20)


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("scramble", [False, True])
def test_picture_is_renders_pixel_for_pixel(label, scramble):
    for seed in range(5):
        picture, _ = render_with_masks(label, seed, scramble=scramble)
        assert picture.tobytes() == render(label, seed, scramble=scramble).tobytes()


@pytest.mark.parametrize("label", LABELS)
def test_masks_are_boolean_at_image_size_and_name_every_movable_part(label):
    _, masks = render_with_masks(label, 0)
    assert "object" in masks and set(parts(label)) <= set(masks)
    for mask in masks.values():
        assert mask.dtype == bool and mask.shape == (IMAGE_SIZE, IMAGE_SIZE)


@pytest.mark.parametrize("label", LABELS)
def test_masks_are_non_empty_and_parts_lie_inside_the_object(label):
    for seed in SEEDS:
        _, masks = render_with_masks(label, seed)
        obj = masks["object"]
        for name, mask in masks.items():
            assert mask.any(), (seed, name)
            assert not (mask & ~obj).any(), (seed, name)
        union = np.logical_or.reduce([mask for name, mask in masks.items() if name != "object"])
        assert np.array_equal(union, obj)


@pytest.mark.parametrize("label", LABELS)
def test_object_mask_is_the_object_not_its_bounding_box(label):
    _, masks = render_with_masks(label, 1)
    rows, cols = np.nonzero(masks["object"])
    box = (rows.max() - rows.min() + 1) * (cols.max() - cols.min() + 1)
    assert masks["object"].sum() < box


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("how", ["move", "rotate"])
def test_changing_one_part_changes_pixels_only_inside_its_old_and_new_masks(label, how):
    # Exact, not up to antialiasing: a pixel is in a mask when any of its subpixels shows the part, and a pixel
    # whose subpixels all show other things cannot change when only this part changes.
    for seed in range(3):
        plain, old = render_with_masks(label, seed)
        for name in parts(label):
            changed, new = render_with_masks(label, seed, scramble=Scramble(**{how: (name,)}))
            differs = (np.asarray(plain) != np.asarray(changed)).any(axis=-1)
            assert differs.any(), (seed, name)
            assert not (differs & ~(old[name] | new[name])).any(), (seed, name)


def centroid(mask: np.ndarray) -> np.ndarray:
    return np.argwhere(mask).mean(axis=0)


@pytest.mark.parametrize("seed", range(5))
def test_masks_follow_the_moved_part(seed):
    _, plain = render_with_masks("face", seed)
    _, moved = render_with_masks("face", seed, scramble=Scramble(move=("nose",)))
    assert np.linalg.norm(centroid(plain["nose"]) - centroid(moved["nose"])) > 3


def test_picasso_masks_are_non_empty_and_inside_the_object():
    for seed in SEEDS:
        _, masks = render_with_masks("face", seed, scramble=PICASSO)
        for name, mask in masks.items():
            assert mask.any() and not (mask & ~masks["object"]).any(), (seed, name)
