"""How far each depth looks, measured the same way for a CNN and a ViT: the effective receptive field of Luo et al.
2016 ("Understanding the Effective Receptive Field in Deep Convolutional Neural Networks"), as a mean distance.

For one location at one depth (a cell of a CNN stage's output, or a patch token of a ViT block's output): the
gradient of r·output(location) with respect to the input image, r a random ±1 vector over the output's channels;
its magnitude summed over the input's colour channels, normalised to sum 1 over the input pixels, says where the
location's value comes from, and its mean distance in pixels from the location's centre is the location's
interaction distance. A location of an h×w output on an H×W input stands for an (H/h)×(W/w) cell of pixels and
its centre is that cell's centre (for a ViT token, its patch's centre).

Why random signs rather than Luo et al.'s gradient of 1 on every channel: that measures the channels' sum, a
direction every LayerNorm of the ViT removes before it is used; with random signs E|r·J| grows with the norm of
the Jacobian over the channels, and no direction of either model's features is privileged.

Locations: per image, `locations` distinct pixels drawn at random (all pixels if there are fewer), shared by
every depth and, for the same seed and image size, by both models; at each depth the location is the output cell
that covers the pixel. So depths (and models) are compared at the same places, and a stride-1 output over every
pixel is averaged over all its locations. A location whose gradient is zero everywhere (every channel inactive)
is left out. Each image is one batched forward, then one backward per depth: the image is repeated once per
location, each copy differentiates its own location's output only, so summing them gives every copy's gradient at
once, and the graph of the forward serves every depth.
"""
from collections.abc import Callable
from contextlib import ExitStack

import numpy as np
import torch
from torch import nn

from explain.capture import OutputCapture
from explain.passes import CNN_STAGES
from models.vit import ViT
from runtime.device import module_device
from runtime.precision import autocast

OutputsAt = Callable[[torch.Tensor], list[torch.Tensor]]
"""batch [B, 3, H, W] in [0, 1] -> every depth's output [B, C, h, w], from one forward."""


def effective_distances(outputs_at: OutputsAt, depths: int, images01: torch.Tensor, locations: int = 8,
                        seed: int = 0) -> np.ndarray:
    """[depths, images] mean interaction distance in input pixels of [n, 3, H, W] images in [0, 1]."""
    pixel_draw, sign_draw = torch.Generator().manual_seed(seed), torch.Generator().manual_seed(seed + 1)
    height, width = images01.shape[-2:]
    distances = np.empty((depths, len(images01)))
    with torch.inference_mode(False), torch.enable_grad(), autocast(images01.device):
        for index, image in enumerate(images01):
            pixels = torch.randperm(height * width, generator=pixel_draw)[:locations]
            probe = image.detach().expand(len(pixels), -1, -1, -1).clone().requires_grad_()
            outputs = outputs_at(probe)
            if len(outputs) != depths:
                raise ValueError(f"{len(outputs)} outputs for {depths} depths")
            for depth, output in enumerate(outputs):
                distances[depth, index] = _distance(output, probe, pixels, sign_draw, keep=depth < depths - 1)
    return distances


def cnn_effective_distances(cnn: nn.Module, images01: torch.Tensor, locations: int = 8,
                            seed: int = 0) -> dict[str, np.ndarray]:
    """Per stage of explain.passes.CNN_STAGES, each image's mean interaction distance (pixels) of a timm CNN."""
    def outputs_at(batch: torch.Tensor) -> list[torch.Tensor]:
        return cnn.forward_intermediates(batch, indices=len(CNN_STAGES), intermediates_only=True)

    images01 = images01.to(module_device(cnn))
    return dict(zip(CNN_STAGES, effective_distances(outputs_at, len(CNN_STAGES), images01, locations, seed)))


def vit_effective_distances(vit: ViT, images01: torch.Tensor, locations: int = 8,
                            seed: int = 0) -> dict[str, np.ndarray]:
    """Per block ("block1", ...), each image's mean interaction distance (pixels) of the ViT's patch tokens."""
    blocks = vit.encoder.layers

    def outputs_at(batch: torch.Tensor) -> list[torch.Tensor]:
        with ExitStack() as stack:
            captures = [stack.enter_context(OutputCapture(block)) for block in blocks]
            vit(batch)
        tokens = [capture.output[0][:, 1:] for capture in captures]  # blocks return (tokens, maps); patches: [B, N, D]
        return [t.transpose(1, 2).reshape(len(batch), -1, vit.grid_size, vit.grid_size) for t in tokens]  # [B, D, g, g]

    distances = effective_distances(outputs_at, len(blocks), images01.to(module_device(vit)), locations, seed)
    return {f"block{depth + 1}": row for depth, row in enumerate(distances)}


def _distance(output: torch.Tensor, probe: torch.Tensor, pixels: torch.Tensor, sign_draw: torch.Generator,
              keep: bool) -> float:
    """One image's mean interaction distance at one depth ([count, C, h, w] output of the [count, 3, H, W] probe),
    over the locations covering the given flat pixels; `keep` keeps the graph for the next depth."""
    _, _, height, width = probe.shape
    count = len(pixels)
    _, channels, rows, cols = output.shape
    row, col = (pixels // width) * rows // height, (pixels % width) * cols // width  # the covering cells
    signs = torch.randint(0, 2, (count, channels), generator=sign_draw).float() * 2 - 1
    picked = output[torch.arange(count), :, row.to(output.device), col.to(output.device)]  # copy k's location k
    (grad,) = torch.autograd.grad((picked * signs.to(picked.device)).sum(), probe, retain_graph=keep)
    weight = grad.abs().sum(dim=1).cpu()  # [count, H, W]
    total = weight.sum(dim=(1, 2))
    centre_y = (row.float() + 0.5) * height / rows - 0.5
    centre_x = (col.float() + 0.5) * width / cols - 0.5
    y = torch.arange(height, dtype=torch.float32)[None, :, None]
    x = torch.arange(width, dtype=torch.float32)[None, None, :]
    distance = torch.sqrt((y - centre_y[:, None, None]) ** 2 + (x - centre_x[:, None, None]) ** 2)
    mean = (weight * distance).sum(dim=(1, 2)) / total
    return float(mean[total > 0].mean())
