"""One forward per model and image, shared by every panel: probabilities, stage activations or attention maps,
and the class-specific maps for one class.

The CNN's Grad-CAM needs d(logit)/d(activation) only at the last stage, so autograd records just the head, and
another class reruns only the head. The ViT's Chefer map needs the gradient of every layer's attention map, so
its pass records the whole graph (the input requires grad; the served parameters stay frozen, see
models.pairs.load_pair) and one backward gives both its Grad-CAM (last block's ln_1) and Chefer's map.

Each model call runs on the model's device at the process's precision (runtime.precision.autocast), backward
passes included; what the passes return is float32 on the CPU.
"""
from dataclasses import dataclass

import torch

from explain.capture import OutputCapture
from explain.chefer import chefer_map
from explain.gradcam import gradcam, token_gradcam
from explain.normalise import scale_to_unit
from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import autocast

CNN_STAGES = ("stem", "layer1", "layer2", "layer3", "layer4")
"""Activations kept by cnn_pass: the stem (after conv1/bn1/act1, before the max-pool) and each residual stage."""


@dataclass(frozen=True)
class CnnPass:
    """What the CNN computed for one image, detached."""
    probs: torch.Tensor  # [classes]
    stages: dict[str, torch.Tensor]  # name -> [C, h, w]; layer4 is what cnn_gradcam needs for another class
    gradcam: torch.Tensor  # [h, w] of layer4, 0..1
    target: int


@dataclass(frozen=True)
class VitPass:
    """What the ViT computed for one image, detached."""
    probs: torch.Tensor  # [classes]
    maps: list[torch.Tensor]  # per layer [heads, N+1, N+1], token 0 is CLS
    gradcam: torch.Tensor  # [grid, grid], 0..1
    chefer: torch.Tensor  # [grid, grid], 0..1: Chefer et al. 2021, for the same target
    target: int


def cnn_pass(pair: Pair, image01: torch.Tensor, target: int | None = None) -> CnnPass:
    """Run the CNN once on a [3, S, S] image in [0, 1]; Grad-CAM on layer4 for `target` (default: top-1)."""
    device = module_device(pair.cnn)
    with torch.inference_mode(False):
        x = image01.to(device).unsqueeze(0)
        # The trunk needs no graph: Grad-CAM differentiates from layer4's output onwards only.
        with torch.inference_mode(), autocast(device):
            _, intermediates = pair.cnn.forward_intermediates(x, indices=len(CNN_STAGES))
        stages = {name: act[0].float().cpu() for name, act in zip(CNN_STAGES, intermediates)}
        stages["layer4"] = stages["layer4"].clone()  # a normal tensor, which autograd may use
        probs, cam, target = cnn_gradcam(pair, stages["layer4"], target)
    return CnnPass(probs=probs, stages=stages, gradcam=cam, target=target)


def cnn_gradcam(pair: Pair, layer4: torch.Tensor, target: int | None = None) -> tuple[torch.Tensor, torch.Tensor, int]:
    """(probabilities, Grad-CAM in 0..1, target) from the CNN's [C, h, w] last-stage activation: only the head runs
    (explain.gradcam)."""
    device = module_device(pair.cnn)
    with torch.inference_mode(False), torch.enable_grad():
        features = layer4.detach().to(device).unsqueeze(0).requires_grad_()
        with autocast(device):
            logits = pair.cnn.forward_head(features)  # global pool + fc
        target = _checked_target(logits, target)
        (grads,) = torch.autograd.grad(logits[0, target], features)
    return logits[0].detach().float().softmax(-1).cpu(), gradcam(features[0].detach(), grads[0]).cpu(), target


def vit_pass(pair: Pair, image01: torch.Tensor, target: int | None = None) -> VitPass:
    """Run the ViT once on a [3, S, S] image in [0, 1] with its maps; Grad-CAM on the last block's ln_1 output and
    Chefer et al.'s map, both from one backward of the target's logit."""
    vit = pair.vit
    device = module_device(vit)
    last = vit.encoder.layers[-1]
    with torch.inference_mode(False), torch.enable_grad():
        # Served parameters are frozen: an input that requires grad puts every attention map on the graph.
        x = image01.detach().to(device).clone().unsqueeze(0).requires_grad_()
        with OutputCapture(last.ln_1) as normed, autocast(device):
            logits, maps = vit(x, need_weights=True)
        target = _checked_target(logits, target)
        grads = torch.autograd.grad(logits[0, target], [normed.output, *maps])
    maps = [m[0].detach().float().cpu() for m in maps]
    return VitPass(
        probs=logits[0].detach().float().softmax(-1).cpu(),
        maps=maps,
        gradcam=token_gradcam(normed.output[0].detach(), grads[0][0], vit.grid_size).cpu(),
        chefer=scale_to_unit(chefer_map(maps, [g[0].float().cpu() for g in grads[1:]])),
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
