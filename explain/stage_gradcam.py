"""Grad-CAM on any residual stage of the CNN, so its map can be compared with the ViT's on the same grid.

The app's CNN Grad-CAM (explain.passes) sits on the last stage: 4×4 on the toy pair, where the ViT's maps are 8×8.
Comparing maps on different grids favours the finer one, so the lab also computes Grad-CAM on the stage whose grid
is the ViT's patch grid (layer2 on the toy pair, layer3 on ResNet-50 at 224 px).
"""
import torch

from explain.capture import OutputCapture
from explain.normalise import scale_to_unit
from explain.passes import CNN_STAGES
from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import autocast

RESIDUAL_STAGES = CNN_STAGES[1:]
"""The stages that are modules of a timm ResNet (the stem is three)."""


def stage_grids(pair: Pair) -> dict[str, int]:
    """Each residual stage's grid side on the pair's input size."""
    device = module_device(pair.cnn)
    blank = torch.zeros(1, 3, pair.input_size, pair.input_size, device=device)
    with torch.inference_mode():
        outputs = pair.cnn.forward_intermediates(blank, indices=len(CNN_STAGES), intermediates_only=True)
    return {name: out.shape[-1] for name, out in zip(CNN_STAGES, outputs) if name in RESIDUAL_STAGES}


def matching_stage(pair: Pair) -> str | None:
    """The deepest residual stage whose grid is the ViT's patch grid, or None when no stage matches."""
    matches = [name for name, side in stage_grids(pair).items() if side == pair.vit.grid_size]
    return matches[-1] if matches else None


def stage_gradcam(pair: Pair, image01: torch.Tensor, stage: str, target: int | None = None) -> torch.Tensor:
    """Grad-CAM (0..1, on the stage's own grid) of a [3, S, S] image for `target` (default: the CNN's top-1)."""
    if stage not in RESIDUAL_STAGES:
        raise ValueError(f"stage must be one of {', '.join(RESIDUAL_STAGES)}, got {stage!r}")
    device = module_device(pair.cnn)
    with torch.inference_mode(False), torch.enable_grad():
        # Served parameters are frozen: an input that requires grad puts the stage's output on the graph.
        x = image01.detach().to(device).clone().unsqueeze(0).requires_grad_()
        with OutputCapture(getattr(pair.cnn.model, stage)) as captured, autocast(device):
            logits = pair.cnn(x)
        target = int(logits[0].argmax()) if target is None else target
        (grads,) = torch.autograd.grad(logits[0, target], captured.output)
    activation = captured.output[0].detach().float()
    weights = grads[0].float().mean(dim=(1, 2))  # one weight per channel: [C]
    return scale_to_unit(torch.relu(torch.einsum("c,chw->hw", weights, activation))).cpu()
