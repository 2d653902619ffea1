"""The lab's figures build from real results and save as PNG; the strip has one captioned tile per image."""
import pytest
import torch
from matplotlib.figure import Figure
from PIL import Image

from lab.picasso import FaceScore, PicassoScores, VariantScores
from lab.sweeps import SWEEPS, ImageSweep, SweepCurve, run_sweep, sweep_images
from lab.theory import parameter_breakdown
from figures.lab import complexity_figure, parameter_figure, picasso_figure, strip_image, sweep_figure


def _saves(fig: Figure, path) -> None:
    assert isinstance(fig, Figure)
    fig.savefig(path)
    assert Image.open(path).size[0] > 200


def test_sweep_figure_of_a_real_sweep(tiny_pair, tmp_path):
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    _saves(sweep_figure(run_sweep(tiny_pair, image, "translate")), tmp_path / "sweep.png")


def test_strip_has_one_captioned_tile_per_image():
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    points = sweep_images(image, "rotate", 8)  # 24 images: two rows of 12
    strip = strip_image([stack[0] for _, stack in points], [SWEEPS["rotate"].label(x) for x, _ in points], tile=64)
    assert strip.size == (12 * (64 + 4) + 4, 2 * (64 + 64 // 5 + 4) + 4)
    assert strip.getpixel((4 + 32, 4 + 32)) == tuple((points[0][1][0][:, 16, 16] * 255).round().int().tolist())


def test_sweep_figure_marks_changed_predictions(tmp_path):
    result = ImageSweep("translate", [-0.1, 0.0, 0.1], SweepCurve([0.5, 0.9, 0.4], ["cat", "cat", "dog"]),
                        SweepCurve([0.1, 0.8, 0.7], ["dog", "cat", "cat"]))
    fig = sweep_figure(result)
    hollow = [c for c in fig.axes[0].collections if c.get_facecolor()[0][:3].tolist() == [1.0, 1.0, 1.0]]
    assert sorted(len(c.get_offsets()) for c in hollow) == [1, 1]
    _saves(fig, tmp_path / "sweep.png")


def test_strip_rejects_mismatched_captions():
    with pytest.raises(ValueError, match="labels"):
        strip_image([torch.rand(3, 8, 8)], ["a", "b"])


def test_picasso_figure(tmp_path):
    names = ["clean", "moved", "picasso"]
    variants = [VariantScores(n, FaceScore(0.9 - i / 4, "face"), FaceScore(0.8 - i / 3, "clock"))
                for i, n in enumerate(names)]
    images = [Image.new("RGB", (64, 64), (40 * i, 90, 160)) for i in range(len(names))]
    for measure in ("p_face", "p_clean_top1"):
        result = PicassoScores(measure, {"cnn": "face", "vit": "face"}, variants)
        _saves(picasso_figure(result, images), tmp_path / f"{measure}.png")


@pytest.mark.parametrize("timings", [None, [{"global_ms": 0.1, "windowed_ms": 0.1},
                                            {"global_ms": 0.9, "windowed_ms": 0.3}]])
def test_complexity_figure(tmp_path, timings):
    fig = complexity_figure(96, 7, [7, 14], timings)
    assert len(fig.axes) == (2 if timings else 1)
    assert fig.axes[0].get_yscale() == "log"
    _saves(fig, tmp_path / "complexity.png")


def test_parameter_figure(tiny_pair, tmp_path):
    fig = parameter_figure(parameter_breakdown(tiny_pair.cnn), parameter_breakdown(tiny_pair.vit))
    assert fig.axes[0].get_xlabel() == "parameters"
    _saves(fig, tmp_path / "parameters.png")
