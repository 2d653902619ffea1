"""The Picasso test on real photos: marks, the six variants, the shipped marks, and both measures."""
import pytest
from PIL import Image

import models.pairs
from images.decode import load_image
from images.part_scramble import scramble_photo
from lab.class_groups import imagenet_groups
from lab.picasso import variant_probabilities
from lab.picasso_photo import (EXAMPLES_DIR, PHOTO_VARIANTS, auto_size, parse_marks, photo_variants,
                               run_picasso_photo, shipped_marks)
from models import load_pair

CAT = EXAMPLES_DIR / "photo_cat_chelsea.jpg"


@pytest.fixture(scope="module")
def cat() -> Image.Image:
    return load_image(CAT)


def test_every_bundled_portrait_and_the_cat_come_marked_inside_the_photo(cat):
    for name in ("photo_cat_chelsea.jpg", "photo_grace_hopper.jpg", "photo_astronaut_eileen_collins.jpg"):
        picture = load_image(EXAMPLES_DIR / name)
        marks = parse_marks(shipped_marks(picture))
        assert {"left eye", "right eye", "nose", "mouth"} <= {m.part for m in marks}
        photo_variants(picture, marks, 0)  # valid: check_marks raises otherwise
    assert shipped_marks(load_image(EXAMPLES_DIR / "photo_coffee.jpg")) is None  # no face, no marks
    assert shipped_marks(cat.transpose(Image.Transpose.FLIP_LEFT_RIGHT)) is None  # recognised by pixels


def test_the_six_variants_in_order_and_the_homework_moves_eyes_and_turns_nose_and_mouth(cat):
    marks = parse_marks(shipped_marks(cat))
    variants = photo_variants(cat, marks, 0)
    assert [name for name, _ in variants] == ["clean", "homework", "moved", "rotated", "swapped", "picasso"]
    assert variants[0][1] is cat and all(image.size == cat.size for _, image in variants)
    _, placements = scramble_photo(cat, marks, PHOTO_VARIANTS["homework"], 0)
    by_part = {p.part: p for p in placements}
    for eye in ("left eye", "right eye"):
        assert by_part[eye].target != by_part[eye].source and by_part[eye].degrees == 0
    for part in ("nose", "mouth"):
        assert by_part[part].target == by_part[part].source and by_part[part].degrees != 0


@pytest.mark.parametrize("marks, message", [
    ("left eye", "must be a list"),
    ([{"part": "left eye", "x": 1, "y": 2}], "mark 1 must be"),
    ([{"part": "tail", "x": 1, "y": 2, "size": 9}], "unknown part 'tail'"),
    ([{"part": "nose", "x": "here", "y": 2, "size": 9}], "must be numbers"),
])
def test_malformed_marks_get_a_message(marks, message):
    with pytest.raises(ValueError, match=message):
        parse_marks(marks)


def test_automatic_size_follows_the_eyes_once_both_are_marked():
    one_eye = [{"part": "left eye", "x": 100, "y": 100}]
    assert auto_size(one_eye, 400, 320) == 40  # an eighth of the shorter side
    assert auto_size(one_eye + [{"part": "right eye", "x": 200, "y": 100}], 400, 320) == 60  # 0.6 × 100 px


def test_on_the_toy_pair_the_face_class_is_measured_and_no_group(cat):
    pair = load_pair("toy")
    marks = parse_marks(shipped_marks(cat))
    result = run_picasso_photo(pair, cat, marks, 0)
    assert result.measure == "p_face" and result.groups == {"cnn": None, "vit": None}
    cnn, vit = variant_probabilities(pair, photo_variants(cat, marks, 0))
    face = pair.labels.index("face")
    for row, variant in enumerate(result.variants):
        assert variant.cnn.p_target == pytest.approx(float(cnn[row, face]), abs=1e-6)
        assert variant.vit.top1 == pair.labels[int(vit[row].argmax())]
        assert variant.cnn.p_group is None


def test_on_a_hub_pair_the_group_sum_is_the_sum_of_the_groups_probabilities(cat, hub_cache, monkeypatch):
    monkeypatch.setattr(models.pairs, "_loaded", {})
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    pair = load_pair("resnet50-vs-deit-small")
    marks = parse_marks(shipped_marks(cat))
    result = run_picasso_photo(pair, cat, marks, 0)
    assert result.measure == "p_clean_top1" and result.group_measure == "p_clean_group"
    probs = dict(zip(("cnn", "vit"), variant_probabilities(pair, photo_variants(cat, marks, 0))))
    groups = imagenet_groups()
    for model in ("cnn", "vit"):
        target = int(probs[model][0].argmax())
        assert result.classes[model] == pair.labels[target]
        group = next((name for name, members in groups.items() if target in members), None)
        assert result.groups[model] == group
        for row, variant in enumerate(result.variants):
            scores = getattr(variant, model)
            assert scores.p_target == pytest.approx(float(probs[model][row, target]), abs=1e-6)
            if group is None:
                assert scores.p_group is None
            else:
                expected = float(sum(probs[model][row, i] for i in groups[group]))
                assert scores.p_group == pytest.approx(expected, abs=1e-6)
                assert scores.p_group >= scores.p_target - 1e-6
