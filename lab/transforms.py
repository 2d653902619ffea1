"""Deterministic perturbations of one preprocessed crop: rotate, translate, shuffle patches, drop patches.

Every function takes and returns a [3, S, S] float tensor in [0, 1]. Pixels that a transform uncovers (the
corners of a rotation, the edge left by a shift, a dropped patch) are filled with the image's own
per-channel mean, so the filler adds no new colour and carries no edge or texture the models could read.
"""
import functools
import math
from collections.abc import Sequence

import torch
import torch.nn.functional as nnf


def fill_value(image: torch.Tensor) -> list[float]:
    """The per-channel mean of a [3, S, S] image, used wherever a transform uncovers pixels."""
    return image.mean(dim=(1, 2)).tolist()


def rotate(image: torch.Tensor, degrees: float) -> torch.Tensor:
    """Rotate counter-clockwise about the centre (bilinear, same size); 0 degrees returns the image unchanged."""
    return rotations(image, [degrees])[0]


def rotations(image: torch.Tensor, degrees: Sequence[float]) -> torch.Tensor:
    """The image rotated by each angle, as one [len(degrees), 3, S, S] batch, bit for bit what torchvision's
    `F.rotate(image, angle, BILINEAR, fill=fill_value(image))` gives for each (tested).

    Quarter turns are exact pixel moves, as in torchvision; every other angle is resampled in one `grid_sample`
    call for all of them, with a channel of ones that marks where the picture was, so uncovered corners blend into
    the fill exactly as torchvision's own fill does. One call instead of one per angle, since per-angle calls were a
    visible share of a toy sweep's time (BENCHMARKS.md, Notes, "B3 on the toy pair: what changed").
    """
    side_h, side_w = image.shape[-2:]
    out = torch.empty((len(degrees), *image.shape), dtype=image.dtype, device=image.device)
    resampled = []
    for index, angle in enumerate(degrees):
        turns = angle % 360
        if turns == 0:
            out[index] = image
        elif turns == 180 or (turns in (90, 270) and side_h == side_w):
            out[index] = torch.rot90(image, k=int(turns // 90), dims=(-2, -1))
        else:
            resampled.append((index, turns))
    if resampled:
        grids = _rotation_grids(tuple(turns for _, turns in resampled), side_w, side_h, image.dtype).to(image.device)
        marked = torch.cat([image, torch.ones_like(image[:1])])[None].expand(len(resampled), -1, -1, -1)
        sampled = nnf.grid_sample(marked, grids, mode="bilinear", padding_mode="zeros", align_corners=False)
        pixels, mask = sampled[:, :-1], sampled[:, -1:]
        fill = torch.tensor(fill_value(image), dtype=image.dtype, device=image.device).view(1, -1, 1, 1)
        out[[index for index, _ in resampled]] = pixels.sub_(fill).mul_(mask).add_(fill)
    return out


@functools.lru_cache(maxsize=4)
def _rotation_grids(degrees: tuple[float, ...], width: int, height: int, dtype: torch.dtype) -> torch.Tensor:
    """grid_sample's [len(degrees), H, W, 2] sampling grids for counter-clockwise rotations about the centre: each
    output pixel's centre mapped back to where it comes from in the input, in [-1, 1] units of width and height.

    Kept (on the CPU) for the last few angle sets and sizes, since a sweep asks for the same 20 again and again (8 MB
    at 224 pixels) and building them was most of the rotations' time (BENCHMARKS.md, Notes, "B3 on the toy pair").
    Read-only: callers must not write into them.
    """
    radians = [math.radians(angle) for angle in degrees]
    # output (x, y) about the centre, y pointing down -> input (cos x - sin y, sin x + cos y)
    theta = torch.tensor([[[math.cos(a), -math.sin(a), 0.0], [math.sin(a), math.cos(a), 0.0]] for a in radians],
                         dtype=dtype)
    base = torch.empty(1, height, width, 3, dtype=dtype)
    base[..., 0].copy_(torch.linspace((1.0 - width) * 0.5, (width - 1.0) * 0.5, steps=width))
    base[..., 1].copy_(torch.linspace((1.0 - height) * 0.5, (height - 1.0) * 0.5, steps=height).unsqueeze_(-1))
    base[..., 2].fill_(1)
    scaled = theta.transpose(1, 2).div_(torch.tensor([0.5 * width, 0.5 * height], dtype=dtype))
    points = base.view(1, height * width, 3).expand(len(degrees), -1, -1)
    return points.bmm(scaled).view(len(degrees), height, width, 2)


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
