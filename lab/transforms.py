"""Deterministic perturbations of one preprocessed crop: rotate, translate, shuffle patches, drop patches.

Every function takes and returns a [3, S, S] float tensor in [0, 1]. Pixels that a transform uncovers (the
corners of a rotation, the edge left by a shift, a dropped patch) are filled with the image's own
per-channel mean, so the filler adds no new colour and carries no edge or texture the models could read.
"""
import torch
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as F


def fill_value(image: torch.Tensor) -> list[float]:
    """The per-channel mean of a [3, S, S] image, used wherever a transform uncovers pixels."""
    return image.mean(dim=(1, 2)).tolist()


def rotate(image: torch.Tensor, degrees: float) -> torch.Tensor:
    """Rotate counter-clockwise about the centre (bilinear, same size); 0 degrees returns the image unchanged."""
    return F.rotate(image, degrees, interpolation=InterpolationMode.BILINEAR, fill=fill_value(image))


def translate(image: torch.Tensor, fraction_x: float, fraction_y: float = 0.0) -> torch.Tensor:
    """Shift right/down by a fraction of the side, rounded to whole pixels (no resampling); 0 is the identity."""
    side = image.shape[-1]
    dx, dy = round(fraction_x * side), round(fraction_y * side)
    shifted = torch.tensor(fill_value(image), dtype=image.dtype).view(3, 1, 1).expand_as(image).clone()
    if abs(dx) >= side or abs(dy) >= side:
        return shifted
    shifted[:, max(dy, 0):side + min(dy, 0), max(dx, 0):side + min(dx, 0)] = \
        image[:, max(-dy, 0):side + min(-dy, 0), max(-dx, 0):side + min(-dx, 0)]
    return shifted


def _patches(image: torch.Tensor, grid: int) -> tuple[torch.Tensor, int]:
    """The top-left grid*p square cut into [grid*grid, 3, p, p] patches (row-major), and the patch side p."""
    patch = image.shape[-1] // grid
    if patch == 0:
        raise ValueError(f"grid {grid} is larger than the image side {image.shape[-1]}")
    area = image[:, :grid * patch, :grid * patch]
    # (3, g*p, g*p) -> (3, g, p, g, p) -> (g, g, 3, p, p) -> (g*g, 3, p, p)
    tiles = area.reshape(3, grid, patch, grid, patch).permute(1, 3, 0, 2, 4).reshape(grid * grid, 3, patch, patch)
    return tiles, patch


def _assemble(image: torch.Tensor, tiles: torch.Tensor, grid: int, patch: int) -> torch.Tensor:
    """A copy of the image whose top-left grid*p square is replaced by the row-major tiles."""
    out = image.clone()
    # (g*g, 3, p, p) -> (g, g, 3, p, p) -> (3, g, p, g, p) -> (3, g*p, g*p)
    out[:, :grid * patch, :grid * patch] = (tiles.reshape(grid, grid, 3, patch, patch).permute(2, 0, 3, 1, 4)
                                            .reshape(3, grid * patch, grid * patch))
    return out


def patch_shuffle(image: torch.Tensor, grid: int, seed: int) -> torch.Tensor:
    """Cut into grid x grid patches and permute them at random (never the identity order when grid > 1).

    When the side S is not divisible by grid, patches are S // grid wide and only the top-left
    grid * (S // grid) square is shuffled; the thin strip right and below it stays in place. So the
    multiset of pixel values is always kept, and grid 1 is the identity.
    """
    tiles, patch = _patches(image, grid)
    count = grid * grid
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(count, generator=generator)
    while count > 1 and torch.equal(order, torch.arange(count)):
        order = torch.randperm(count, generator=generator)
    return _assemble(image, tiles[order], grid, patch)


def patch_drop(image: torch.Tensor, fraction: float, seed: int, patch_size: int) -> torch.Tensor:
    """Fill exactly round(fraction * N) of the N patch_size x patch_size patches (chosen at random) with the mean.

    The patch grid is the ViT's: patches start at the top-left corner, and any strip beyond the last whole
    patch is never dropped.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must lie in [0, 1], got {fraction}")
    grid = image.shape[-1] // patch_size
    tiles, patch = _patches(image, grid)
    count = grid * grid
    dropped = torch.randperm(count, generator=torch.Generator().manual_seed(seed))[:round(fraction * count)]
    tiles = tiles.clone()
    tiles[dropped] = torch.tensor(fill_value(image), dtype=image.dtype).view(3, 1, 1)
    return _assemble(image, tiles, grid, patch)
