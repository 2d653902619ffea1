"""Figures of the invariance sweeps: one image's sweep curves, its transformed images as a strip, and the
dataset-level sweeps with confidence bands."""
import torch
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image, ImageDraw, ImageFont

from explain.overlay import as_picture
from lab.dataset_sweeps import DatasetSweep
from lab.sweeps import SWEEPS, ImageSweep
from figures.theme import MODELS


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


def dataset_sweep_figure(sweep: DatasetSweep) -> Figure:
    """Mean score of the clean prediction (±95% CI) and top-1 agreement (Wilson 95% CI) along a sweep."""
    spec = SWEEPS[sweep.kind]
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    score_ax, agree_ax = fig.subplots(1, 2)
    for key, name, color in MODELS:
        curve = getattr(sweep, key)
        low = [s - c for s, c in zip(curve.score, curve.score_ci)]
        high = [s + c for s, c in zip(curve.score, curve.score_ci)]
        score_ax.plot(sweep.x, curve.score, "o-", color=color, label=name, markersize=4)
        score_ax.fill_between(sweep.x, low, high, color=color, alpha=0.2)
        agree_ax.plot(sweep.x, curve.agreement, "o-", color=color, label=name, markersize=4)
        agree_ax.fill_between(sweep.x, curve.agreement_low, curve.agreement_high, color=color, alpha=0.2)
    score_ax.set_ylabel("P(class predicted on the clean image)")
    agree_ax.set_ylabel("top-1 same as on the clean image")
    for ax in (score_ax, agree_ax):
        ax.set_xlabel(spec.axis)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"{sweep.kind}: {sweep.count} held-out images, mean with 95% interval")
    return fig
