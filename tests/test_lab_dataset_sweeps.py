"""Sweeps over a few images: each x's mean score and top-1 agreement, against the per-image sweeps they summarise."""
import pytest
import torch

from lab.dataset_sweeps import DatasetSweep, ModelCurve, sweep_dataset
from lab.statistics import mean_ci, wilson
from lab.sweeps import SWEEPS, run_sweep, sweep_values

COUNT = 5


@pytest.fixture(scope="module")
def images() -> torch.Tensor:
    return torch.rand(COUNT, 3, 32, 32, generator=torch.Generator().manual_seed(3))


@pytest.mark.parametrize("kind", ["rotate", "drop"])  # one draw per x, and draws averaged per x
def test_each_x_summarises_the_per_image_sweeps(tiny_pair, images, kind):
    calls = []
    summary = sweep_dataset(tiny_pair, images, kind, progress=lambda fraction, desc: calls.append(fraction))
    runs = [run_sweep(tiny_pair, image, kind) for image in images]
    assert summary.kind == kind and summary.count == COUNT
    assert summary.x == sweep_values(kind, 32, tiny_pair.vit.patch_size)
    identity = summary.x.index(SWEEPS[kind].identity)
    for model in ("cnn", "vit"):
        curve = getattr(summary, model)
        for j in range(len(summary.x)):
            mean, half = mean_ci([getattr(run, model).score[j] for run in runs])
            kept = sum(getattr(run, model).top1[j] == getattr(run, model).top1[identity] for run in runs)
            agreed = wilson(kept, COUNT)
            assert (curve.score[j], curve.score_ci[j]) == pytest.approx((mean, half), abs=1e-6)
            assert (curve.agreement[j], curve.agreement_low[j], curve.agreement_high[j]) == (
                agreed.value, agreed.low, agreed.high)
        assert curve.agreement[identity] == 1.0  # every image agrees with itself
    assert calls == pytest.approx([(i + 1) / COUNT for i in range(COUNT)])


def test_agreement_counts_images_whose_top1_changed(tiny_pair, images):
    summary = sweep_dataset(tiny_pair, images, "rotate")
    runs = [run_sweep(tiny_pair, image, "rotate") for image in images]
    changed = [sum(run.vit.top1[j] != run.vit.top1[0] for run in runs) for j in range(len(summary.x))]
    assert any(changed), "no rotation changed any top-1 here: the agreement would not be tested"
    assert summary.vit.agreement == [(COUNT - c) / COUNT for c in changed]


def test_mean_agreement_averages_the_chosen_x():
    curve = ModelCurve(score=[0.0] * 4, score_ci=[0.0] * 4, agreement=[1.0, 0.8, 0.4, 0.2],
                       agreement_low=[0.0] * 4, agreement_high=[1.0] * 4)
    sweep = DatasetSweep("translate", [0.0, 0.1, 0.2, 0.5], 10, curve, curve)
    assert sweep.mean_agreement("cnn", lambda x: 0 < x <= 0.2) == pytest.approx(0.6)
    assert sweep.mean_agreement("vit", lambda x: x >= 0.5) == pytest.approx(0.2)
