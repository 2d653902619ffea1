"""Picasso faces: the variants, one batch through both models, and what is measured with and without a face class."""
import json

import numpy as np
import pytest
import torch

from lab.picasso import (ROTATED_ONLY, FaceRates, PicassoScores, call_rates, face_calls, picasso_variants, run_picasso,
                         typical_seed)
from models.inference import probabilities
from models.pairs import Pair
from tests.conftest import make_tiny_pair
from toyworld import LABELS, PRESETS, render_with_masks
from toyworld.jumble import JUMBLED_FACE


def make_toy_labelled_pair() -> Pair:
    """A tiny random Pair on 64x64 inputs whose labels are the toy world's, so "face" is a class."""
    return make_tiny_pair(labels=LABELS, image_size=64)


@pytest.fixture(scope="module")
def variants():
    return picasso_variants(seed=3)


def test_variants_are_the_clean_face_and_every_preset(variants):
    names = [name for name, _ in variants]
    assert names == ["clean", "homework", "rotated only", *PRESETS]
    assert {"moved", "rotated", "picasso", "swapped"} <= set(names)
    assert all(image.mode == "RGB" and image.size == (64, 64) for _, image in variants)
    assert len({image.tobytes() for _, image in variants}) == len(variants), "every variant must differ"


def _check_shape(result: PicassoScores, names: list[str]) -> None:
    assert [v.name for v in result.variants] == names
    for variant in result.variants:
        for score in (variant.cnn, variant.vit):
            assert score.p_jumbled is None and set(score.to_json()) == {"p_target", "top1"}
            assert 0.0 <= score.p_target <= 1.0


def test_pair_with_a_face_class_measures_p_face(variants):
    pair = make_toy_labelled_pair()
    result = run_picasso(pair, 3, variants=variants)
    assert result.measure == "p_face"
    assert result.classes == {"cnn": "face", "vit": "face"}
    _check_shape(result, [name for name, _ in variants])
    cnn_probs, vit_probs = probabilities(pair, torch.stack([pair.transform(image) for _, image in variants]))
    face = pair.labels.index("face")
    assert [v.cnn.p_target for v in result.variants] == pytest.approx(cnn_probs[:, face].tolist(), abs=1e-6)
    assert [v.vit.p_target for v in result.variants] == pytest.approx(vit_probs[:, face].tolist(), abs=1e-6)


@pytest.fixture(scope="module")
def tiny_result(tiny_pair, variants) -> PicassoScores:
    return run_picasso(tiny_pair, 3, variants=variants)


def test_pair_without_a_face_class_measures_the_clean_top1(tiny_pair, variants, tiny_result):
    result = tiny_result
    assert result.measure == "p_clean_top1"
    _check_shape(result, [name for name, _ in variants])
    clean = result.variants[0]
    cnn_probs, vit_probs = probabilities(tiny_pair, tiny_pair.transform(variants[0][1])[None])
    assert clean.cnn.p_target == pytest.approx(float(cnn_probs.max()), abs=1e-5)
    assert clean.vit.p_target == pytest.approx(float(vit_probs.max()), abs=1e-5)
    assert result.classes == {"cnn": clean.cnn.top1, "vit": clean.vit.top1}


def test_renders_its_own_variants_from_the_seed(tiny_pair, tiny_result):
    assert run_picasso(tiny_pair, 3) == tiny_result


@pytest.mark.parametrize("seed", [3_000_000, 3_000_001, 3_000_002, 7])
def test_rotated_only_turns_nose_and_mouth_in_place_and_nothing_else(seed):
    clean, before = render_with_masks("face", seed)
    turned, after = render_with_masks("face", seed, scramble=ROTATED_ONLY)
    turned_parts = before["nose"] | before["mouth"] | after["nose"] | after["mouth"]
    changed = (np.asarray(clean) != np.asarray(turned)).any(axis=-1)
    assert changed.any()
    assert not (changed & ~turned_parts).any(), "pixels changed outside the nose and mouth"
    for part in set(before) - {"nose", "mouth", "object"}:  # other parts only lose or gain what nose/mouth cover
        assert not ((before[part] ^ after[part]) & ~turned_parts).any(), part
    for part in ("nose", "mouth"):
        assert not np.array_equal(before[part], after[part]), f"{part} was not rotated"
        shift = np.abs(np.argwhere(before[part]).mean(0) - np.argwhere(after[part]).mean(0)).max()
        assert shift < 2.5, f"{part} moved by {shift:.1f} px"


def test_face_calls_count_each_seed_and_variant(tiny_pair):
    seeds = [3_000_000, 3_000_001]
    calls = face_calls(tiny_pair, seeds)
    assert list(calls) == [name for name, _ in picasso_variants(seeds[0])]
    assert all(len(calls[name][model]) == 2 for name in calls for model in ("cnn", "vit"))
    assert calls["clean"] == {"cnn": [True, True], "vit": [True, True]}  # no face class: the clean top-1 is the target
    rates = call_rates(calls)
    assert rates["clean"]["cnn"].value == 1.0 and rates["clean"]["cnn"].low < 1.0


def calls_of(cnn: list[bool], vit: list[bool]) -> dict:
    return {"homework": {"cnn": cnn, "vit": vit}}


SEEDS = [3_000_000, 3_000_001, 3_000_002, 3_000_003, 3_000_004]


def test_typical_seed_matches_both_majorities_smallest_first():
    # the majority calls the homework's picture a face for both models; seed 0 is the rare opposite (issue 14)
    calls = calls_of([False, True, True, True, False], [False, False, True, True, True])
    assert typical_seed(calls, SEEDS) == 3_000_002


def test_typical_seed_follows_a_majority_of_not_a_face():
    calls = calls_of([False, True, False, False, True], [True, False, False, False, False])
    assert typical_seed(calls, SEEDS) == 3_000_002


def test_typical_seed_without_a_full_match_takes_the_closest():
    # only possible with ties (a tie counts as a face): each face matches one model's majority, the first is taken
    calls = calls_of([True, True, False, False], [False, False, True, True])
    assert typical_seed(calls, SEEDS[:4]) == 3_000_000


def test_a_pair_that_knows_jumbled_faces_adds_p_jumbled(variants):
    pair = make_tiny_pair(labels=[*LABELS, JUMBLED_FACE], image_size=64)
    result = run_picasso(pair, 3, variants=variants)
    cnn_probs, _ = probabilities(pair, torch.stack([pair.transform(image) for _, image in variants]))
    jumbled = pair.labels.index(JUMBLED_FACE)
    assert [v.cnn.p_jumbled for v in result.variants] == pytest.approx(cnn_probs[:, jumbled].tolist(), abs=1e-6)
    assert result.to_json()["variants"][0]["cnn"] == {"p_target": result.variants[0].cnn.p_target,
                                                      "top1": result.variants[0].cnn.top1,
                                                      "p_jumbled": result.variants[0].cnn.p_jumbled}


def test_face_rates_go_to_json_as_lists_and_come_back(tiny_pair):
    seeds = [3_000_000, 3_000_001]
    calls = face_calls(tiny_pair, seeds)
    rates = FaceRates(len(seeds), "share", call_rates(calls), typical_seed(calls, seeds))
    data = json.loads(json.dumps(rates.to_json()))
    assert list(data) == ["faces", "measure", "variants", "typical_seed"]
    clean = rates.variants["clean"]["cnn"]
    assert data["variants"]["clean"]["cnn"] == [clean.value, clean.low, clean.high] and clean.value == 1.0
    assert FaceRates.from_json(data) == rates
