"""Scaling of heat maps to 0..1 for display."""
import torch


def scale_to_unit(heat: torch.Tensor) -> torch.Tensor:
    """Divide a non-negative map by its maximum, so 0 keeps meaning "nothing"; an all-zero map stays zero."""
    peak = heat.max()
    return heat / peak if peak > 0 else torch.zeros_like(heat)
