"""Tests for explain.chefer: a 2-layer example worked out by hand, and the map of a real ViT."""

import pytest
import torch

from explain.chefer import chefer_map, chefer_relevance
from explain.passes import vit_pass
from models import load_pair
from tests.conftest import make_tiny_pair
from toyworld import render

# Three tokens (CLS and two patches), two heads, two layers. The products ∇A ⊙ A, head by head:
#   layer 1, head 0: [[1, -1, 0], [0, 1, 0], [0, 0, 0]]   -> ⁺ [[1, 0, 0], [0, 1, 0], [0, 0, 0]]
#   layer 1, head 1: [[0, 1, 2], [-1, 0, 0], [0, 0, 2]]   -> ⁺ [[0, 1, 2], [0, 0, 0], [0, 0, 2]]
#   Ā1 = mean = [[.5, .5, 1], [0, .5, 0], [0, 0, 1]];  R1 = I + Ā1·I = [[1.5, .5, 1], [0, 1.5, 0], [0, 0, 2]]
#   layer 2, head 0: [[0, 2, -1], [0, -1, 0], [0, 0, -1]] -> ⁺ [[0, 2, 0], 0, 0]
#   layer 2, head 1: [[-.5, -.5, 2], [0, -1, 0], [0, 0, -1]] -> ⁺ [[0, 0, 2], 0, 0]
#   Ā2 = [[0, 1, 1], 0, 0];  Ā2·R1 = [[0, 1.5, 2], 0, 0];  R2 = R1 + Ā2·R1 = [[1.5, 2, 3], [0, 1.5, 0], [0, 0, 2]]
# (With the product the wrong way round, R1 + R1·Ā2, the CLS row would be [1.5, 2, 2.5].)
MAPS = [
    torch.tensor([[[.5, .5, 0], [0, 1, 0], [0, 0, 1]],
                  [[0, .5, .5], [.5, .5, 0], [0, 0, 1]]]),
    torch.tensor([[[.25, .5, .25], [0, 1, 0], [0, 0, 1]],
                  [[.5, .25, .25], [0, 1, 0], [0, 0, 1]]]),
]
GRADS = [
    torch.tensor([[[2, -2, 1], [0, 1, 0], [0, 0, 0]],
                  [[0, 2, 4], [-2, 0, 0], [0, 0, 2]]]),
    torch.tensor([[[0, 4, -4], [1, -1, 1], [1, 1, -1]],
                  [[-1, -2, 8], [1, -1, 1], [1, 1, -1]]]),
]
EXPECTED = torch.tensor([[1.5, 2, 3], [0, 1.5, 0], [0, 0, 2]])


def test_relevance_matches_the_hand_computed_two_layer_example():
    torch.testing.assert_close(chefer_relevance(MAPS, [g.float() for g in GRADS]), EXPECTED)


def test_one_layer_is_identity_plus_the_positive_part_averaged_over_heads():
    expected = torch.eye(3) + torch.tensor([[.5, .5, 1], [0, .5, 0], [0, 0, 1]])
    torch.testing.assert_close(chefer_relevance(MAPS[:1], [GRADS[0].float()]), expected)


def padded(matrices: torch.Tensor, diagonal: float) -> torch.Tensor:
    """[heads, 3, 3] -> [heads, 5, 5]: two more patch tokens that attend only to themselves (or get no gradient)."""
    out = torch.zeros(matrices.shape[0], 5, 5)
    out[:, :3, :3] = matrices
    out[:, 3, 3] = out[:, 4, 4] = diagonal
    return out


def test_map_is_the_cls_row_over_patches_on_a_square_grid():
    # Two extra patches with zero gradient have no relevance: the 2x2 map is [[2, 3], [0, 0]].
    heat = chefer_map([padded(m, 1.0) for m in MAPS], [padded(g.float(), 0.0) for g in GRADS])
    torch.testing.assert_close(heat, torch.tensor([[2.0, 3.0], [0.0, 0.0]]))


def test_map_refuses_a_non_square_token_count():
    with pytest.raises(ValueError, match="square"):
        chefer_map(MAPS, [g.float() for g in GRADS])


def vit_chefer(pair, image01: torch.Tensor, target: int | None = None) -> tuple[torch.Tensor, int]:
    """The served path: the ViT pass that computes Grad-CAM and Chefer's map from one backward."""
    result = vit_pass(pair, image01, target)
    return result.chefer, result.target


def test_model_map_equals_the_math_on_maps_and_gradients_taken_independently(tiny_pair):
    torch.manual_seed(0)
    image = torch.rand(3, 32, 32)
    heat, target = vit_chefer(tiny_pair, image, target=3)
    x = image.unsqueeze(0).requires_grad_()
    logits, maps = tiny_pair.vit(x, need_weights=True)
    for m in maps:
        m.retain_grad()
    logits[0, 3].backward()
    expected = chefer_map([m[0].detach() for m in maps], [m.grad[0] for m in maps])
    assert target == 3 and heat.shape == (tiny_pair.vit.grid_size,) * 2
    torch.testing.assert_close(heat, expected / expected.max())


def test_model_map_defaults_to_top1_leaves_frozen_weights_alone_and_refuses_bad_targets():
    pair = make_tiny_pair(seed=1)
    pair.vit.requires_grad_(False)
    image = torch.rand(3, 32, 32)
    with torch.inference_mode():
        heat, target = vit_chefer(pair, image)
    assert target == int(pair.vit(image[None]).argmax())
    assert heat.min() >= 0 and heat.max() == 1
    assert all(p.grad is None for p in pair.vit.parameters())
    with pytest.raises(ValueError, match="outside"):
        vit_chefer(pair, image, target=5)


def test_toy_vit_map_is_class_specific():
    pair = load_pair("toy")
    image = pair.transform(render("face", 3))
    heat_face, _ = vit_chefer(pair, image, target=pair.labels.index("face"))
    heat_car, _ = vit_chefer(pair, image, target=pair.labels.index("car"))
    assert heat_face.shape == (pair.vit.grid_size,) * 2
    assert not torch.allclose(heat_face, heat_car)
