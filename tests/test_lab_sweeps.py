"""Sweeps: the result's shape for every kind, the scores against the models run directly, batching, refusals."""
from collections import Counter

import pytest
import torch

import lab.sweeps
from lab.sweeps import SWEEPS, ImageSweep, run_sweep, sweep_images, sweep_values
from lab.transforms import patch_drop, patch_shuffle, rotate, translate
from models import load_pair
from models.inference import probabilities
from toyworld import render


@pytest.fixture(scope="module")
def image() -> torch.Tensor:
    return torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(1))


@pytest.fixture(scope="module")
def results(tiny_pair, image) -> dict[str, ImageSweep]:
    return {kind: run_sweep(tiny_pair, image, kind) for kind in SWEEPS}


@pytest.mark.parametrize("kind", list(SWEEPS))
def test_result_shape(tiny_pair, results, kind):
    result = results[kind]
    assert result.kind == kind
    assert result.x == sweep_values(kind, 32, tiny_pair.vit.patch_size)
    assert SWEEPS[kind].identity in result.x
    for curve in (result.cnn, result.vit):
        assert len(curve.score) == len(curve.top1) == len(result.x)
        assert set(curve.top1) <= set(tiny_pair.labels)
    assert result.to_json() == {"kind": kind, "x": result.x,
                                "cnn": {"score": result.cnn.score, "top1": result.cnn.top1},
                                "vit": {"score": result.vit.score, "top1": result.vit.top1}}


@pytest.mark.parametrize("kind", list(SWEEPS))
def test_score_at_the_identity_is_the_clean_top_probability(tiny_pair, image, results, kind):
    result = results[kind]
    clean = result.x.index(SWEEPS[kind].identity)
    for model, probs in zip(("cnn", "vit"), probabilities(tiny_pair, image[None])):
        assert getattr(result, model).score[clean] == pytest.approx(float(probs[0].max()), abs=1e-5)
        assert getattr(result, model).top1[clean] == tiny_pair.labels[int(probs[0].argmax())]


NON_IDENTITY = {"rotate": 90, "translate": 0.3, "shuffle": 4, "drop": 0.5}
"""One point of each kind that changes the picture."""


def transformed(image01: torch.Tensor, kind: str, x: float, draw: int, patch_size: int) -> torch.Tensor:
    """The image at x, built here from lab.transforms; draw d of the random kinds uses seed d."""
    if kind == "rotate":
        return rotate(image01, x)
    if kind == "translate":
        return translate(image01, x)
    if kind == "shuffle":
        return patch_shuffle(image01, int(x), seed=draw)
    return patch_drop(image01, x, seed=draw, patch_size=patch_size)


@pytest.mark.parametrize("kind", list(SWEEPS))
def test_a_point_away_from_the_identity_is_the_models_run_on_the_transformed_image(kind):
    pair = load_pair("toy")
    face = pair.transform(render("face", 3))
    result = run_sweep(pair, face, kind)
    x = NON_IDENTITY[kind]
    images = torch.stack([transformed(face, kind, x, draw, pair.vit.patch_size) for draw in range(SWEEPS[kind].draws)])
    assert not torch.equal(images[0], face)
    at = result.x.index(x)
    for model, clean, probs in zip(("cnn", "vit"), probabilities(pair, face[None]), probabilities(pair, images)):
        clean_class = int(clean[0].argmax())
        direct = float(probs[:, clean_class].mean())
        assert abs(direct - float(clean[0, clean_class])) > 1e-3, "the point does not tell the image from the clean one"
        assert getattr(result, model).score[at] == pytest.approx(direct, abs=1e-5)
        votes = Counter(pair.labels[i] for i in probs.argmax(-1).tolist())
        assert votes[getattr(result, model).top1[at]] == max(votes.values()), (getattr(result, model).top1[at], votes)


def test_rotate_and_translate_sweep_the_stated_values(tiny_pair):
    assert sweep_values("rotate", 32, 8) == list(range(0, 360, 15))
    translate = sweep_values("translate", 32, 8)
    assert len(translate) == 11 and translate[0] == -0.5 and translate[-1] == 0.5 and 0.0 in translate


def test_shuffle_pieces_never_undercut_a_vit_patch():
    assert sweep_values("shuffle", 32, 8) == [1, 2, 4]
    assert sweep_values("shuffle", 224, 16) == [1, 2, 4, 8]
    assert sweep_values("shuffle", 224, 32) == [1, 2, 4]


def test_averaged_kinds_stack_their_draws(image):
    points = sweep_images(image, "drop", 8)
    assert [x for x, _ in points] == sweep_values("drop", 32, 8)
    assert all(stack.shape == (SWEEPS["drop"].draws, 3, 32, 32) for _, stack in points)
    assert not torch.equal(points[3][1][0], points[3][1][1]), "draws must differ"


def test_unknown_kind_names_the_valid_ones(tiny_pair, image):
    with pytest.raises(ValueError, match="rotate, translate, shuffle, drop"):
        run_sweep(tiny_pair, image, "blur")


def test_refuses_an_image_not_cropped_for_the_pair(tiny_pair):
    with pytest.raises(ValueError, match=r"\[3, 32, 32\]"):
        run_sweep(tiny_pair, torch.rand(3, 64, 64), "rotate")


def test_one_batched_pass_in_chunks(tiny_pair, image, results, monkeypatch):
    sizes = []

    def counting(pair, batch):
        sizes.append(len(batch))
        return probabilities(pair, batch)

    monkeypatch.setattr(lab.sweeps, "probabilities", counting)
    monkeypatch.setattr(lab.sweeps, "BATCH_SIZE", 16)
    result = results["drop"]
    chunked = run_sweep(tiny_pair, image, "drop")
    total = 1 + len(result.x) * SWEEPS["drop"].draws  # the clean image rides along
    assert sum(sizes) == total
    assert sizes == [16] * (total // 16) + [total % 16]
    for model in ("cnn", "vit"):
        assert getattr(chunked, model).top1 == getattr(result, model).top1
        assert getattr(chunked, model).score == pytest.approx(getattr(result, model).score, abs=1e-6)


def test_reuses_given_images_and_reports_progress(tiny_pair, image, results):
    calls = []
    points = sweep_images(image, "translate", tiny_pair.vit.patch_size)
    result = run_sweep(tiny_pair, image, "translate", lambda fraction, desc: calls.append((fraction, desc)),
                       images=points)
    assert result == results["translate"]
    assert calls[0][0] == 0.0 and calls[-1][0] == 1.0 and all("translate" in str(desc) for _, desc in calls)


def test_captions():
    assert [SWEEPS["rotate"].label(45), SWEEPS["translate"].label(-0.2), SWEEPS["shuffle"].label(4),
            SWEEPS["drop"].label(0.3)] == ["45°", "-20%", "4×4", "30%"]
