"""Does a map point at the object? Pointing game (Zhang et al. 2016) and the share of the map's mass on it.

Both take the object's mask at the crop's resolution (H, W), e.g. toyworld.render_with_masks's "object" mask when
the crop is the whole toy image, and a non-negative map at its own resolution, which they upsample to the mask's.
"""
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from explain.resize import upsampled


@dataclass(frozen=True)
class MassShare:
    """The share of the map's mass on the object, against the share of the crop's area the object covers."""
    inside: float
    area: float


def pointing_game(saliency: torch.Tensor, mask: np.ndarray) -> bool:
    """A hit if the map's maximum lies on the object dilated by one pixel (3x3), the map upsampled bilinearly to
    the mask's resolution as the overlays draw it (the crop's, where /maps gives every map).

    When several pixels share the maximum, all of them must lie there, so a flat map only hits an object (dilated)
    that covers the whole crop.
    """
    heat = upsampled(saliency, mask.shape)
    pixels = torch.as_tensor(np.ascontiguousarray(mask), dtype=torch.float32)[None, None]
    dilated = F.max_pool2d(pixels, kernel_size=3, stride=1, padding=1)[0, 0] > 0
    return bool(dilated[heat == heat.max()].all())


def mass_share(saliency: torch.Tensor, mask: np.ndarray) -> MassShare:
    """The map's mass on the object (map upsampled bilinearly to the mask, negative values clipped) and its area."""
    heat = upsampled(saliency, mask.shape).clamp_min(0).cpu().numpy()
    total = heat.sum()
    inside = float(heat[mask].sum() / total) if total > 0 else float("nan")
    return MassShare(inside=inside, area=float(mask.mean()))
