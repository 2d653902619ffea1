"""Swin measured and drawn: cost against tokens (C11), the W-MSA and SW-MSA windows on an image, one window's attention,
and the traced reach of a token after several blocks beside the ViT's (C12)."""
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from figures.reach import SHIFTED_COLOR
from figures.theme import CNN_COLOR, MSA_COLOR, WMSA_COLOR
from lab.attention_cost import AttentionCost
from lab.reach import window_labels
from lab.statistics import Interval
from lab.swin_view import REACH_BLOCKS, SwinWindowAttention
from lab.window_crossing import WindowCrossing
from lab.window_reach import PATCH, WindowReach

COST_STYLE = {"DeiT-S": (MSA_COLOR, "o"), "Swin-T": (WMSA_COLOR, "s"), "ResNet-50": (CNN_COLOR, "^")}
"""(colour, marker) of each model: global attention's orange, windowed attention's green, the CNN's blue."""


def _fitted_line(ax, pixels: list[int], values: tuple[float, ...], exponent: Interval, color: str,
                 label: str) -> None:
    """The least-squares power law through (pixels, values), drawn across the measured range (tokens grow as the
    pixels, so the exponent is the same in either)."""
    x = np.array(pixels, dtype=float)
    logs = np.log(np.array(values, dtype=float))
    intercept = np.mean(logs) - exponent.value * np.mean(np.log(x))
    ax.plot(x, np.exp(intercept) * x ** exponent.value, color=color, linewidth=1.2, alpha=0.8,
            label=f"{label}: tokens^{exponent.value:.2f} [{exponent.low:.2f}, {exponent.high:.2f}]")


def cost_figure(result: AttentionCost) -> Figure:
    """FLOPs (counted) and median time per image against the image's pixels, log-log: measured points, fitted lines, and the Ω
    prediction of the attention layers (2 × Ω) beside their counted FLOPs."""
    fig = Figure(figsize=(12, 6.4), layout="constrained")
    flops_ax, time_ax = fig.subplots(1, 2)
    pixels = [side * side for side in result.resolutions]  # one x for every model: tokens ∝ pixels in all three
    for cost in result.models:
        color, marker = COST_STYLE[cost.name]
        flops_ax.plot(pixels, cost.flops, marker, color=color, linestyle="none")
        _fitted_line(flops_ax, pixels, cost.flops, cost.flops_exponent, color, f"{cost.name}, all")
        if cost.predicted_attention_flops is not None:
            flops_ax.plot(pixels, cost.attention_flops, marker, color=color, markerfacecolor="white",
                          linestyle="none")
            flops_ax.plot(pixels, cost.predicted_attention_flops, color=color, linestyle="--", linewidth=1,
                          label=f"{cost.name}, attention: 2Ω predicts tokens^{cost.predicted_exponent.value:.2f}, "
                                f"counted {cost.attention_exponent.value:.2f}")
            flops_ax.plot(pixels, cost.mixing_flops, marker, color=color, markerfacecolor="white",
                          markersize=4, linestyle="none")
            flops_ax.plot(pixels, cost.predicted_mixing_flops, color=color, linestyle=":", linewidth=1,
                          label=f"{cost.name}, mixing (QKᵀ, AV): predicted "
                                f"tokens^{cost.predicted_mixing_exponent.value:.2f}, counted "
                                f"{cost.mixing_exponent.value:.2f}")
        time_ax.plot(pixels, cost.milliseconds, marker, color=color, linestyle="none")
        _fitted_line(time_ax, pixels, cost.milliseconds, cost.time_exponent, color, cost.name)
    flops_ax.set_ylabel("FLOPs per image (counted)")
    flops_ax.set_title("FLOPs: filled all layers, hollow attention layers (small: their mixing);\n"
                       "dashed 2Ω, dotted 2 × Ω's mixing term (the prediction)", fontsize=9)
    time_ax.set_ylabel("median ms per image")
    time_ax.set_title(f"Wall time: median of {result.repeats}, models alternating, {result.threads} threads",
                      fontsize=10)
    for ax in (flops_ax, time_ax):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("pixels per image (side²); exponents are in tokens, which grow as the pixels in every model",
                      fontsize=8)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    sides = ", ".join(f"{side}" for side in result.resolutions)
    fig.suptitle(f"C11 measured: cost against resolution ({sides} px), random weights", fontsize=11)
    return fig


def window_edges(side: int, window: int, shifted: bool) -> list[int]:
    """Token indices where a window starts along one axis (0 left out); Swin drops the shift when one window fills
    the grid."""
    if side <= window:
        return []
    along = window_labels(side, window, shifted)[0]
    return [i for i in range(1, side) if along[i] != along[i - 1]]


def _wrapped_strips(ax, side: int, window: int, token: int) -> None:
    """Hatch the edge strips that the cyclic shift puts into one window with the opposite edge's strip."""
    shift, size = window // 2, side * token
    near, far = shift * token, (window - shift) * token  # top/left strip, bottom/right strip, in pixels
    for x, y, width, height in ((0, 0, size, near), (0, size - far, size, far), (0, 0, near, size),
                                (size - far, 0, far, size)):
        ax.add_patch(Rectangle((x, y), width, height, fill=False, hatch="//", edgecolor=SHIFTED_COLOR, linewidth=0,
                               alpha=0.6))


