"""Tests for the toy-world generator: determinism, every class, scrambles, and the data splits."""
import math
import random

import numpy as np
import pytest
from PIL import Image

from toyworld import IMAGE_SIZE, LABELS, PICASSO, PRESETS, Scramble, parts, render
from toyworld.classes import CLASSES
from toyworld.palette import random_palette
from toyworld.scramble import scrambled
from toyworld.shapes import Part, extent
from toyworld.splits import SPLIT_SIZE, SPLITS, render_split, sample


def pixels(picture: Image.Image) -> np.ndarray:
    return np.asarray(picture)


def test_labels_are_ten_distinct_names_including_face():
    assert len(LABELS) == len(set(LABELS)) == 10
    assert "face" in LABELS


@pytest.mark.parametrize("label", LABELS)
def test_same_label_and_seed_give_identical_bytes(label):
    assert render(label, 7).tobytes() == render(label, 7).tobytes()
    assert render(label, 7, scramble=True).tobytes() == render(label, 7, scramble=True).tobytes()


def test_different_seeds_give_different_pictures():
    pictures = {render("face", seed).tobytes() for seed in range(10)}
    assert len(pictures) == 10


@pytest.mark.parametrize("label", LABELS)
def test_every_class_renders_rgb_at_image_size(label):
    for seed in range(20):
        picture = render(label, seed)
        assert picture.mode == "RGB"
        assert picture.size == (IMAGE_SIZE, IMAGE_SIZE)


@pytest.mark.parametrize("label", LABELS)
def test_object_stands_out_from_the_background(label):
    spread = [pixels(render(label, seed)).astype(float).std() for seed in range(5)]
    assert min(spread) > 10


@pytest.mark.parametrize("label", LABELS)
def test_scramble_true_changes_the_picture_but_not_its_size(label):
    plain, scrambled = render(label, 3), render(label, 3, scramble=True)
    assert scrambled.size == plain.size and scrambled.mode == plain.mode
    assert not np.array_equal(pixels(plain), pixels(scrambled))


def test_scramble_true_means_picasso():
    assert render("face", 5, scramble=True).tobytes() == render("face", 5, scramble=PICASSO).tobytes()


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_preset_changes_the_picture(label, preset):
    assert not np.array_equal(pixels(render(label, 11)), pixels(render(label, 11, scramble=PRESETS[preset])))


def test_scramble_keeps_the_background():
    plain, scrambled = pixels(render("face", 2)), pixels(render("face", 2, scramble=True))
    changed_fraction = (plain != scrambled).any(axis=2).mean()
    assert 0 < changed_fraction < 0.5


def built(label: str, seed: int) -> list[Part]:
    """The parts of one object in its own frame, as its class builds them."""
    rng = random.Random(seed)
    return CLASSES[label](rng, random_palette(rng))


def points(part: Part) -> np.ndarray:
    return np.concatenate([shape.points for shape in part.shapes])


def distances(part: Part) -> np.ndarray:
    """Every pairwise distance between a part's points: kept by any move or turn, changed by anything else."""
    p = points(part)
    return np.linalg.norm(p[:, None] - p[None], axis=-1)


@pytest.mark.parametrize("label", LABELS)
def test_each_named_part_can_be_moved_and_rotated(label):
    plain = pixels(render(label, 4))
    for name in parts(label):
        for scramble in (Scramble(move=(name,)), Scramble(rotate=(name,)), Scramble(move=(name,), rotate=(name,))):
            assert not np.array_equal(plain, pixels(render(label, 4, scramble=scramble))), scramble
    whole = built(label, 4)
    low, high = extent(whole)
    for name in parts(label):
        index = [part.name for part in whole].index(name)
        moved = scrambled(whole, Scramble(move=(name,)), random.Random(4))
        turned = scrambled(whole, Scramble(rotate=(name,)), random.Random(4))
        # moved: the same shape, no longer where it was
        assert math.dist(moved[index].centre, whole[index].centre) > 0.01 * (high - low).max(), name
        np.testing.assert_allclose(points(moved[index]) - moved[index].centre,
                                   points(whole[index]) - whole[index].centre, atol=1e-9)
        # turned: the same shape, a different orientation
        np.testing.assert_allclose(distances(turned[index]), distances(whole[index]), atol=1e-9)
        assert not np.allclose(points(turned[index]), points(whole[index])), name
        for changed in (moved, turned):  # and nothing else moves
            assert all(np.array_equal(points(a), points(b))
                       for i, (a, b) in enumerate(zip(changed, whole)) if i != index), name


def test_face_parts_are_the_features_inside_the_head():
    assert parts("face") == ("left_eye", "right_eye", "left_brow", "right_brow", "nose", "mouth")


def test_swapping_groups_by_name_changes_the_face():
    swapped = render("face", 9, scramble=Scramble(swap=("eyes", "mouth")))
    assert not np.array_equal(pixels(render("face", 9)), pixels(swapped))


def test_unknown_part_name_raises_and_names_the_valid_ones():
    with pytest.raises(ValueError, match="left_eye"):
        render("face", 0, scramble=Scramble(move=("tail",)))


def test_swap_of_a_single_part_raises():
    with pytest.raises(ValueError, match="two"):
        render("face", 0, scramble=Scramble(swap=("nose",)))


def test_unknown_label_raises_and_names_the_valid_ones():
    with pytest.raises(ValueError, match="butterfly"):
        render("unicorn", 0)
    with pytest.raises(ValueError, match="face"):
        parts("unicorn")


def test_split_seed_ranges_are_disjoint():
    offsets = sorted(SPLITS.values())
    assert all(later - earlier >= SPLIT_SIZE for earlier, later in zip(offsets, offsets[1:]))
    seeds = {split: {sample(split, index)[1] for index in (0, 1, SPLIT_SIZE - 1)} for split in SPLITS}
    assert not seeds["train"] & seeds["val"] and not seeds["train"] & seeds["test"] and not seeds["val"] & seeds["test"]


def test_sample_cycles_through_labels():
    assert [sample("train", index)[0] for index in range(len(LABELS))] == LABELS
    with pytest.raises(ValueError):
        sample("holdout", 0)


def test_render_split_shapes_and_balanced_labels():
    images, labels = render_split("val", 30, workers=1)
    assert images.shape == (30, IMAGE_SIZE, IMAGE_SIZE, 3) and images.dtype == np.uint8
    assert labels.shape == (30,) and labels.dtype == np.int64
    assert np.bincount(labels, minlength=len(LABELS)).tolist() == [3] * len(LABELS)
    label, seed = sample("val", 17)
    assert LABELS[labels[17]] == label
    assert np.array_equal(images[17], pixels(render(label, seed)))


def test_render_split_in_workers_matches_serial():
    count = 300  # more than one chunk, so the pool is used
    pooled, _ = render_split("test", count, workers=2)
    assert pooled.shape[0] == count
    for index in (0, 150, count - 1):
        assert np.array_equal(pooled[index], pixels(render(*sample("test", index))))
