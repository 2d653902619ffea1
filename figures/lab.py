"""Figures of the invariance lab: sweep curves, image strips, Picasso faces, attention cost, parameter budgets."""
from typing import Any

import torch
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image, ImageDraw, ImageFont

from explain.overlay import as_picture
from lab.picasso import FaceRates, PicassoScores, VariantScores
from lab.sweeps import SWEEPS, ImageSweep
from lab.theory import swin_complexity
from figures.theme import CNN_NAME, MODELS, VIT_COLOR, VIT_NAME

MSA_COLOR = VIT_COLOR  # global attention is what the ViT does
WMSA_COLOR = "#1b9e77"  # green


def _human(n: float) -> str:
    """A count in a few characters: 780, 2.1k, 23.5M, 4.1G."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n:g}"


def sweep_figure(result: ImageSweep) -> Figure:
    """Score of each model's originally predicted class along a sweep; hollow markers where its top-1 changed."""
    spec = SWEEPS[result.kind]
    xs = result.x
    clean_at = xs.index(spec.identity)
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for key, name, color in MODELS:
        curve = getattr(result, key)
        clean_label = curve.top1[clean_at]
        ax.plot(xs, curve.score, color=color, linewidth=2, label=f"{name}: P({clean_label})")
        kept = [label == clean_label for label in curve.top1]
        ax.scatter([x for x, k in zip(xs, kept) if k], [s for s, k in zip(curve.score, kept) if k],
                   color=color, s=40, zorder=3)
        ax.scatter([x for x, k in zip(xs, kept) if not k], [s for s, k in zip(curve.score, kept) if not k],
                   facecolors="white", edgecolors=color, linewidths=1.5, s=40, zorder=3)
    markers = [Line2D([], [], marker="o", linestyle="", color="grey", label="top-1 unchanged"),
               Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="grey",
                      label="top-1 changed")]
    ax.legend(handles=ax.get_legend_handles_labels()[0] + markers, loc="best", fontsize=9)
    step = max(1, len(xs) // 12)
    ax.set_xticks(xs[::step], [spec.label(x) for x in xs[::step]])
    ax.set_xlabel(spec.axis)
    ax.set_ylabel("probability of the class\npredicted on the original")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(f"{result.kind.capitalize()} sweep: does each model keep its answer?")
    return fig


def strip_image(images: list[torch.Tensor], labels: list[str], tile: int = 128, columns: int = 12) -> Image.Image:
    """The images side by side as tile-pixel squares with a caption under each, wrapping after `columns`."""
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} images but {len(labels)} labels")
    # matplotlib's bundled DejaVu Sans has the °, × and − that Pillow's default font lacks
    font = ImageFont.truetype(font_manager.findfont("DejaVu Sans"), size=max(12, tile // 9))
    caption, gap = tile // 5, 4
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    strip = Image.new("RGB", (columns * (tile + gap) + gap, rows * (tile + caption + gap) + gap), "white")
    draw = ImageDraw.Draw(strip)
    for i, (image, label) in enumerate(zip(images, labels)):
        left = gap + (i % columns) * (tile + gap)
        top = gap + (i // columns) * (tile + caption + gap)
        strip.paste(as_picture(image, size=tile), (left, top))
        draw.text((left + tile / 2, top + tile + caption / 2), label, fill="black", font=font, anchor="mm")
    return strip


def variants_over_bars(variants: list[VariantScores], images: list[Image.Image]) -> tuple[Figure, Any]:
    """A figure with each variant's picture, titled with its name, above an empty axes for its bars: axes[1, i]."""
    fig = Figure(figsize=(2.3 * len(variants), 5), layout="constrained")
    axes = fig.subplots(2, len(variants), height_ratios=(1.2, 1), squeeze=False)
    for picture, variant, image in zip(axes[0], variants, images):
        picture.imshow(image)
        picture.set_title(variant.name)
        picture.axis("off")
    return fig, axes


def picasso_figure(result: PicassoScores, images: list[Image.Image], rates: FaceRates | None = None) -> Figure:
    """Each Picasso variant above a pair of bars: the CNN's and the ViT's probability of the measured class (and,
    hatched, of "jumbled face" when the pair knows it: the arrangement pair); with the findings report's `rates`,
    each variant's share of the report's held-out faces called a face, with its 95% interval, as a diamond."""
    variants = result.variants
    is_face = result.measure == "p_face"
    fig, axes = variants_over_bars(variants, images)
    for column, variant in enumerate(variants):
        bars = axes[1, column]
        scores = [getattr(variant, key).p_target for key, _, _ in MODELS]
        jumbled = [getattr(variant, key).p_jumbled for key, _, _ in MODELS]
        shift = -0.12 if jumbled[0] is not None else 0.0  # room for the arrangement pair's P(jumbled face)
        bars.bar([shift, 1 + shift], scores, color=[color for _, _, color in MODELS], width=0.6 + 2 * shift)
        for x, score in enumerate(scores):
            bars.text(x + shift, score + 0.03, f"{score:.2f}", ha="center", fontsize=9)
        if jumbled[0] is not None:
            for x, (score, (_, _, color)) in enumerate(zip(jumbled, MODELS)):
                bars.bar(x + 0.2, score, width=0.24, fill=False, hatch="//", edgecolor=color,
                         label="P(jumbled face)" if column == 0 and x == 0 else None)
                bars.text(x + 0.2, score + 0.03, f"{score:.2f}", ha="center", fontsize=7)
        over_faces = rates.variants.get(variant.name) if rates else None
        if over_faces:
            for x, (key, _, _) in enumerate(MODELS):
                rate = over_faces[key]
                bars.errorbar(x + 0.33, rate.value, yerr=[[rate.value - rate.low], [rate.high - rate.value]],
                              fmt="D", color="black", markersize=5, capsize=2,
                              label=f"share of {rates.faces} held-out faces called a face"
                              if column == 0 and x == 0 else None)
        bars.set_xticks([0, 1], [f"{name}\n→ {getattr(variant, key).top1}" for key, name, _ in MODELS], fontsize=8)
        bars.set_ylim(0, 1.15)
        bars.set_yticks([0, 0.5, 1])
        if column:
            bars.set_yticklabels([])
    axes[1, 0].set_ylabel("P(face)" if is_face else "P(class predicted\non the clean face)")
    measured = ("P(face)" if is_face else
                f"no face class: P of each model's clean top-1 "
                f"({CNN_NAME}: {result.classes['cnn']}, {VIT_NAME}: {result.classes['vit']})")
    if rates or variants[0].cnn.p_jumbled is not None:
        axes[1, 0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"Scrambled faces — {measured}; under the bars, each model's top-1")
    return fig


def complexity_figure(C: int, M: int, sizes: list[int], timings: list[dict] | None = None) -> Figure:
    """Ω(MSA) and Ω(W-MSA) against image size in patches (h = w); measured timings in a second panel if given."""
    fig = Figure(figsize=(11 if timings else 6, 4.2), layout="constrained")
    axes = fig.subplots(1, 2 if timings else 1, squeeze=False)[0]
    costs = [swin_complexity(side, side, C, M) for side in sizes]
    ax = axes[0]
    ax.plot(sizes, [c["msa"] for c in costs], "o-", color=MSA_COLOR, label="MSA: 4hwC² + 2(hw)²C")
    ax.plot(sizes, [c["wmsa"] for c in costs], "s-", color=WMSA_COLOR, label="W-MSA: 4hwC² + 2M²hwC")
    ax.set_ylabel("Ω (multiply-adds)")
    ax.set_title(f"Swin Eq. 1–2: quadratic vs linear in hw (C = {C}, M = {M})")
    if timings:
        ax = axes[1]
        ax.plot(sizes, [t["global_ms"] for t in timings], "o-", color=MSA_COLOR, label="global attention")
        ax.plot(sizes, [t["windowed_ms"] for t in timings], "s-", color=WMSA_COLOR,
                label=f"windowed attention ({M}×{M})")
        ax.set_ylabel("median time on this machine (ms)")
        ax.set_title("Measured (scaled_dot_product_attention, CPU)")
    for ax in axes:
        ax.set_yscale("log")
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [f"{side}×{side}\n({side * side} tokens)" for side in sizes], fontsize=8)
        ax.minorticks_off()
        ax.set_xlabel("image size in patches (h = w)")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=9)
    return fig


def parameter_figure(cnn_breakdown: dict[str, int], vit_breakdown: dict[str, int],
                     quantity: str = "parameters") -> Figure:
    """Grouped horizontal bars per category (CNN vs ViT), e.g. of parameter_breakdown or flop_breakdown."""
    categories = list(dict.fromkeys([*cnn_breakdown, *vit_breakdown]))
    fig = Figure(figsize=(8, 0.55 * len(categories) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    height = 0.38
    largest = max([*cnn_breakdown.values(), *vit_breakdown.values(), 1])
    for offset, (breakdown, (_, name, color)) in zip((-height / 2, height / 2),
                                                      zip((cnn_breakdown, vit_breakdown), MODELS)):
        values = [breakdown.get(category, 0) for category in categories]
        rows = [i + offset for i in range(len(categories))]
        ax.barh(rows, values, height=height, color=color,
                label=f"{name} (total {_human(sum(breakdown.values()))})")
        for row, value in zip(rows, values):
            ax.text(value + largest * 0.01, row, _human(value), va="center", fontsize=8)
    ax.set_yticks(range(len(categories)), categories)
    ax.invert_yaxis()
    ax.set_xlim(0, largest * 1.15)
    ax.xaxis.set_major_formatter(lambda value, _: _human(value))
    ax.set_xlabel(quantity)
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    ax.set_title(f"Where the {quantity} are")
    return fig
