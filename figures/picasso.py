"""Figures of the Picasso faces: one face's variants with both models' scores, and the recognition rates over many
faces."""
from typing import Any

from matplotlib.figure import Figure
from PIL import Image

from lab.picasso import FaceRates, PicassoScores, Rates, VariantScores
from figures.theme import CNN_NAME, MODELS, VIT_NAME


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


def recognition_figure(rates: Rates, measure: str, count: int) -> Figure:
    """Per variant, the share of images each model still recognises, with Wilson 95% intervals."""
    names = list(rates)
    fig = Figure(figsize=(8, 3.8), layout="constrained")
    ax = fig.add_subplot()
    width = 0.38
    for offset, (key, name, color) in zip((-width / 2, width / 2), MODELS):
        shares = [rates[v][key] for v in names]
        p = [share.value for share in shares]
        err = [[share.value - share.low for share in shares], [share.high - share.value for share in shares]]
        ax.bar([i + offset for i in range(len(names))], p, width, yerr=err, color=color, label=name, capsize=3)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(measure)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="lower left")
    ax.set_title(f"Picasso faces: {count} toy faces, clean and scrambled (Wilson 95% intervals)")
    return fig
