"""The class token's raw attention over patches, per layer and head."""
import torch


def cls_attention(maps: list[torch.Tensor], layer: int, head: int | None = None) -> torch.Tensor:
    """Attention of CLS to each patch at one layer, one head or the mean of heads (None): [grid, grid], raw weights."""
    attention = maps[layer]  # [heads, N+1, N+1]
    weights = attention[:, 0, 1:].mean(dim=0) if head is None else attention[head, 0, 1:]
    grid = int(round(weights.numel() ** 0.5))
    return weights.reshape(grid, grid)
