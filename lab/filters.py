"""What the weights learned, as numbers to draw and to judge (Dosovitskiy et al. 2020, Fig. 7; C4).

- The CNN's first-layer filters and the ViT's patch-embedding filters (its first layer is a convolution too), and
  the principal components of the latter.
- The cosine similarity of each patch position's embedding with every other's, for a learned embedding (the class
  token's position left out) or a fixed 2D sin-cos one (models.position).
- How much spatial structure a bank of filters has: per filter, the correlation of horizontally and vertically
  adjacent weights (each colour channel centred), against the same weights with their positions shuffled. Smooth
  blobs, edges and oriented gratings score well above the shuffled weights; noise does not.
"""
from dataclasses import dataclass

import torch
from torch import nn

from lab.statistics import Interval, mean_ci
from models.pairs import Pair
from models.vit import ViT

SHUFFLES = 50
"""Spatial shuffles per filter for the baseline of neighbour_correlation."""
TOP_COMPONENTS = 28
"""Principal components drawn, as in Dosovitskiy et al. 2020, Fig. 7 (left)."""


def first_conv(cnn: nn.Module) -> nn.Conv2d:
    """The CNN's first convolution: the first Conv2d that takes the image's three channels."""
    for module in cnn.modules():
        if isinstance(module, nn.Conv2d) and module.in_channels == 3:
            return module
    raise ValueError(f"{type(cnn).__name__} has no convolution on 3 input channels")


def cnn_filters(cnn: nn.Module) -> torch.Tensor:
    """[filters, 3, k, k]: the CNN's first-layer filters, float32 on the CPU."""
    return first_conv(cnn).weight.detach().float().cpu()


def patch_filters(vit: ViT) -> torch.Tensor:
    """[d_model, 3, p, p]: the ViT's patch-embedding filters (conv_proj), float32 on the CPU."""
    return vit.conv_proj.weight.detach().float().cpu()


@dataclass(frozen=True)
class Components:
    """Principal components of a filter bank: [k, 3, h, w], orthonormal as vectors, and each one's share of the
    variance across filters."""
    components: torch.Tensor
    explained: torch.Tensor  # [k], each a share of the total variance, largest first


def principal_components(filters: torch.Tensor, count: int = TOP_COMPONENTS) -> Components:
    """The top `count` principal components of a [F, 3, h, w] filter bank (filters centred on their mean)."""
    flat = filters.flatten(1).double()
    centred = flat - flat.mean(0)
    _, singular, vh = torch.linalg.svd(centred, full_matrices=False)
    variance = singular ** 2
    count = min(count, len(variance))
    return Components(components=vh[:count].float().reshape(count, *filters.shape[1:]),
                      explained=(variance[:count] / variance.sum()).float())


def learned_positions(vit: ViT) -> torch.Tensor:
    """[N, d_model]: the ViT's learned position embedding of each patch, without the class token's."""
    return vit.encoder.pos_embedding.detach().float().cpu()[0, 1:]


def position_similarity(embeddings: torch.Tensor) -> torch.Tensor:
    """[side, side, side, side]: the cosine similarity of position (i, j)'s embedding with position (k, l)'s, from
    [side², d] embeddings in row-major order."""
    side = round(len(embeddings) ** 0.5)
    if side * side != len(embeddings):
        raise ValueError(f"{len(embeddings)} positions do not form a square grid")
    unit = nn.functional.normalize(embeddings.double(), dim=1)
    return (unit @ unit.T).float().reshape(side, side, side, side)


def neighbour_correlation(filters: torch.Tensor) -> torch.Tensor:
    """[F]: per filter of a [F, C, h, w] bank, the correlation between horizontally and vertically adjacent weights,
    each channel centred on its own mean (1: smooth; about -1 / (h·w - 1) for weights in random places)."""
    centred = filters.double() - filters.double().mean(dim=(2, 3), keepdim=True)
    first = torch.cat([centred[..., :, :-1].flatten(1), centred[..., :-1, :].flatten(1)], dim=1)
    second = torch.cat([centred[..., :, 1:].flatten(1), centred[..., 1:, :].flatten(1)], dim=1)
    norm = (first.pow(2).sum(1) * second.pow(2).sum(1)).sqrt()
    return ((first * second).sum(1) / norm.clamp_min(1e-30)).float()


def shuffled_correlation(filters: torch.Tensor, shuffles: int = SHUFFLES, seed: int = 0) -> torch.Tensor:
    """[F]: per filter, the mean neighbour_correlation of its weights with their positions shuffled (the same
    permutation for every channel of a filter, so its colours stay together), over `shuffles` shuffles."""
    generator = torch.Generator().manual_seed(seed)
    flat = filters.flatten(2)  # [F, C, h·w]
    total = torch.zeros(len(filters), dtype=torch.float64)
    for _ in range(shuffles):
        order = torch.argsort(torch.rand(len(filters), flat.shape[-1], generator=generator), dim=1)
        moved = flat.gather(2, order[:, None, :].expand_as(flat)).reshape(filters.shape)
        total += neighbour_correlation(moved).double()
    return (total / shuffles).float()


@dataclass(frozen=True)
class FilterStructure:
    """A filter bank's neighbour correlation and its shuffled baseline, each a mean over filters with its 95%
    interval; the bank's shape; the share of variance in its top principal components."""
    layer: str
    count: int
    size: tuple[int, int]
    correlation: Interval
    shuffled: Interval
    top8_variance: float

    def structured(self) -> bool:
        """The filters are clearly smoother than the same weights in random places (intervals apart)."""
        return self.correlation.low > self.shuffled.high


def filter_structure(filters: torch.Tensor, layer: str) -> FilterStructure:
    """The structure of a [F, 3, h, w] bank, measured as FilterStructure describes."""
    return FilterStructure(layer=layer, count=len(filters), size=tuple(filters.shape[-2:]),
                           correlation=_interval(neighbour_correlation(filters)),
                           shuffled=_interval(shuffled_correlation(filters)),
                           top8_variance=float(principal_components(filters, 8).explained.sum()))


def first_layers(pair: Pair) -> dict[str, FilterStructure]:
    """{"cnn": its first-layer filters' structure, "vit": its patch-embedding filters'}."""
    return {"cnn": filter_structure(cnn_filters(pair.cnn.model), "first convolution"),
            "vit": filter_structure(patch_filters(pair.vit), "patch embedding (conv_proj)")}


def _interval(values: torch.Tensor) -> Interval:
    mean, half = mean_ci(values.tolist())
    return Interval(mean, mean - half, mean + half)
