"""Figures of the Picasso photo test: the photo with its marked parts, and the six variants with both models' scores."""
from matplotlib.figure import Figure
from PIL import Image, ImageDraw

from figures.picasso import variants_over_bars
from figures.theme import MODELS
from images.part_scramble import Mark, square
from lab.picasso_photo import PhotoScores

MARK_COLOR = (255, 221, 0)  # yellow: seen on skin, fur and most backgrounds
MEASURE_NAMES = {"p_face": "P(face)", "p_clean_top1": "P(class predicted on the clean photo)"}


def marked_photo(image: Image.Image, marks: list[Mark]) -> Image.Image:
    """A copy of the photo with each mark's square outlined and labelled with its part."""
    picture = image.convert("RGB")
    draw = ImageDraw.Draw(picture)
    width = max(1, round(max(picture.size) / 250))
    for mark in marks:
        left, top, side = square(mark, *picture.size)
        draw.rectangle((left, top, left + side - 1, top + side - 1), outline=MARK_COLOR, width=width)
        label_box = draw.textbbox((left, top), mark.part)
        label_top = top - (label_box[3] - label_box[1]) - 3 if top > 14 else top + side + 1
        draw.rectangle((left, label_top, left + label_box[2] - label_box[0] + 3, label_top + label_box[3] -
                        label_box[1] + 2), fill=(0, 0, 0))
        draw.text((left + 1, label_top - (label_box[1] - top)), mark.part, fill=MARK_COLOR)
    return picture


def picasso_photo_figure(result: PhotoScores, images: list[Image.Image]) -> Figure:
    """Each variant above both models' bars: the measured class's probability (filled) and, where the class has a
    group, the group's summed probability (hollow, behind)."""
    variants = result.variants
    fig, axes = variants_over_bars(variants, images)
    for column, variant in enumerate(variants):
        bars = axes[1, column]
        for x, (key, name, color) in enumerate(MODELS):
            scores = getattr(variant, key)
            if scores.p_group is not None:
                bars.bar(x, scores.p_group, width=0.75, facecolor="none", edgecolor=color, hatch="//",
                         label="P(its group)" if column == 0 and x == 0 else None)
            bars.bar(x, scores.p_target, width=0.5, color=color)
            bars.text(x, scores.p_target + 0.03, f"{scores.p_target:.2f}", ha="center", fontsize=9)
        bars.set_xticks([0, 1], [f"{name}\n→ {getattr(variant, key).top1}" for key, name, _ in MODELS], fontsize=8)
        bars.set_ylim(0, 1.15)
        bars.set_yticks([0, 0.5, 1])
        if column:
            bars.set_yticklabels([])
    measure = MEASURE_NAMES.get(result.measure, result.measure)
    axes[1, 0].set_ylabel(measure.replace(" on", "\non"), fontsize=8)
    if any(getattr(variants[0], key).p_group is not None for key, _, _ in MODELS):
        axes[1, 0].legend(fontsize=7, loc="upper left")
    classes, groups = result.classes, result.groups
    named = ", ".join(f"{name}: {classes[key]}" + (f" (group: {groups[key]})" if groups[key] else "")
                      for key, name, _ in MODELS)
    fig.suptitle(f"Scrambled photo — filled bars {measure} ({named}); hatched bars: P summed over the class's "
                 f"WordNet group; under the bars, each model's top-1", fontsize=9)
    return fig
