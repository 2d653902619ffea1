"""Tests for figures.explanations.looking_distance_figure: like with like in front, the other quantities as extras."""
import numpy as np
import pytest
import torch
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.colors import to_hex
from PIL import Image

from explain.analysis_cache import analyse, effective_locations
from explain.distance import mean_attention_distance
from explain.passes import CNN_STAGES
from figures.explanations import looking_distance_figure
from figures.theme import CNN_COLOR, VIT_COLOR
from lab.statistics import mean_ci

SIDE = 64
FIELDS = {"stem": 11, "layer1": 27, "layer2": 51, "layer3": 103, "layer4": 199}


def measured(images: int, seed: int = 0) -> tuple[dict, dict, torch.Tensor]:
    """Constructed effective distances (px, per image) for 5 stages and 4 blocks, and [4 layers, 3 heads] attention."""
    rng = np.random.default_rng(seed)
    cnn = {stage: 4.0 * (i + 1) + rng.random(images) for i, stage in enumerate(CNN_STAGES)}
    vit = {f"block{i}": 20.0 + i + rng.random(images) for i in range(1, 5)}
    return cnn, vit, torch.tensor(rng.random((4, 3)) * 10 + 25, dtype=torch.float32)


def line(ax, label_start: str):
    (found,) = [line for line in ax.get_lines() if line.get_label().startswith(label_start)]
    return found


def test_both_models_curves_plot_the_measured_means_as_shares_of_the_side_at_relative_depth():
    cnn, vit, attention = measured(images=10)
    main, _ = looking_distance_figure(cnn, vit, SIDE, 8, attention, FIELDS).axes
    for label, distances, color in (("CNN: effective", cnn, CNN_COLOR), ("ViT: effective", vit, VIT_COLOR)):
        curve = line(main, label)
        assert to_hex(curve.get_color()) == to_hex(color)
        np.testing.assert_allclose(curve.get_xdata(), np.arange(1, len(distances) + 1) / len(distances))
        np.testing.assert_allclose(curve.get_ydata(), [v.mean() / SIDE for v in distances.values()])


def test_bands_are_the_95_percent_intervals_over_images():
    cnn, vit, attention = measured(images=10)
    main, _ = looking_distance_figure(cnn, vit, SIDE, 8, attention, FIELDS).axes
    bands = [c for c in main.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    for band, distances in zip(bands, (cnn, vit)):
        tops = band.get_paths()[0].vertices[:, 1]
        expected = [mean + half for mean, half in (mean_ci(list(v / SIDE)) for v in distances.values())]
        assert max(tops) == pytest.approx(max(expected))


def test_one_image_has_no_band_and_the_caption_says_how_many_locations():
    cnn, vit, attention = measured(images=1)
    figure = looking_distance_figure(cnn, vit, SIDE, 1, attention, FIELDS)
    assert not [c for c in figure.axes[0].collections if isinstance(c, PolyCollection)]
    caption = figure.get_supxlabel()
    assert "1 random location per image" in caption and "this image" in caption
    several = looking_distance_figure(*measured(images=10)[:2], SIDE, 8, attention, FIELDS).get_supxlabel()
    assert "8 random locations per image" in several and "10 images" in several


def test_extras_are_labelled_apart_and_plot_the_other_quantities():
    cnn, vit, attention = measured(images=3)
    main, extras = looking_distance_figure(cnn, vit, SIDE, 8, attention, FIELDS).axes
    assert "not like with like" in extras.get_title() and "Like with like" in main.get_title()
    assert not [t for t in main.get_legend().get_texts() if "attention" in t.get_text() or "theoretical" in
                t.get_text()]
    np.testing.assert_allclose(line(extras, "ViT: mean attention distance, mean").get_ydata(),
                               attention.mean(1).numpy() / SIDE, rtol=1e-6)
    (dots,) = [c for c in extras.collections if isinstance(c, PathCollection)]
    assert "a dot per head" in dots.get_label()
    np.testing.assert_allclose(np.sort(dots.get_offsets()[:, 1]), np.sort(attention.flatten().numpy() / SIDE),
                               rtol=1e-6)
    field = line(extras, "CNN: theoretical receptive field")
    np.testing.assert_allclose(field.get_ydata(), [FIELDS[s] / SIDE for s in FIELDS])


def test_the_app_figure_shows_the_analysis_measured_distances(tiny_pair):
    image = Image.fromarray((np.random.default_rng(3).random((32, 32, 3)) * 255).astype(np.uint8))
    analysis = analyse(tiny_pair, image)
    cnn, vit = analysis.effective_distances
    assert analysis.effective_distances is analyse(tiny_pair, image).effective_distances  # measured once, kept
    attention = mean_attention_distance(analysis.vit.maps, tiny_pair.vit.patch_size)
    main, _ = looking_distance_figure(cnn, vit, 32, effective_locations(32), attention, FIELDS).axes
    np.testing.assert_allclose(line(main, "CNN: effective").get_ydata(), [v[0] / 32 for v in cnn.values()])
    np.testing.assert_allclose(line(main, "ViT: effective").get_ydata(), [v[0] / 32 for v in vit.values()])
    assert list(cnn) == list(CNN_STAGES) and list(vit) == ["block1", "block2"]
