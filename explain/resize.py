"""Heat maps at an image's resolution: bilinear, as the overlays draw them."""
import torch
import torch.nn.functional as F


def upsampled(heat: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """A [h, w] map resized to `size` (H, W) by bilinear interpolation, as float32."""
    heat = heat.detach().float()
    if tuple(heat.shape) == tuple(size):
        return heat
    return F.interpolate(heat[None, None], size=size, mode="bilinear", align_corners=False)[0, 0]
