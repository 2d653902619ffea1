"""Fixed 2D sin-cos position embeddings (Beyer et al. 2022, "Better plain ViT baselines"; MAE's
get_2d_sincos_pos_embed), written out by hand."""
import torch

TEMPERATURE = 10_000.0


def sincos_2d(grid_side: int, dim: int, temperature: float = TEMPERATURE) -> torch.Tensor:
    """[grid_side**2, dim] embeddings of a square patch grid, row-major (the order conv_proj's patches come in).

    A quarter of the channels each: sin and cos of the column, sin and cos of the row, at dim / 4 frequencies from
    1 down to 1 / temperature (big_vision's posemb_sincos_2d). Every row has norm sqrt(dim / 2).
    """
    if dim % 4:
        raise ValueError(f"dim {dim} must be a multiple of 4 for a 2D sin-cos embedding")
    quarter = dim // 4
    rows, columns = torch.meshgrid(torch.arange(grid_side), torch.arange(grid_side), indexing="ij")
    omega = temperature ** -(torch.arange(quarter, dtype=torch.float64) / max(quarter - 1, 1))  # [dim / 4]
    y = rows.flatten()[:, None] * omega[None]  # [grid_side², dim / 4]
    x = columns.flatten()[:, None] * omega[None]
    return torch.cat([x.sin(), x.cos(), y.sin(), y.cos()], dim=1).float()
