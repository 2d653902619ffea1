"""A heat map drawn over its image, at a size people can see."""
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib import colormaps
from PIL import Image

DISPLAY_PX = 320


def overlay(image: torch.Tensor | Image.Image, heat: torch.Tensor, alpha: float = 0.5, cmap: str = "inferno",
            size: int = DISPLAY_PX) -> Image.Image:
    """Blend a [h, w] heat map in 0..1 (clipped) over the square image it was computed on, `size` px square."""
    picture = _as_pil(image)
    # Enlarge with nearest neighbours, so a 64 px toy image shows its real pixels; shrink with antialiasing.
    resample = Image.Resampling.NEAREST if size >= 2 * max(picture.size) else Image.Resampling.LANCZOS
    base = np.asarray(picture.resize((size, size), resample), dtype=np.float32) / 255.0
    heat = heat.detach().cpu().float().clamp(0.0, 1.0)[None, None]
    heat = F.interpolate(heat, size=(size, size), mode="bilinear", align_corners=False)[0, 0].clamp(0.0, 1.0)
    colour = colormaps[cmap](heat.numpy())[..., :3]
    blended = (1.0 - alpha) * base + alpha * colour
    return Image.fromarray((blended * 255).round().astype(np.uint8))


def _as_pil(image: torch.Tensor | Image.Image) -> Image.Image:
    """An RGB PIL image from a PIL image or a [3, H, W] tensor in [0, 1]."""
    if isinstance(image, Image.Image):
        return image.convert("RGB")
    array = image.detach().cpu().float().clamp(0.0, 1.0).permute(1, 2, 0).numpy()
    return Image.fromarray((array * 255).round().astype(np.uint8))
