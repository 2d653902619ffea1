"""Picasso faces: the variants, one batch through both models, and what is measured with and without a face class."""
import pytest
import torch

from lab.picasso import picasso_variants, run_picasso
from models.inference import probabilities
from models.pairs import Pair
from tests.conftest import make_tiny_pair
from toyworld import LABELS, PRESETS


def make_toy_labelled_pair() -> Pair:
    """A tiny random Pair on 64x64 inputs whose labels are the toy world's, so "face" is a class."""
    return make_tiny_pair(labels=LABELS, image_size=64)


@pytest.fixture(scope="module")
def variants():
    return picasso_variants(seed=3)


def test_variants_are_the_clean_face_and_every_preset(variants):
    names = [name for name, _ in variants]
    assert names == ["clean", "homework", *PRESETS]
    assert {"moved", "rotated", "picasso", "swapped"} <= set(names)
    assert all(image.mode == "RGB" and image.size == (64, 64) for _, image in variants)
    assert len({image.tobytes() for _, image in variants}) == len(variants), "every variant must differ"


def _check_shape(result: dict, names: list[str]) -> None:
    assert [v["name"] for v in result["variants"]] == names
    for variant in result["variants"]:
        for model in ("cnn", "vit"):
            assert set(variant[model]) == {"p_target", "top1"}
            assert 0.0 <= variant[model]["p_target"] <= 1.0


def test_pair_with_a_face_class_measures_p_face(variants):
    pair = make_toy_labelled_pair()
    result = run_picasso(pair, 3, variants=variants)
    assert result["measure"] == "p_face"
    assert result["classes"] == {"cnn": "face", "vit": "face"}
    _check_shape(result, [name for name, _ in variants])
    cnn_probs, vit_probs = probabilities(pair, torch.stack([pair.transform(image) for _, image in variants]))
    face = pair.labels.index("face")
    assert [v["cnn"]["p_target"] for v in result["variants"]] == pytest.approx(cnn_probs[:, face].tolist(), abs=1e-6)
    assert [v["vit"]["p_target"] for v in result["variants"]] == pytest.approx(vit_probs[:, face].tolist(), abs=1e-6)


@pytest.fixture(scope="module")
def tiny_result(tiny_pair, variants) -> dict:
    return run_picasso(tiny_pair, 3, variants=variants)


def test_pair_without_a_face_class_measures_the_clean_top1(tiny_pair, variants, tiny_result):
    result = tiny_result
    assert result["measure"] == "p_clean_top1"
    _check_shape(result, [name for name, _ in variants])
    clean = result["variants"][0]
    cnn_probs, vit_probs = probabilities(tiny_pair, tiny_pair.transform(variants[0][1])[None])
    assert clean["cnn"]["p_target"] == pytest.approx(float(cnn_probs.max()), abs=1e-5)
    assert clean["vit"]["p_target"] == pytest.approx(float(vit_probs.max()), abs=1e-5)
    assert result["classes"] == {"cnn": clean["cnn"]["top1"], "vit": clean["vit"]["top1"]}


def test_renders_its_own_variants_from_the_seed(tiny_pair, tiny_result):
    assert run_picasso(tiny_pair, 3) == tiny_result
