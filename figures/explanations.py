"""Figures for the explanation panels, built with matplotlib's Figure API (no pyplot state in the server)."""
from collections.abc import Mapping, Sequence

import numpy as np
import torch
from matplotlib.figure import Figure

from explain.attention import cls_attention
from explain.normalise import scale_to_unit
from explain.overlay import overlay
from figures.theme import CNN_COLOR, CNN_NAME, MODELS, VIT_COLOR, VIT_NAME
from lab.statistics import mean_ci
from lab.verdicts import GLOBAL, LOCAL

GRID_WIDTH_IN = 9.0
GRID_HEIGHT_IN = 10.0
"""Largest the layer x head grid gets; panels shrink to fit many layers and heads."""
UNIFORM_DISTANCE = 0.5214
"""Mean distance between two points drawn uniformly in a unit square: how far a depth that looks everywhere alike
looks, as a share of the side."""


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


def looking_distance_figure(cnn: Mapping[str, np.ndarray], vit: Mapping[str, np.ndarray], image_size: int,
                            locations: int, attention: torch.Tensor, receptive_fields: Mapping[str, int]) -> Figure:
    """"How far does each look?": like with like, then two other quantities beside it.

    Left, the main panel: per depth, the effective mean distance of explain.effective_field (pixels, per CNN stage in
    `cnn` and per ViT block in `vit`, one value per image), as a share of the image side, mean with a 95% band over
    images. Right, lighter, not comparable with each other: the ViT's mean attention distance per head ([layers,
    heads] pixels, Dosovitskiy et al. 2020) and the CNN's theoretical receptive field per stage (pixels, a width).
    """
    fig = Figure(figsize=(10.0, 4.2), dpi=100, layout="constrained")
    main, extras = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    images = len(next(iter(cnn.values())))
    for (key, name, color), distances, marker in zip(MODELS, (cnn, vit), ("s", "o")):
        names = list(distances)
        depth = _relative_depth(len(names))
        shares = [mean_ci(list(np.asarray(distances[n], dtype=float) / image_size)) for n in names]
        means = np.array([mean for mean, _ in shares])
        main.plot(depth, means, color=color, linewidth=2, marker=marker, markersize=5,
                  label=f"{name}: effective distance, {'stage' if key == 'cnn' else 'block'} / {len(names)}")
        if images > 1:
            halves = np.array([half for _, half in shares])
            main.fill_between(depth, means - halves, means + halves, color=color, alpha=0.2, linewidth=0)
        if key == "cnn":
            for x, y, stage in zip(depth, means, names):
                main.annotate(stage, (x, y), textcoords="offset points", xytext=(-5, 5), ha="right", fontsize=7,
                              color=color)
    for level, words, style in ((LOCAL, "local below", "-"), (GLOBAL, "global from", "-"),
                                (UNIFORM_DISTANCE, "looking everywhere alike:", ":")):
        main.axhline(level, color="0.6", linestyle=style, linewidth=0.8)
        main.annotate(f"{words} {level:.0%}", (0.99, level), xycoords=("axes fraction", "data"), xytext=(0, 2),
                      textcoords="offset points", ha="right", fontsize=7, color="0.4")
    main.set_ylim(0, 1.3 * max(UNIFORM_DISTANCE, main.get_ylim()[1]))
    main.set_title("Like with like: effective receptive field (Luo et al. 2016)", fontsize=10)
    main.set_ylabel("mean distance looked at / image side")
    main.legend(fontsize=8, loc="upper left")

    side_shares = attention.detach().float().numpy() / image_size  # [layers, heads]
    layers, heads = side_shares.shape
    depth = _relative_depth(layers)
    extras.scatter(np.repeat(depth, heads), side_shares.flatten(), s=14, color=VIT_COLOR, alpha=0.3, linewidths=0,
                   label=f"{VIT_NAME}: mean attention distance, a dot per head")
    extras.plot(depth, side_shares.mean(axis=1), color=VIT_COLOR, alpha=0.6, linewidth=1.5, marker="o",
                markersize=4, label=f"{VIT_NAME}: mean attention distance, mean over heads")
    stages = list(receptive_fields)
    extras.plot(_relative_depth(len(stages)), [receptive_fields[s] / image_size for s in stages], color=CNN_COLOR,
                alpha=0.6, linewidth=1.5, linestyle="--", marker="s", markersize=4,
                label=f"{CNN_NAME}: theoretical receptive field (width)")
    extras.axhline(1.0, color="0.4", linestyle=":", linewidth=1, label=f"image side ({image_size} px)")
    extras.set_title("Extras, other quantities (not like with like)", fontsize=10)
    extras.set_ylabel("share of the image side")
    extras.legend(fontsize=7, loc="upper left")
    for ax in (main, extras):
        ax.set_xlim(0, 1.04)
        ax.set_xlabel("relative depth (stage i / stages, block j / blocks)")
        ax.grid(alpha=0.3)
    where = f"{locations} random location{'s' if locations != 1 else ''} per image"
    over = f"{images} images, 95% bands over images" if images > 1 else "this image"
    fig.suptitle("How far does each look?", fontsize=11)
    fig.supxlabel(f"Effective distance: at each depth, the gradient of an output location with respect to the input, "
                  f"as its mean distance from that location.\n{where}; {over}.", fontsize=8)
    return fig


def _relative_depth(depths: int) -> np.ndarray:
    """Depth i of n as i / n (1-based), so a model's first and last depths sit at 1/n and 1."""
    return np.arange(1, depths + 1) / depths
