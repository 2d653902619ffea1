"""Tests for explain.stage_gradcam: Grad-CAM on the CNN stage whose grid is the ViT's."""
import pytest
import torch

from explain.passes import cnn_pass
from explain.stage_gradcam import matching_stage, stage_grids, stage_gradcam
from images.decode import load_image
from models import load_pair
from ui.examples import EXAMPLES_DIR


def test_the_toy_pair_matches_the_vit_grid_at_layer2():
    pair = load_pair("toy")
    assert stage_grids(pair) == {"layer1": 16, "layer2": 8, "layer3": 4, "layer4": 4}
    assert matching_stage(pair) == "layer2" and pair.vit.grid_size == 8


def test_on_the_last_stage_it_is_the_apps_grad_cam(tiny_pair):
    image = torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))
    app = cnn_pass(tiny_pair, image)
    assert torch.allclose(stage_gradcam(tiny_pair, image, "layer4", app.target), app.gradcam, atol=1e-6)


def test_the_matching_stage_gives_a_map_on_the_vits_grid(tiny_pair):
    stage = matching_stage(tiny_pair)
    heat = stage_gradcam(tiny_pair, torch.rand(3, 32, 32), stage)
    assert heat.shape == (tiny_pair.vit.grid_size,) * 2 and 0 <= heat.min() and heat.max() <= 1


def test_another_class_gives_another_map():
    pair = load_pair("toy")
    image = pair.transform(load_image(EXAMPLES_DIR / "toy_face.png"))
    maps = [stage_gradcam(pair, image, "layer2", target) for target in (0, 1)]
    assert not torch.allclose(*maps)


def test_refuses_the_stem():
    with pytest.raises(ValueError, match="layer1"):
        stage_gradcam(load_pair("toy"), torch.rand(3, 64, 64), "stem")