def windows_figure(image: Image.Image, stage: int = 1, image_size: int = 224, window: int = 7,
                   token: tuple[int, int] | None = None) -> Figure:
    """The image with Swin's W-MSA windows (left) and the shifted SW-MSA windows (right) outlined at one stage, the
    shifted windows that wrap around the edge hatched; `token` (a stage-1 patch, row and column) marked if given."""
    if stage not in (1, 2, 3, 4):
        raise ValueError(f"Swin-T has stages 1 to 4, not {stage}")
    token_px = PATCH * 2 ** (stage - 1)  # pixels per token side at this stage
    side = -(-image_size // token_px)
    pixels = np.asarray(image.convert("RGB").resize((image_size, image_size)))
    fig = Figure(figsize=(9, 4.8), layout="constrained")
    for ax, shifted, color, name in zip(fig.subplots(1, 2), (False, True), (WMSA_COLOR, SHIFTED_COLOR),
                                        ("W-MSA", "SW-MSA")):
        ax.imshow(pixels, extent=(0, image_size, image_size, 0))
        edges = window_edges(side, window, shifted)
        for edge in edges:
            ax.axvline(edge * token_px, color=color, linewidth=2)
            ax.axhline(edge * token_px, color=color, linewidth=2)
        if shifted and edges:
            _wrapped_strips(ax, side, window, token_px)
        if token is not None:
            ax.plot((token[1] + 0.5) * PATCH, (token[0] + 0.5) * PATCH, marker="x", color="red", markersize=8, mew=2)
        ax.set_xlim(0, image_size)
        ax.set_ylim(image_size, 0)
        ax.set_xticks([])
        ax.set_yticks([])
        shift = (f"\ndisplaced by {window // 2} tokens ({window // 2 * token_px} px); hatched: windows the cyclic\n"
                 "shift wraps (each edge strip with the opposite one, masked apart)"
                 if shifted and edges else "\nno shift: one window fills the grid" if shifted else "\n")
        ax.set_title(f"{name}: {window}×{window} tokens of {token_px} px{shift}", fontsize=9)
    fig.suptitle(f"Stage {stage} of Swin-T: {side}×{side} tokens", fontsize=11)
    return fig


def window_attention_figure(result: SwinWindowAttention, crop: Image.Image) -> Figure:
    """One query token's attention over its window's keys: laid over the 224 px crop (left; the window's pieces
    outlined, a wrapped window in two or four), and as the window's grid of probabilities in timm's order (right)."""
    size, px = result.side * result.token_pixels, result.token_pixels
    fig = Figure(figsize=(10, 4.8), layout="constrained")
    image_ax, grid_ax = fig.subplots(1, 2)
    heat = result.heat()
    inside = np.zeros((result.side, result.side), dtype=bool)
    for row, column in result.keys:
        inside[row, column] = True
    image_ax.imshow(np.asarray(crop.convert("RGB").resize((size, size))), extent=(0, size, size, 0))
    image_ax.imshow(np.zeros((result.side, result.side)), extent=(0, size, size, 0), cmap="Greys_r",
                    alpha=np.where(inside, 0.0, 0.55))  # dim what the query cannot see
    image_ax.imshow(np.ma.masked_where(~inside, heat), extent=(0, size, size, 0), cmap="inferno", alpha=0.6,
                    vmin=0, vmax=max(heat.max(), 1e-12))
    color = SHIFTED_COLOR if result.shift else WMSA_COLOR
    for rows in _runs(sorted({r for r, _ in result.keys})):
        for columns in _runs(sorted({c for _, c in result.keys})):
            image_ax.add_patch(Rectangle((columns[0] * px, rows[0] * px), len(columns) * px, len(rows) * px,
                                         fill=False, edgecolor=color, linewidth=2))
    image_ax.plot((result.query[1] + 0.5) * px, (result.query[0] + 0.5) * px, marker="x", color="red",
                  markersize=8, mew=2)
    image_ax.set_xlim(0, size)
    image_ax.set_ylim(size, 0)
    image_ax.set_xticks([])
    image_ax.set_yticks([])
    where = ("a shifted window that wraps around the image's edge" if result.wrapped else
             "a shifted window" if result.shift else "a regular window")
    image_ax.set_title(f"{result.kind}: {where}\n(timm's window {result.window_index}; red ×: the query)", fontsize=9)
    probabilities = result.probabilities.reshape(result.window, result.window)
    shown = grid_ax.imshow(probabilities, cmap="inferno", vmin=0)
    place = result.keys.index(result.query)
    grid_ax.add_patch(Rectangle((place % result.window - 0.5, place // result.window - 0.5), 1, 1, fill=False,
                                edgecolor="red", linewidth=2))
    for index in np.flatnonzero(result.masked):
        grid_ax.text(index % result.window, index // result.window, "×", ha="center", va="center", color="white",
                     fontsize=8)
    grid_ax.set_xticks([])
    grid_ax.set_yticks([])
    grid_ax.set_title(f"Its {result.window}×{result.window} keys in timm's order\n(red: the query"
                      + ("; ×: masked, weight ≈ e^−100)" if result.masked.any() else ")"), fontsize=9)
    fig.colorbar(shown, ax=grid_ax, shrink=0.8, label="attention probability")
    weights = result.weights["source"] + (f", seed {result.weights['seed']}" if result.weights["seed"] is not None
                                          else "")
    fig.suptitle(f"Swin-T stage {result.stage}, block {result.block}, head {result.head} of {result.heads}: the "
                 f"attention of token {result.query} ({px} px tokens) over its window\nweights: {weights}",
                 fontsize=10)
    return fig


def _runs(values: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted integers: [52, 53, 0, 1] sorted -> [[0, 1], [52, 53]]."""
    runs: list[list[int]] = []
    for value in values:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    return runs


def reach_maps_figure(result: WindowReach, blocks: tuple[int, ...] = REACH_BLOCKS) -> Figure:
    """The traced reach of one token after each of `blocks` Swin blocks (filled), the idealised count's outline, and
    beside them the ViT's after one block, all over the same image."""
    missing = [b for b in blocks if b not in result.blocks]
    if missing:
        raise ValueError(f"the result holds blocks {result.blocks}, not {missing}")
    size = result.image_size
    fig = Figure(figsize=(3.2 * (len(blocks) + 1), 3.6), layout="constrained")
    axes = fig.subplots(1, len(blocks) + 1)
    token_px = ((result.token[1] + 0.5) * PATCH, (result.token[0] + 0.5) * PATCH)
    counts = result.counts
    for ax, depth in zip(axes, blocks):
        i = result.blocks.index(depth)
        ax.imshow(result.traced[i], extent=(0, size, size, 0), cmap="Greens", vmin=0, vmax=1.4)
        centres = (np.arange(result.side) + 0.5) * PATCH
        ax.contour(centres, centres, result.predicted[i].astype(float), levels=[0.5], colors="black", linewidths=0.8)
        for edge in range(result.window * PATCH, size, result.window * PATCH):
            ax.axvline(edge, color="grey", linewidth=0.4)
            ax.axhline(edge, color="grey", linewidth=0.4)
        ax.set_title(f"Swin-T after {depth} block{'s' if depth > 1 else ''}: {counts['traced'][i]:,} patches\n"
                     f"(predicted {counts['predicted'][i]:,})", fontsize=9)
    vit_ax = axes[-1]
    vit_ax.imshow(result.vit_traced, extent=(0, size, size, 0), cmap="Oranges", vmin=0, vmax=1.4)
    vit_ax.set_title(f"ViT after 1 block: {int(result.vit_traced.sum()):,} of {result.vit_traced.size:,} patches\n"
                     "(global)", fontsize=9)
    for ax in axes:
        ax.plot(*token_px, marker="x", color="red", markersize=8, mew=2)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"C12 traced: which input patches the token at patch {result.token} depends on (gradient above "
                 f"{result.tolerance:g} of the largest; grey: stage-1 windows; black: lab.reach's prediction)",
                 fontsize=9)
    return fig


def crossing_figure(result: WindowCrossing) -> Figure:
    """Every traced stage-1 token coloured by how many of the patches it depends on lie outside its W-MSA window,
    after the W-MSA block (left) and the SW-MSA block (right); a cross where the traced reach differs from lab.reach's
    prediction."""
    side = result.side
    fig = Figure(figsize=(9, 4.6), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, block, name in zip(axes, (1, 2), ("W-MSA", "SW-MSA")):
        outside = np.full((side, side), np.nan)
        for t in result.tokens:
            outside[t.token] = t.outside[block - 1]
        image = ax.imshow(outside, cmap="Purples", vmin=0, vmax=max(1, np.nanmax(outside)), interpolation="nearest")
        differ = [t.token for t in result.tokens if not t.identical[block - 1]]
        if differ:
            rows, columns = zip(*differ)
            ax.plot(columns, rows, "x", color="red", markersize=4)
        for edge in range(result.window, side, result.window):
            ax.axvline(edge - 0.5, color="grey", linewidth=0.5)
            ax.axhline(edge - 0.5, color="grey", linewidth=0.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"after block {block} ({name}): {result.crossed(block):,} of {len(result.tokens):,} tokens\n"
                     f"reach outside their window (predicted {result.predicted_crossed(block):,});\n"
                     f"traced ≠ predicted (red ×): {len(differ)}", fontsize=9)
        fig.colorbar(image, ax=ax, shrink=0.8, label="patches reached outside the token's window")
    fig.suptitle(f"C12 traced on every stage-1 token of Swin-T at {result.image_size} px (grey: W-MSA windows)",
                 fontsize=10)
    return fig
