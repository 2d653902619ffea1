"""Deletion and insertion (Petsiuk, Das & Saenko 2018, "RISE"): does the model's confidence follow the map?

The crop's pixels are ranked by the map's value (the map upsampled bilinearly to the crop; ties broken in a
fixed random order). Deletion replaces the top-ranked pixels by a blurred copy of the image, more at each step;
insertion starts from the blurred copy and puts the original pixels back in the same order. Each step moves
1/steps of the pixels, rounded to whole pixels; a step count that would move more than 5% of the pixels in one
step is refused (25 steps, the default, move 4% each). At every step the model's
probability of the explained class is recorded, all steps in one batched forward; the area under the curve over
the fraction of pixels (trapezoid rule, so in [0, 1]) scores the map: lower is better for deletion, higher for
insertion. A random map is the baseline every method must beat. The model runs at the process's precision
(runtime.precision), on the device the image is on.

The blur is RISE's Gaussian (σ = 5 px on a 224 px crop), scaled to the crop's size, so a 64 px toy crop is
blurred as much relative to its size.
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torchvision.transforms.v2 import functional as TF

from explain.resize import upsampled
from runtime.precision import autocast

STEPS = 25
"""Steps per curve by default: 4% of the pixels each."""
MAX_STEP_SHARE = 0.05
"""No step may move more than this share of the pixels."""
RISE_SIGMA, RISE_SIZE = 5.0, 224
"""RISE's blur: a Gaussian of this σ in pixels on a crop of this size."""
TIE_BREAK_SEED = 0

ModelFn = Callable[[torch.Tensor], torch.Tensor]
"""A batch [B, 3, H, W] of images in [0, 1] -> logits [B, classes]."""


@dataclass(frozen=True)
class Curve:
    """The model's probability of the explained class as pixels are removed (deletion) or revealed (insertion)."""
    fractions: np.ndarray  # [steps + 1] fraction of the pixels removed or revealed, 0 to 1
    probs: np.ndarray  # [steps + 1]
    auc: float


def blurred(image01: torch.Tensor) -> torch.Tensor:
    """The [3, H, W] image blurred as RISE blurs a 224 px crop, scaled to its size: what removed pixels show."""
    sigma = RISE_SIGMA * max(image01.shape[-2:]) / RISE_SIZE
    kernel = 2 * int(np.ceil(2 * sigma)) + 1
    return TF.gaussian_blur(image01, [kernel, kernel], [sigma, sigma])


def deletion_curve(model_fn: ModelFn, image01: torch.Tensor, saliency: torch.Tensor, target: int,
                   steps: int = STEPS) -> Curve:
    """Remove the [3, H, W] image's pixels, most salient first, into its blurred copy (lower AUC is better)."""
    return _curve(model_fn, image01, blurred(image01), saliency, target, steps)


def insertion_curve(model_fn: ModelFn, image01: torch.Tensor, saliency: torch.Tensor, target: int,
                    steps: int = STEPS) -> Curve:
    """Reveal the [3, H, W] image's pixels, most salient first, over its blurred copy (higher AUC is better)."""
    return _curve(model_fn, blurred(image01), image01, saliency, target, steps)


def random_saliency(shape: tuple[int, int], seed: int) -> torch.Tensor:
    """A uniformly random map of `shape`, the same for the same seed: the baseline."""
    return torch.rand(shape, generator=torch.Generator().manual_seed(seed))


def _pixel_order(saliency: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Flat pixel indices of an image of `size`, by the upsampled map's value, highest first."""
    values = upsampled(saliency, size).flatten().cpu()
    shuffled = torch.randperm(values.numel(), generator=torch.Generator().manual_seed(TIE_BREAK_SEED))
    return shuffled[torch.argsort(values[shuffled], descending=True, stable=True)]


def _curve(model_fn: ModelFn, start: torch.Tensor, end: torch.Tensor, saliency: torch.Tensor, target: int,
           steps: int) -> Curve:
    """Go from `start` to `end` pixel by pixel in the map's order; the target's probability at every step."""
    _, height, width = start.shape
    pixels = height * width
    counts = torch.round(torch.arange(steps + 1) * pixels / steps).long()  # pixels changed after each step
    if counts.diff().max() > MAX_STEP_SHARE * pixels:
        raise ValueError(f"{steps} steps move up to {int(counts.diff().max())} of {pixels} pixels at once: "
                         f"more than {MAX_STEP_SHARE:.0%}; use more steps")
    rank = torch.empty(pixels, dtype=torch.long)
    rank[_pixel_order(saliency, (height, width))] = torch.arange(pixels)
    changed = (rank[None, :] < counts[:, None]).reshape(steps + 1, 1, height, width).to(start.device)
    batch = torch.where(changed, end, start)  # [steps + 1, 3, H, W]
    with torch.no_grad(), autocast(batch.device):
        logits = model_fn(batch)
    probs = logits.float().softmax(dim=-1)[:, target].cpu().numpy()
    fractions = counts.numpy() / pixels
    auc = float(((probs[1:] + probs[:-1]) / 2 * np.diff(fractions)).sum())
    return Curve(fractions=fractions, probs=probs, auc=auc)
