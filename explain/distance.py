"""Mean attention distance per head (Dosovitskiy et al. 2020, Fig. 7): how far in pixels each head looks."""
import torch


def mean_attention_distance(maps: list[torch.Tensor], patch_size: int) -> torch.Tensor:
    """[layers, heads] pixels: per query patch, the attention-weighted distance to the key patches, averaged."""
    # The class token has no position: it is neither query nor key, and each query's weights are renormalised
    # over the patch keys.
    tokens = maps[0].shape[-1] - 1
    grid = int(round(tokens ** 0.5))
    rows, cols = torch.meshgrid(torch.arange(grid), torch.arange(grid), indexing="ij")
    centres = torch.stack([rows.flatten(), cols.flatten()], dim=-1).float() * patch_size  # [N, 2]
    distances = torch.cdist(centres, centres).to(maps[0].device)  # [N, N] pixels between patch centres
    result = []
    for attention in maps:
        patches = attention[:, 1:, 1:].float()  # [heads, N, N]
        patches = patches / patches.sum(dim=-1, keepdim=True).clamp_min(1e-12)
        result.append((patches * distances).sum(dim=-1).mean(dim=-1))  # [heads]
    return torch.stack(result)
