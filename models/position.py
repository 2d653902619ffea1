"""Fixed 2D sin-cos position embeddings (Vaswani et al. 2017's sinusoids along each axis of the patch grid, as in
MAE, He et al. 2022, and Beyer et al. 2022), written out for the seed's ViT."""
import torch


def sincos_1d(positions: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoids of `dim` (even) channels for each position: (n,) -> (n, dim), sines then cosines."""
    if dim % 2:
        raise ValueError(f"a sin-cos embedding needs an even width, not {dim}")
    frequencies = 1.0 / 10_000 ** (torch.arange(dim // 2, dtype=torch.float64) / (dim / 2))
    angles = positions.double()[:, None] * frequencies[None, :]  # (n, dim / 2)
    return torch.cat([angles.sin(), angles.cos()], dim=1).float()


def sincos_2d(grid_side: int, dim: int) -> torch.Tensor:
    """One embedding per patch of a grid_side × grid_side grid, row by row: (grid_side², dim), half of the channels
    encoding the row and half the column (dim a multiple of 4)."""
    if dim % 4:
        raise ValueError(f"a 2D sin-cos embedding needs a width that is a multiple of 4, not {dim}")
    rows, cols = torch.meshgrid(torch.arange(grid_side), torch.arange(grid_side), indexing="ij")
    return torch.cat([sincos_1d(rows.flatten(), dim // 2), sincos_1d(cols.flatten(), dim // 2)], dim=1)
