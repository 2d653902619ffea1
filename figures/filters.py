"""What the weights learned, drawn (Dosovitskiy et al. 2020, Fig. 7): first-layer filters and position embeddings."""
import math

import numpy as np
import torch
from matplotlib.figure import Figure

from figures.theme import CNN_COLOR, CNN_NAME, VIT_COLOR, VIT_NAME
from lab.filters import Components

SIMILARITY_RANGE = (-1.0, 1.0)
"""The colour scale of the position-similarity maps: every cosine similarity, so grids compare at a glance."""


def rgb_tile(weights: torch.Tensor) -> np.ndarray:
    """[h, w, 3] in 0..1 from a [3, h, w] filter: centred on 0 (grey) and scaled by its largest magnitude."""
    peak = weights.abs().max()
    scaled = weights / peak if peak > 0 else weights
    return (0.5 + 0.5 * scaled).permute(1, 2, 0).clamp(0, 1).numpy()


def filters_figure(cnn_filters: torch.Tensor, vit_components: Components, cnn_layer: str = "first convolution",
                   columns: int = 7) -> Figure:
    """Left, the CNN's first-layer filters as RGB tiles; right, the top principal components of the ViT's
    patch-embedding filters, each with its share of the variance (Dosovitskiy et al. 2020, Fig. 7 left)."""
    banks = [(f"{CNN_NAME}: {cnn_layer}, {len(cnn_filters)} filters of {_size(cnn_filters)}", CNN_COLOR,
              list(cnn_filters[:columns * 4]), None),
             (f"{VIT_NAME}: patch embedding, top {len(vit_components.components)} principal components of "
              f"{_size(vit_components.components)}", VIT_COLOR, list(vit_components.components),
              vit_components.explained.tolist())]
    fig = Figure(figsize=(10.0, 4.4), dpi=100, layout="constrained")
    halves = fig.subfigures(1, 2, wspace=0.04)
    for half, (title, colour, tiles, explained) in zip(halves, banks):
        rows = max(1, math.ceil(len(tiles) / columns))
        axes = half.subplots(rows, columns, squeeze=False)
        for index, ax in enumerate(axes.flat):
            ax.set_axis_off()
            if index < len(tiles):
                ax.imshow(rgb_tile(tiles[index]), interpolation="nearest")
                if explained is not None:
                    ax.set_title(f"{explained[index]:.0%}", fontsize=7, pad=1)
        half.suptitle(title, fontsize=9, color=colour)
    return fig


def position_similarity_figure(similarity: torch.Tensor, title: str) -> Figure:
    """A grid of small maps (Dosovitskiy et al. 2020, Fig. 7 centre): at row i, column j, the cosine similarity of
    position (i, j)'s embedding with every position's, from a [side, side, side, side] similarity."""
    side = similarity.shape[0]
    panel_in = min(0.6, 8.0 / side)
    fig = Figure(figsize=(1.4 + panel_in * side, 0.6 + panel_in * side), dpi=100)
    axes = fig.subplots(side, side, squeeze=False,
                        gridspec_kw={"wspace": 0.06, "hspace": 0.06, "left": 0.02, "bottom": 0.02,
                                     "right": 1 - 1.3 / fig.get_figwidth(), "top": 1 - 0.5 / fig.get_figheight()})
    for i in range(side):
        for j in range(side):
            image = axes[i, j].imshow(similarity[i, j].numpy(), cmap="viridis", vmin=SIMILARITY_RANGE[0],
                                      vmax=SIMILARITY_RANGE[1], interpolation="nearest")
            axes[i, j].set_xticks([])
            axes[i, j].set_yticks([])
    colourbar = fig.add_axes((1 - 1.15 / fig.get_figwidth(), 0.1, 0.15 / fig.get_figwidth(), 0.75))
    fig.colorbar(image, cax=colourbar, label="cosine similarity")
    fig.suptitle(title, fontsize=10, y=1 - 0.1 / fig.get_figheight(), va="top")
    return fig


def _size(filters: torch.Tensor) -> str:
    return f"{filters.shape[-2]}×{filters.shape[-1]}"
