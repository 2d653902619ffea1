"""Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
Localization", ICCV): where in an activation the evidence for one class lies.

Each channel of the activation is weighted by the mean, over its positions, of the gradient of the explained class's
logit; the map is the ReLU of the weighted sum of the channels, scaled to 0..1. For a ViT the channels are the token
features and the positions the patch tokens, the class token left out (pytorch-grad-cam's ViT recipe). The passes
(explain.passes) take the gradients: the CNN's at its last stage, the ViT's at its last block's ln_1 output.
"""
import torch

from explain.normalise import scale_to_unit


def gradcam(activation: torch.Tensor, grads: torch.Tensor) -> torch.Tensor:
    """Grad-CAM of a [C, h, w] activation from the class logit's gradient with respect to it: [h, w] in 0..1."""
    weights = grads.float().mean(dim=(1, 2))  # one weight per channel: [C]
    return scale_to_unit(torch.relu(torch.einsum("c,chw->hw", weights, activation.float())))


def token_gradcam(tokens: torch.Tensor, grads: torch.Tensor, grid: int) -> torch.Tensor:
    """Grad-CAM of a ViT's [N+1, D] tokens (token 0 the class token) from their gradient: [grid, grid] in 0..1."""
    def as_channels(x: torch.Tensor) -> torch.Tensor:
        return x[1:].T.reshape(-1, grid, grid)  # patch tokens: (N, D) -> (D, grid, grid)

    return gradcam(as_channels(tokens), as_channels(grads))
