"""The most active channels of a CNN activation, and a tiled picture of them."""
import math

import numpy as np
import torch
from matplotlib import colormaps
from PIL import Image

SEPARATOR_PX = 2


def top_channels(activation: torch.Tensor, count: int = 16) -> torch.Tensor:
    """The `count` channels of a [C, h, w] activation with the highest mean activation, strongest first."""
    count = min(count, activation.shape[0])
    order = activation.mean(dim=(1, 2)).topk(count).indices
    return activation[order]


def feature_grid(activation: torch.Tensor, count: int = 16, tile_px: int = 64, cmap: str = "viridis") -> Image.Image:
    """A square-ish grid of the top channels, each scaled to its own range and enlarged by whole pixels."""
    channels = top_channels(activation.detach().cpu().float(), count)
    n, h, w = channels.shape
    low = channels.amin(dim=(1, 2), keepdim=True)
    span = channels.amax(dim=(1, 2), keepdim=True) - low
    tiles = torch.where(span > 0, (channels - low) / span.clamp_min(1e-12), torch.zeros_like(channels))
    scale = max(1, math.ceil(tile_px / max(h, w)))  # nearest upscaling by a whole factor keeps pixels square
    tiles = tiles.repeat_interleave(scale, dim=1).repeat_interleave(scale, dim=2)
    columns = math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    th, tw = h * scale, w * scale
    canvas = np.ones((rows * (th + SEPARATOR_PX) - SEPARATOR_PX, columns * (tw + SEPARATOR_PX) - SEPARATOR_PX, 3))
    colour = colormaps[cmap]
    for index, tile in enumerate(tiles.numpy()):
        top, left = divmod(index, columns)
        top, left = top * (th + SEPARATOR_PX), left * (tw + SEPARATOR_PX)
        canvas[top:top + th, left:left + tw] = colour(tile)[..., :3]
    return Image.fromarray((canvas * 255).round().astype(np.uint8))
