"""Tests for explain.faithfulness: deletion and insertion on a model whose evidence is known."""

import math

import numpy as np
import pytest
import torch

from explain.faithfulness import STEPS, blurred, deletion_curve, insertion_curve, random_saliency

SIZE = 32
EVIDENCE = (slice(0, 16), slice(0, 16))  # the top-left quarter of the crop
CHECKS = torch.tensor([[(-1.0) ** (row + col) for col in range(16)] for row in range(16)])


def evidence_model(batch: torch.Tensor) -> torch.Tensor:
    """Class 0's logit counts the fine checkerboard in channel 0 of the top-left quarter; nothing else matters."""
    region = batch[:, 0, EVIDENCE[0], EVIDENCE[1]]
    score = 20 * ((region - 0.5) * CHECKS).mean(dim=(1, 2)) - 5  # 5 on the image, about -5 once blurred
    return torch.stack([score, torch.zeros_like(score)], dim=1)


def evidence_image() -> torch.Tensor:
    torch.manual_seed(0)
    image = torch.rand(3, SIZE, SIZE)
    image[0, EVIDENCE[0], EVIDENCE[1]] = (CHECKS + 1) / 2
    return image


def evidence_map(grid: int = 8) -> torch.Tensor:
    heat = torch.zeros(grid, grid)
    heat[: grid // 2, : grid // 2] = 1.0
    return heat


class Recorder:
    """A model_fn that keeps every batch it is given and answers with constant logits."""

    def __init__(self, logits: tuple[float, float] = (0.0, 0.0)):
        self.batches: list[torch.Tensor] = []
        self.logits = torch.tensor(logits)

    def __call__(self, batch: torch.Tensor) -> torch.Tensor:
        self.batches.append(batch.clone())
        return self.logits.expand(len(batch), -1)


def test_a_map_on_the_evidence_beats_its_reverse_and_a_random_map():
    image, heat = evidence_image(), evidence_map()
    good = deletion_curve(evidence_model, image, heat, target=0)
    reverse = deletion_curve(evidence_model, image, 1 - heat, target=0)
    chance = deletion_curve(evidence_model, image, random_saliency((8, 8), seed=0), target=0)
    assert good.probs[0] > 0.99 and good.probs[-1] < 0.01
    assert good.auc < 0.2 < chance.auc < reverse.auc and reverse.auc > 0.7
    assert insertion_curve(evidence_model, image, heat, 0).auc > 0.8
    assert insertion_curve(evidence_model, image, 1 - heat, 0).auc < 0.3


def test_deletion_runs_one_batched_forward_from_the_image_to_its_blurred_copy_in_small_steps():
    image, recorder = evidence_image(), Recorder()
    curve = deletion_curve(recorder, image, random_saliency((8, 8), seed=1), target=0, steps=25)
    (batch,) = recorder.batches
    assert batch.shape == (26, 3, SIZE, SIZE)
    torch.testing.assert_close(batch[0], image)
    torch.testing.assert_close(batch[-1], blurred(image))
    changed = (batch[1:] != batch[:-1]).any(dim=1).flatten(1).sum(dim=1)
    assert changed.min() >= 1 and changed.max() <= 0.05 * SIZE * SIZE
    assert curve.fractions[0] == 0 and curve.fractions[-1] == 1 and np.all(np.diff(curve.fractions) > 0)


def test_insertion_goes_the_other_way():
    image, recorder = evidence_image(), Recorder()
    insertion_curve(recorder, image, evidence_map(), target=0)
    (batch,) = recorder.batches
    assert len(batch) == STEPS + 1
    torch.testing.assert_close(batch[0], blurred(image))
    torch.testing.assert_close(batch[-1], image)


def test_removed_pixels_take_the_blurred_copy_most_salient_first():
    image, recorder = evidence_image(), Recorder()
    heat = torch.arange(SIZE * SIZE, dtype=torch.float32).reshape(SIZE, SIZE)  # the bottom row is highest
    deletion_curve(recorder, image, heat, target=0)
    step = recorder.batches[0][5]  # 5 steps of 4%: 20% of the pixels, the bottom 6.4 rows
    removed = (step != image).any(dim=0)
    assert removed.sum() == round(0.2 * SIZE * SIZE)
    assert removed[-6:].all() and not removed[:-7].any()
    torch.testing.assert_close(step[:, removed], blurred(image)[:, removed])


def test_blur_keeps_flat_images_and_smooths_fine_detail():
    flat = torch.full((3, SIZE, SIZE), 0.3)
    torch.testing.assert_close(blurred(flat), flat)
    smoothed = blurred(evidence_image())[0, 4:12, 4:12]
    assert (smoothed - 0.5).abs().max() < 0.15  # the checkerboard is gone


def test_auc_is_the_area_under_the_probability_curve():
    constant = deletion_curve(Recorder((math.log(3.0), 0.0)), evidence_image(), evidence_map(), target=0)
    assert constant.auc == pytest.approx(0.75)
    for seed in range(3):
        curve = deletion_curve(evidence_model, evidence_image(), random_saliency((4, 4), seed), target=1)
        assert 0 <= curve.auc <= 1
        assert curve.auc == pytest.approx(np.trapezoid(curve.probs, curve.fractions))


def test_random_map_is_seeded_and_steps_are_bounded():
    torch.testing.assert_close(random_saliency((8, 8), 3), random_saliency((8, 8), 3))
    assert not torch.equal(random_saliency((8, 8), 3), random_saliency((8, 8), 4))
    with pytest.raises(ValueError, match="more than 5%"):
        deletion_curve(Recorder(), evidence_image(), evidence_map(), target=0, steps=10)
    with pytest.raises(ValueError, match="more than 5%"):  # 20 steps of 1,024 pixels: some move 52 > 51.2
        deletion_curve(Recorder(), evidence_image(), evidence_map(), target=0, steps=20)
