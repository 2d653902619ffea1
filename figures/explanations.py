"""Figures for the explanation panels, built with matplotlib's Figure API (no pyplot state in the server)."""
from collections.abc import Sequence

import numpy as np
import torch
from matplotlib.figure import Figure

from explain.attention import cls_attention
from explain.normalise import scale_to_unit
from explain.overlay import overlay
from figures.theme import CNN_COLOR, CNN_NAME, VIT_COLOR, VIT_NAME

GRID_WIDTH_IN = 9.0
GRID_HEIGHT_IN = 10.0
"""Largest the layer x head grid gets; panels shrink to fit many layers and heads."""


def attention_grid_figure(maps: list[torch.Tensor], image01: torch.Tensor, layers: Sequence[int] | None = None,
                          heads: Sequence[int] | None = None) -> Figure:
    """A layer x head grid of the class token's attention over patches, overlaid on the image."""
    layers = list(range(len(maps))) if layers is None else list(layers)
    heads = list(range(maps[0].shape[0])) if heads is None else list(heads)
    panel_in = min(1.4, GRID_WIDTH_IN / len(heads), GRID_HEIGHT_IN / len(layers))
    fig = Figure(figsize=(0.5 + panel_in * len(heads), 0.7 + panel_in * len(layers)), dpi=100)
    axes = fig.subplots(len(layers), len(heads), squeeze=False,
                        gridspec_kw={"wspace": 0.04, "hspace": 0.04, "left": 0.4 / fig.get_figwidth(),
                                     "right": 0.99, "bottom": 0.02, "top": 1 - 0.6 / fig.get_figheight()})
    panel_px = int(panel_in * fig.dpi)
    for row, layer in enumerate(layers):
        for column, head in enumerate(heads):
            ax = axes[row, column]
            heat = scale_to_unit(cls_attention(maps, layer, head))
            ax.imshow(np.asarray(overlay(image01, heat, size=panel_px)))
            ax.set_xticks([])
            ax.set_yticks([])
            if column == 0:
                ax.set_ylabel(f"layer {layer + 1}", fontsize=9)
            if row == 0:
                ax.set_title(f"head {head + 1}", fontsize=9)
    fig.suptitle(f"{VIT_NAME}: where the class token attends (each panel scaled to its own maximum)",
                 fontsize=10, y=1 - 0.12 / fig.get_figheight(), va="top")
    return fig


def looking_distance_figure(distances: torch.Tensor, receptive_fields: dict[str, int], image_size: int) -> Figure:
    """"How far does each look": ViT mean attention distance per head and layer against the CNN's receptive field."""
    fig = Figure(figsize=(6.4, 4.0), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    num_layers, num_heads = distances.shape
    depth = np.arange(1, num_layers + 1) / num_layers
    values = distances.detach().float().numpy()
    ax.scatter(np.repeat(depth, num_heads), values.flatten(), s=16, color=VIT_COLOR, alpha=0.45, linewidths=0,
               label=f"{VIT_NAME}: mean attention distance, one dot per head")
    ax.plot(depth, values.mean(axis=1), color=VIT_COLOR, linewidth=2, marker="o", markersize=4,
            label=f"{VIT_NAME}: mean over heads")
    names = list(receptive_fields)
    stage_depth = np.arange(1, len(names) + 1) / len(names)
    sizes = [receptive_fields[name] for name in names]
    ax.plot(stage_depth, sizes, color=CNN_COLOR, linewidth=2, marker="s", markersize=5,
            label=f"{CNN_NAME}: theoretical receptive field (width)")
    for x, y, name in zip(stage_depth, sizes, names):
        ax.annotate(name, (x, y), textcoords="offset points", xytext=(-4, 6), ha="right", fontsize=8, color=CNN_COLOR)
    ax.axhline(image_size, color="0.4", linestyle="--", linewidth=1, label=f"image size ({image_size} px)")
    ax.set_xlim(0, 1.04)
    ax.set_ylim(0, 1.08 * max(image_size, max(sizes), float(values.max())))
    ax.set_xlabel("depth (layer / number of layers, stage / number of stages)")
    ax.set_ylabel("pixels")
    ax.set_title("How far does each look?")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return fig
