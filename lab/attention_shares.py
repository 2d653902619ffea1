"""C2: where each model's evidence falls on held-out toy images (the object, the border band), and whether the ViT's
attention depends on the image.

For each of the first `count` images of the toy world's test split, drawn with toyworld.render_with_masks:
- the ViT's class-token attention in the last layer (mean of heads) and its attention rollout, and the CNN's
  Grad-CAM for its top-1 class, each as the app draws it (upsampled bilinearly to the image); the CNN's Grad-CAM
  both on its last stage (the app's, on a coarser grid) and on the stage whose grid is the ViT's patch grid
  (explain.stage_gradcam), so that the verdict compares maps of the same resolution;
- each map's share of mass on the object's mask and on the border band (the outer BORDER_FRACTION of the side on
  every edge: 8 px of 64, the ViT's outer ring of patches), against the share of the image each covers;
- content dependence: per position of a map's own grid, the coefficient of variation across images of the map's
  share there (each map normalised to sum 1), averaged over positions. Fixed filters weigh every position alike
  whatever the image shows, which is 0 by construction; the CNN's Grad-CAM is reported beside it, as what those
  fixed filters end up responding to.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from explain.attention import cls_attention
from explain.localisation import mass_share
from explain.passes import cnn_pass
from explain.stage_gradcam import matching_stage, stage_gradcam
from explain.rollout import attention_rollout
from lab.statistics import mean_interval
from lab.verdicts import RegionShares
from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import autocast
from toyworld import render_with_masks
from toyworld.splits import sample

SPLIT = "test"
BORDER_FRACTION = 1 / 8
"""The border band: pixels within this fraction of the side from any edge."""
SAME_GRID = "CNN Grad-CAM, ViT's grid"
MAPS = ("ViT last layer", "ViT rollout", "CNN Grad-CAM", SAME_GRID)
"""The maps measured, in report order; SAME_GRID only where a CNN stage has the ViT's grid."""
BATCH = 32
"""Images per ViT forward."""

Progress = Callable[[int, int], None]
"""Called with (images done, images in all)."""


@dataclass(frozen=True)
class AttentionShares:
    """Per map of MAPS, its shares on the object and the border band, and its content variation, over `count`
    images."""
    count: int
    border_fraction: float
    shares: dict[str, RegionShares]
    content_variation: dict[str, float]
    grids: dict[str, int]  # per map, the side of the grid it is computed on before upsampling
    same_grid_stage: str | None = None  # the CNN stage SAME_GRID is computed on


def border_mask(side: int, fraction: float = BORDER_FRACTION) -> np.ndarray:
    """[side, side] bool: the pixels within round(fraction × side) of an edge."""
    band = round(fraction * side)
    mask = np.ones((side, side), dtype=bool)
    mask[band:side - band, band:side - band] = False
    return mask


def region_shares(maps: Sequence[torch.Tensor], objects: Sequence[np.ndarray], border: np.ndarray) -> RegionShares:
    """Each map's mass on its image's object mask and on the border band (maps upsampled bilinearly to the masks),
    as intervals over images; all-zero maps are left out of the shares, not of the area."""
    inside, on_border, areas = [], [], []
    for heat, obj in zip(maps, objects, strict=True):
        share = mass_share(heat, obj)
        areas.append(share.area)
        if np.isfinite(share.inside):
            inside.append(share.inside)
            on_border.append(mass_share(heat, border).inside)
    if not inside:
        raise ValueError("every map is all zero: no mass to place")
    return RegionShares(object=mean_interval(inside), border=mean_interval(on_border),
                        object_area=float(np.mean(areas)), border_area=float(border.mean()))


def content_variation(maps: Sequence[torch.Tensor]) -> float:
    """Mean over grid positions of the coefficient of variation across images of the map's share at that position
    (each map normalised to sum 1; all-zero maps left out). 0 when every image gets the same map."""
    rows = [m.detach().double().flatten() for m in maps]
    shares = torch.stack([row / row.sum() for row in rows if row.sum() > 0])
    if len(shares) < 2:
        raise ValueError("content variation needs at least two maps with mass")
    mean, std = shares.mean(0), shares.std(0)
    return float((std[mean > 0] / mean[mean > 0]).mean())


def measure_attention_shares(pair: Pair, count: int, progress: Progress | None = None) -> AttentionShares:
    """C2's measurement on the first `count` toy test images (the pair's crop must be the whole toy image)."""
    images, objects = [], []
    for index in range(count):
        image, masks = render_with_masks(*sample(SPLIT, index))
        image01 = pair.transform(image)
        if tuple(image01.shape[-2:]) != masks["object"].shape:
            raise ValueError(f"pair {pair.name!r} does not see the whole toy image, so the masks would not fit")
        images.append(image01)
        objects.append(masks["object"])
    stage = matching_stage(pair)
    names = MAPS if stage else MAPS[:-1]
    maps: dict[str, list[torch.Tensor]] = {name: [] for name in names}
    device = module_device(pair.vit)
    for start in range(0, count, BATCH):
        batch = torch.stack(images[start:start + BATCH])
        with torch.inference_mode(), autocast(device):
            _, attention = pair.vit(batch.to(device), need_weights=True)
        attention = [layer.float().cpu() for layer in attention]  # per layer [images, heads, N+1, N+1]
        for i in range(len(batch)):
            per_image = [layer[i] for layer in attention]
            maps["ViT last layer"].append(cls_attention(per_image, -1))
            maps["ViT rollout"].append(attention_rollout(per_image))
            cnn = cnn_pass(pair, batch[i])
            maps["CNN Grad-CAM"].append(cnn.gradcam)
            if stage:
                maps[SAME_GRID].append(stage_gradcam(pair, batch[i], stage, cnn.target))
            if progress is not None:
                progress(start + i + 1, count)
    border = border_mask(objects[0].shape[0])
    return AttentionShares(count=count, border_fraction=BORDER_FRACTION,
                           shares={name: region_shares(maps[name], objects, border) for name in names},
                           content_variation={name: content_variation(maps[name]) for name in names},
                           grids={name: maps[name][0].shape[-1] for name in names}, same_grid_stage=stage)
