"""The shared analysis: one trunk run per model and image, Grad-CAM for another class from kept activations."""
import contextlib

import numpy as np
import pytest
import torch
from matplotlib import colormaps
from PIL import Image

from explain.overlay import overlay
from explain.passes import cnn_pass, vit_pass
from models import load_pair
from explain.analysis_cache import (ANALYSIS_CACHE, CACHE_SIZE, SHOWN_CHANNELS, AnalysisCache, ImageAnalyses,
                                    analyse)


@contextlib.contextmanager
def trunk_runs(pair):
    """Counts of forward calls of the CNN's stem convolution and the ViT's patch projection."""
    counts = {"cnn": 0, "vit": 0}
    handles = [pair.cnn.model.conv1.register_forward_pre_hook(lambda *_: counts.__setitem__("cnn", counts["cnn"] + 1)),
               pair.vit.conv_proj.register_forward_pre_hook(lambda *_: counts.__setitem__("vit", counts["vit"] + 1))]
    try:
        yield counts
    finally:
        for handle in handles:
            handle.remove()


@pytest.fixture
def empty_cache():
    ANALYSIS_CACHE.clear()
    yield
    ANALYSIS_CACHE.clear()


def picture(seed: int, size: int = 40) -> Image.Image:
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, (size, size, 3), dtype=np.uint8))


def test_another_class_reuses_the_image_passes_and_matches_a_direct_pass(tiny_pair, empty_cache) -> None:
    image = picture(0)
    with trunk_runs(tiny_pair) as runs:
        top = analyse(tiny_pair, image)
        chosen = [analyse(tiny_pair, image, target) for target in range(len(tiny_pair.labels))]
        again = analyse(tiny_pair, picture(0))  # same pixels, new object
    # The CNN reruns only its head; the ViT reruns for each class but its top-1 (Chefer needs every layer's gradient).
    assert runs == {"cnn": 1, "vit": len(tiny_pair.labels)}
    assert again is top
    crop = tiny_pair.transform(image)
    for target, a in enumerate(chosen):
        assert a.cnn.target == a.vit.target == target
        torch.testing.assert_close(a.cnn.gradcam, cnn_pass(tiny_pair, crop, target).gradcam)
        direct = vit_pass(tiny_pair, crop, target)
        torch.testing.assert_close(a.vit.gradcam, direct.gradcam)
        torch.testing.assert_close(a.vit.chefer, direct.chefer)
        torch.testing.assert_close(a.cnn.probs, top.cnn.probs)


def test_the_cache_keeps_the_shown_channels_and_half_precision_maps(tiny_pair, empty_cache) -> None:
    image = picture(2)
    kept = analyse(tiny_pair, image)
    full = cnn_pass(tiny_pair, tiny_pair.transform(image))
    for name, activation in kept.cnn.stages.items():
        expected = full.stages[name] if name == "layer4" else full.stages[name][
            full.stages[name].mean(dim=(1, 2)).topk(min(SHOWN_CHANNELS, full.stages[name].shape[0])).indices]
        torch.testing.assert_close(activation, expected)
    exact = vit_pass(tiny_pair, tiny_pair.transform(image)).maps
    assert all(m.dtype == torch.float16 for m in kept.vit.maps)
    for compact, m in zip(kept.vit.maps, exact):
        torch.testing.assert_close(compact.float(), m, atol=1e-3, rtol=1e-3)


def test_the_cache_is_bounded(tiny_pair, empty_cache) -> None:
    for seed in range(CACHE_SIZE + 3):
        analyse(tiny_pair, picture(seed))
    assert len(ANALYSIS_CACHE) == CACHE_SIZE
    ANALYSIS_CACHE.clear()
    assert len(ANALYSIS_CACHE) == 0


def test_the_least_recently_used_image_is_dropped_first(tiny_pair, empty_cache) -> None:
    cache = AnalysisCache(capacity=2)
    first, second, third = (ImageAnalyses(analyse(tiny_pair, picture(seed))) for seed in range(3))
    cache.put(("first",), first)
    cache.put(("second",), second)
    assert cache.get(("first",)) is first  # now the most recently used
    cache.put(("third",), third)
    assert cache.get(("second",)) is None
    assert cache.get(("first",)) is first and cache.get(("third",)) is third and len(cache) == 2


def test_served_pairs_are_frozen() -> None:
    pair = load_pair("toy")
    assert not any(p.requires_grad for model in (pair.cnn, pair.vit) for p in model.parameters())


def test_overlay_colours_are_the_colour_map_blended() -> None:
    heat = torch.linspace(0, 1, 64).repeat(64, 1)
    shown = np.asarray(overlay(torch.zeros(3, 64, 64), heat, alpha=1.0), dtype=float)
    expected = colormaps["inferno"](heat.numpy())[..., :3] * 255
    assert np.abs(shown - expected).max() <= 3  # 256 levels of the map, 8-bit pixels
