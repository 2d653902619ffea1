"""The sweep figures build from real results and save as PNG; the strip has one captioned tile per image."""
import pytest
import torch

from figures.sweeps import dataset_sweep_figure, strip_image, sweep_figure
from lab.dataset_sweeps import sweep_dataset
from lab.sweeps import SWEEPS, ImageSweep, SweepCurve, run_sweep, sweep_images
from tests.saved_figure import assert_saves


def test_sweep_figure_of_a_real_sweep(tiny_pair, tmp_path):
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    assert_saves(sweep_figure(run_sweep(tiny_pair, image, "translate")), tmp_path / "sweep.png")


def test_sweep_figure_marks_changed_predictions(tmp_path):
    result = ImageSweep("translate", [-0.1, 0.0, 0.1], SweepCurve([0.5, 0.9, 0.4], ["cat", "cat", "dog"]),
                        SweepCurve([0.1, 0.8, 0.7], ["dog", "cat", "cat"]))
    fig = sweep_figure(result)
    hollow = [c for c in fig.axes[0].collections if c.get_facecolor()[0][:3].tolist() == [1.0, 1.0, 1.0]]
    assert sorted(len(c.get_offsets()) for c in hollow) == [1, 1]
    assert_saves(fig, tmp_path / "sweep.png")


def test_strip_has_one_captioned_tile_per_image():
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    points = sweep_images(image, "rotate", 8)  # 24 images: two rows of 12
    strip = strip_image([stack[0] for _, stack in points], [SWEEPS["rotate"].label(x) for x, _ in points], tile=64)
    assert strip.size == (12 * (64 + 4) + 4, 2 * (64 + 64 // 5 + 4) + 4)
    assert strip.getpixel((4 + 32, 4 + 32)) == tuple((points[0][1][0][:, 16, 16] * 255).round().int().tolist())


def test_strip_rejects_mismatched_captions():
    with pytest.raises(ValueError, match="labels"):
        strip_image([torch.rand(3, 8, 8)], ["a", "b"])


def test_dataset_sweep_figure_of_a_real_dataset_sweep(tiny_pair, tmp_path):
    images = torch.rand(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    fig = dataset_sweep_figure(sweep_dataset(tiny_pair, images, "translate"))
    assert [ax.get_ylim() for ax in fig.axes] == [(-0.02, 1.02)] * 2
    assert_saves(fig, tmp_path / "dataset_sweep.png")
