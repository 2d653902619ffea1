"""Tests for explain.gradcam: hand-worked maps, the token layout of the ViT's, and each pass's Grad-CAM against a
manual computation for every class."""
import pytest
import torch

from explain.gradcam import gradcam, token_gradcam
from explain.passes import cnn_pass, vit_pass


@pytest.fixture(scope="module")
def image01() -> torch.Tensor:
    return torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(1))


def test_channels_are_weighted_by_their_mean_gradient_and_negatives_cut() -> None:
    activation = torch.tensor([[[1.0, 2.0], [3.0, 4.0]],
                               [[4.0, 0.0], [0.0, 0.0]]])
    grads = torch.tensor([[[2.0, 0.0], [0.0, 2.0]],  # mean 1
                          [[-1.0, -1.0], [-1.0, -1.0]]])  # mean -1
    # 1 * channel 0 - 1 * channel 1 = [[-3, 2], [3, 4]] -> ReLU -> [[0, 2], [3, 4]] -> / 4
    torch.testing.assert_close(gradcam(activation, grads), torch.tensor([[0.0, 0.5], [0.75, 1.0]]))


def test_a_map_with_no_positive_evidence_is_zero() -> None:
    activation = torch.rand(3, 2, 2, generator=torch.Generator().manual_seed(0))
    cam = gradcam(activation, -torch.ones(3, 2, 2))
    assert torch.equal(cam, torch.zeros(2, 2))


def test_token_gradcam_lays_patches_out_row_by_row_and_leaves_the_class_token_out() -> None:
    tokens = torch.tensor([[100.0, 0.0], [0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])  # CLS, then 4 patches
    grads = torch.tensor([[-50.0, 9.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    torch.testing.assert_close(token_gradcam(tokens, grads, 2), torch.tensor([[0.0, 1.0], [2.0, 3.0]]) / 3)


def manual_cnn_gradcam(pair, image01: torch.Tensor, target: int) -> torch.Tensor:
    """Grad-CAM on layer4 through a full differentiable forward, without forward_intermediates."""
    layer4 = pair.cnn.forward_features(image01[None])  # the served CNN normalises its [0, 1] input
    (grads,) = torch.autograd.grad(pair.cnn.forward_head(layer4)[0, target], layer4)
    cam = torch.relu((grads[0].mean((1, 2))[:, None, None] * layer4[0]).sum(0)).detach()
    return cam / cam.max() if cam.max() > 0 else cam


def test_cnn_gradcam_matches_a_manual_computation_for_every_class(tiny_pair, image01) -> None:
    cams = []
    for target in range(len(tiny_pair.labels)):
        result = cnn_pass(tiny_pair, image01, target)
        assert result.target == target
        torch.testing.assert_close(result.gradcam, manual_cnn_gradcam(tiny_pair, image01, target))
        cams.append(result.gradcam)
    assert any(not torch.allclose(cams[0], cam) for cam in cams[1:])


def manual_vit_gradcam(pair, image01: torch.Tensor, target: int) -> torch.Tensor:
    """Grad-CAM on the last block's ln_1 output, re-running the ViT block by block without hooks."""
    vit = pair.vit
    x = vit.process_input(vit.normalize(image01[None]))
    x = torch.cat([vit.class_token.expand(1, -1, -1), x], dim=1) + vit.encoder.pos_embedding
    for block in vit.encoder.layers[:-1]:
        x, _ = block(x)
    last = vit.encoder.layers[-1]
    normed = last.ln_1(x)
    attended, _ = last.self_attention(normed)
    x = x + attended
    x = x + last.mlp(last.ln_2(x))
    logits = vit.head(vit.encoder.ln(x)[:, 0])
    (grads,) = torch.autograd.grad(logits[0, target], normed)
    cam = torch.relu(normed[0, 1:].detach() @ grads[0, 1:].mean(0)).reshape(vit.grid_size, vit.grid_size)
    return cam / cam.max() if cam.max() > 0 else cam


def test_vit_gradcam_matches_a_manual_computation_for_every_class(tiny_pair, image01) -> None:
    cams = [vit_pass(tiny_pair, image01, target).gradcam for target in range(len(tiny_pair.labels))]
    for target, cam in enumerate(cams):
        torch.testing.assert_close(cam, manual_vit_gradcam(tiny_pair, image01, target))
    assert any(not torch.allclose(cams[0], cam) for cam in cams[1:])
