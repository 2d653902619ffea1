"""Attention rollout (Abnar & Zuidema 2020), as popularised by jacobgil/vit-explain, with its slips fixed.

Per layer: fuse the heads (mean, max or min), zero the weakest `discard_ratio` of the attention to patch
tokens, add the identity for the residual path, renormalise every row to sum to 1, then multiply the layers
in order. The class token's row of the product, over patch tokens, is the map.

Choices, and where they differ from vit-explain:
- rows are divided by their own sums (vit-explain's `a / a.sum(dim=-1)` broadcast divides columns);
- the CLS column (attention *to* the class token) is never discarded; vit-explain meant to keep it but
  only protected the single entry CLS->CLS;
- the weakest `int(discard_ratio * (N+1) * N)` patch-key entries of the layer are zeroed (the whole matrix at
  once, as in vit-explain, not row by row); entries tied at the cut are kept, so the result does not depend
  on sort order (uniform attention is never pruned).
"""
import torch

from explain.normalise import scale_to_unit

HEAD_FUSIONS = {
    "mean": lambda heads: heads.mean(dim=0),
    "max": lambda heads: heads.amax(dim=0),
    "min": lambda heads: heads.amin(dim=0),
}


def residual_attention(attention: torch.Tensor, head_fusion: str = "mean", discard_ratio: float = 0.9) -> torch.Tensor:
    """One layer's [heads, N+1, N+1] attention fused, pruned, mixed with the identity; rows sum to 1."""
    return _residual_layers([attention], head_fusion, discard_ratio)[0]


def rollout_matrix(maps: list[torch.Tensor], head_fusion: str = "mean", discard_ratio: float = 0.9) -> torch.Tensor:
    """The product over layers (last on the left) of residual_attention: [N+1, N+1], rows sum to 1."""
    layers = _residual_layers(maps, head_fusion, discard_ratio)
    result = layers[0]
    for layer in layers[1:]:
        result = layer @ result
    return result


def _residual_layers(maps: list[torch.Tensor], head_fusion: str, discard_ratio: float) -> torch.Tensor:
    """residual_attention of every layer at once: [layers, N+1, N+1] (one selection for all thresholds)."""
    if head_fusion not in HEAD_FUSIONS:
        raise ValueError(f"head_fusion must be one of {', '.join(map(repr, HEAD_FUSIONS))}, not {head_fusion!r}")
    if not 0.0 <= discard_ratio < 1.0:
        raise ValueError(f"discard_ratio must be in [0, 1), not {discard_ratio}")
    fused = torch.stack([HEAD_FUSIONS[head_fusion](attention.float()) for attention in maps])  # [L, N+1, N+1]
    to_patches = fused[:, :, 1:]  # the CLS column is left alone
    count = int(to_patches[0].numel() * discard_ratio)
    if count > 0:
        # The weakest entry each layer keeps; entries below it are zeroed.
        threshold = to_patches.flatten(1).kthvalue(count + 1, dim=1).values[:, None, None]
        fused = torch.cat([fused[:, :, :1], to_patches.masked_fill(to_patches < threshold, 0.0)], dim=2)
    mixed = fused + torch.eye(fused.shape[-1], device=fused.device)
    return mixed / mixed.sum(dim=-1, keepdim=True)


def attention_rollout(maps: list[torch.Tensor], head_fusion: str = "mean", discard_ratio: float = 0.9) -> torch.Tensor:
    """Rollout of per-layer [heads, N+1, N+1] maps: the CLS row over patches as a [grid, grid] map scaled to 0..1."""
    cls_row = rollout_matrix(maps, head_fusion, discard_ratio)[0, 1:]
    grid = int(round(cls_row.numel() ** 0.5))
    return scale_to_unit(cls_row.reshape(grid, grid))
