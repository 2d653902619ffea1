"""One forward per model and image, shared by every panel: probabilities, stage activations or attention maps,
and Grad-CAM for one class.

Grad-CAM needs d(logit)/d(activation) only at the last stage (CNN) or the last block's first LayerNorm (ViT),
so each backward walks just the head and at most one block; nothing upstream is differentiated.
"""
from dataclasses import dataclass

import torch

from explain.capture import OutputCapture
from explain.normalise import scale_to_unit
from models.pairs import Pair

CNN_STAGES = ("stem", "layer1", "layer2", "layer3", "layer4")
"""Activations kept by cnn_pass: the stem (after conv1/bn1/act1, before the max-pool) and each residual stage."""


@dataclass(frozen=True)
class CnnPass:
    """What the CNN computed for one image, detached."""
    probs: torch.Tensor  # [classes]
    stages: dict[str, torch.Tensor]  # name -> [C, h, w]
    gradcam: torch.Tensor  # [h, w] of layer4, 0..1
    target: int


@dataclass(frozen=True)
class VitPass:
    """What the ViT computed for one image, detached."""
    probs: torch.Tensor  # [classes]
    maps: list[torch.Tensor]  # per layer [heads, N+1, N+1], token 0 is CLS
    gradcam: torch.Tensor  # [grid, grid], 0..1
    target: int


def cnn_pass(pair: Pair, image01: torch.Tensor, target: int | None = None) -> CnnPass:
    """Run the CNN once on a [3, S, S] image in [0, 1]; Grad-CAM on layer4 for `target` (default: top-1)."""
    cnn = pair.cnn
    with torch.inference_mode(False):
        x = pair.cnn_normalize(image01.clone()).unsqueeze(0)
        # The trunk needs no graph: Grad-CAM differentiates from layer4's output onwards only.
        with torch.no_grad():
            _, intermediates = cnn.forward_intermediates(x, indices=len(CNN_STAGES))
        with torch.enable_grad():
            layer4 = intermediates[-1].clone().requires_grad_()
            logits = cnn.forward_head(layer4)  # global pool + fc
            target = _checked_target(logits, target)
            (grads,) = torch.autograd.grad(logits[0, target], layer4)
        weights = grads[0].mean(dim=(1, 2))  # one weight per channel: [C]
        cam = torch.relu(torch.einsum("c,chw->hw", weights, layer4[0].detach()))
        return CnnPass(
            probs=logits[0].detach().softmax(-1),
            stages={name: act[0] for name, act in zip(CNN_STAGES, intermediates)},
            gradcam=scale_to_unit(cam),
            target=target,
        )


def vit_pass(pair: Pair, image01: torch.Tensor, target: int | None = None) -> VitPass:
    """Run the ViT once on a [3, S, S] image in [0, 1] with its maps; Grad-CAM on the last block's ln_1 output."""
    # pytorch-grad-cam's ViT recipe: channel weights are the gradients averaged over patch tokens.
    vit = pair.vit
    with torch.inference_mode(False), torch.enable_grad():
        x = pair.vit_normalize(image01.clone()).unsqueeze(0)
        with OutputCapture(vit.encoder.layers[-1].ln_1) as captured:
            logits, maps = vit(x, need_weights=True)
        target = _checked_target(logits, target)
        (grads,) = torch.autograd.grad(logits[0, target], captured.output)
    tokens = captured.output[0, 1:].detach()  # patch tokens: [N, D]
    weights = grads[0, 1:].mean(dim=0)  # mean over patch tokens per channel: [D]
    cam = torch.relu(tokens @ weights)  # [N]
    grid = vit.grid_size
    return VitPass(
        probs=logits[0].detach().softmax(-1),
        maps=[m[0].detach() for m in maps],
        gradcam=scale_to_unit(cam.reshape(grid, grid)),
        target=target,
    )


def _checked_target(logits: torch.Tensor, target: int | None) -> int:
    """The requested class index, or the top-1 class; refuses an index outside the classifier."""
    classes = logits.shape[-1]
    if target is None:
        return int(logits[0].argmax())
    if not 0 <= target < classes:
        raise ValueError(f"target class {target} is outside 0..{classes - 1}")
    return int(target)
