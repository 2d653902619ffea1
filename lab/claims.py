"""The homework's claims, each with the measurement that tests it and a verdict computed from the numbers."""
import math
from dataclasses import dataclass

import numpy as np
import torch

from explain.analysis import effective_locations
from explain.distance import mean_attention_distance
from explain.effective_field import cnn_effective_distances, vit_effective_distances
from explain.receptive_field import cnn_receptive_fields
from lab.dataset_sweeps import DatasetSweep
from lab.picasso import FACE, VARIANTS, measured_class, picasso_variants, variant_probabilities
from lab.statistics import mean_ci, wilson
from lab.theory import parameter_breakdown, swin_complexity, time_attention
from lab.verdicts import c3_local_vs_global
from models.pairs import Pair, count_parameters

MODEL_COLUMNS = ("CNN", "ViT")
"""A finding's two number columns when they hold the two models' results."""
INVARIANT = 0.9
"""Top-1 agreement with the clean prediction at or above which a model counts as invariant to a change."""


@dataclass(frozen=True)
class Finding:
    """One claim of the homework and what was measured."""
    claim: str
    measurement: str
    cnn: str
    vit: str
    verdict: str  # "holds", "partly", "does not hold"
    why: str
    figure: str = ""
    labels: tuple[str, str] = MODEL_COLUMNS  # what the two number columns hold


def grade(value: float, holds: float, partly: float, higher_holds: bool = True) -> str:
    """'holds' past `holds`, 'partly' past `partly`, else 'does not hold' (thresholds in the claim's direction)."""
    if not higher_holds:
        value, holds, partly = -value, -holds, -partly
    return "holds" if value >= holds else "partly" if value >= partly else "does not hold"


def translation(sweep: DatasetSweep, training: str) -> Finding:
    """'A CNN is translation-invariant': top-1 agreement under shifts of up to 20% of the side."""
    small = {m: sweep.mean_agreement(m, lambda x: 0 < abs(x) <= 0.2) for m in ("cnn", "vit")}
    large = {m: sweep.mean_agreement(m, lambda x: abs(x) >= 0.4) for m in ("cnn", "vit")}
    text = {m: f"{small[m]:.1%} same top-1 for shifts ≤ 20%; {large[m]:.1%} for shifts ≥ 40%" for m in small}
    return Finding(
        "The CNN is translation-invariant.",
        f"Shift each of {sweep.count} held-out images left/right by 10–50% of its side (padding with the mean "
        "colour); count how often the top-1 label stays the one predicted on the unshifted image.",
        text["cnn"], text["vit"], grade(small["cnn"], INVARIANT, 0.6),
        "Convolutions are translation-equivariant and global average pooling removes position, but strides, "
        "padding and the image border break exact invariance; large shifts also push the object out of the "
        f"frame. {training} The ViT is not built to be invariant yet learns it from the same data.",
        "findings/translate.png")


def rotation(sweep: DatasetSweep, training: str) -> Finding:
    """'A CNN is not rotation-invariant': top-1 agreement over 15°–345°."""
    turned = {m: sweep.mean_agreement(m, lambda x: x != 0) for m in ("cnn", "vit")}
    upside = {m: getattr(sweep, m).agreement[sweep.x.index(180)] for m in ("cnn", "vit")}
    text = {m: f"{turned[m]:.1%} same top-1 over 15°–345°; {upside[m]:.1%} at 180°" for m in turned}
    return Finding(
        "The CNN is not rotation-invariant.",
        f"Rotate each of {sweep.count} held-out images in 15° steps; count how often the top-1 label survives.",
        text["cnn"], text["vit"], grade(turned["cnn"], 0.6, INVARIANT, higher_holds=False),
        "Nothing in a convolution ties a filter to its rotated copies, so rotation invariance can only come "
        f"from the data. {training} The ViT has no built-in rotation invariance either: the claim is true of "
        "both architectures, not a difference between them.",
        "findings/rotate.png")


def picasso_rates(pair: Pair, seeds: list[int]) -> tuple[dict, str]:
    """Per variant, each model's rate of naming the clean class (face, if the pair knows it), Wilson 95%."""
    hits = {name: {"cnn": 0, "vit": 0} for name in ["clean", *VARIANTS]}
    for seed in seeds:
        variants = picasso_variants(seed)
        for model, probs in zip(("cnn", "vit"), variant_probabilities(pair, variants)):
            target = measured_class(probs, pair.labels)
            for (name, _), row in zip(variants, probs):
                hits[name][model] += int(row.argmax()) == target
    measure = "share called 'face'" if FACE in pair.labels else "share given the clean face's top-1 class"
    return {name: {m: wilson(h[m], len(seeds)) for m in h} for name, h in hits.items()}, measure


def _scrambled(rates: dict, model: str) -> float:
    return (rates["homework"][model][0] + rates["picasso"][model][0]) / 2


def picasso_cnn(rates: dict, count: int) -> Finding:
    """'Pooling loses part relations, so the CNN still sees a face in a Picasso face.'"""
    return Finding(
        "Pooling loses the relations between parts, so the CNN still sees a face in a Picasso face.",
        f"{count} toy faces, each drawn clean and scrambled (the homework's: eyes and brows moved, nose and "
        "mouth rotated; 'picasso': every part moved and rotated); share still classified as a face.",
        _rate_text(rates, "cnn"), _rate_text(rates, "vit"), grade(_scrambled(rates, "cnn"), 0.5, 0.2),
        "Pooling discards where features are, but the layers before it see neighbourhoods, so a CNN can still "
        "learn arrangements. Scrambled faces never appear in training: the score shows what each model learned "
        "a face to be, which the training data decides as much as the architecture. In the toy world no other "
        "class has eyes, brows, a nose and a mouth, so the parts alone already identify a face and neither model "
        "needs their arrangement.",
        "findings/picasso.png")


def picasso_vit(rates: dict, count: int) -> Finding:
    """'A ViT, with position embeddings, would not call it a face.'"""
    return Finding(
        "A ViT with position embeddings would not call a Picasso face a face.",
        "The same scrambled faces; share the ViT still classifies as a face (lower means the claim holds).",
        _rate_text(rates, "cnn"), _rate_text(rates, "vit"),
        grade(_scrambled(rates, "vit"), 0.2, 0.5, higher_holds=False),
        "Position embeddings let a ViT use where parts are, but nothing forces it to: if the parts alone "
        "separate the classes in training, attention can ignore their arrangement just as pooling does. The "
        "patch-shuffle sweep below shows how far this ViT went: with all 64 patches shuffled it keeps its "
        "top-1 far more often than the CNN does.",
        "findings/picasso.png")


def _rate_text(rates: dict, model: str) -> str:
    return "; ".join(f"{name} {rates[name][model][0]:.0%}" for name in rates)


@dataclass(frozen=True)
class LookingDistances:
    """How far each depth looks over a set of images: like with like, and two other quantities beside it."""
    cnn: dict[str, np.ndarray]  # per CNN stage, each image's effective mean distance (px, explain.effective_field)
    vit: dict[str, np.ndarray]  # per ViT block, the same
    locations: int  # per image and depth
    attention: torch.Tensor  # [layers, heads] mean attention distance (px), mean over the images
    receptive_fields: dict[str, int]  # per CNN stage, theoretical receptive field (px, a width)


def locality(pair: Pair, images01: torch.Tensor) -> tuple[Finding, LookingDistances]:
    """'The CNN looks locally, the ViT globally': each depth's effective distance, the same measure for both."""
    locations = effective_locations(pair.input_size)
    cnn = cnn_effective_distances(pair.cnn, images01, locations)
    vit = vit_effective_distances(pair.vit, images01, locations)
    side = pair.input_size
    cnn_shares, vit_shares = ([_side_interval(row / side) for row in d.values()] for d in (cnn, vit))
    verdict, facts = c3_local_vs_global(cnn_shares, vit_shares)
    with torch.inference_mode():
        _, maps = pair.vit(images01, need_weights=True)
    attention = torch.stack([mean_attention_distance([m[i] for m in maps], pair.vit.patch_size)
                             for i in range(len(images01))]).mean(0)
    fields = cnn_receptive_fields(pair.cnn.model)
    first = attention[0] / side
    cnn_text = (f"effective distance {cnn['stem'].mean() / side:.0%} of the side after the stem, "
                f"{cnn['layer4'].mean() / side:.0%} after the last stage (extra, a width: theoretical receptive "
                f"field {fields['stem']} px after the stem, {fields['layer4']} px after the last stage)")
    vit_text = (f"effective distance {vit['block1'].mean() / side:.0%} after block 1, "
                f"{vit[f'block{len(vit)}'].mean() / side:.0%} after block {len(vit)} (extra: mean attention "
                f"distance of layer-1 heads {first.min():.0%}–{first.max():.0%}, last layer "
                f"{attention[-1].mean() / side:.0%})")
    finding = Finding(
        "The CNN looks locally, the ViT globally.",
        f"Like with like (Luo et al. 2016's effective receptive field): at every CNN stage and ViT block, the "
        f"gradient of an output location with respect to the input image, as its mean distance from that location, "
        f"at {locations} random location{'s' if locations != 1 else ''} of each of {len(images01)} images, as a "
        "share of the image side (looking everywhere alike: about 52%). Extras, other quantities, not compared: the "
        "ViT's mean attention distance per head (Dosovitskiy et al. 2020, Fig. 7) and the CNN's theoretical "
        "receptive field.",
        cnn_text, vit_text, verdict,
        f"{facts} A convolution can only look as far as its receptive field, and in practice looks much less far "
        "(Luo et al. 2016). Attention can look anywhere from the first block, but training decides whether it "
        "does: some early heads learn to look locally, like convolutions.",
        "findings/distance.png")
    return finding, LookingDistances(cnn, vit, locations, attention, fields)


def _side_interval(shares: np.ndarray) -> tuple[float, float, float]:
    """The mean of per-image shares of the side with its normal-approximation 95% interval."""
    mean, half = mean_ci(shares.tolist())
    return mean, mean - half, mean + half


def parameters(pair: Pair) -> Finding:
    """'The CNN needs fewer parameters (shared filters).'"""
    cnn, vit = count_parameters(pair.cnn), count_parameters(pair.vit)
    d = pair.vit.encoder.layers[0].ln_1.normalized_shape[0]
    vit_parts = parameter_breakdown(pair.vit)
    return Finding(
        "The CNN needs fewer parameters than attention (its filters are shared).",
        f"Parameter counts of the pair; and, at width C = {d}: a 3×3 convolution C→C has 9C² = {9 * d * d:,} "
        f"weights, multi-head attention 4C² = {4 * d * d:,}, a dense layer over a 14×14×C map (196C)² = "
        f"{(196 * d) ** 2:,}.",
        f"{cnn:,} parameters", f"{vit:,} parameters ({vit_parts['attention']:,} in attention)",
        grade(vit / cnn, 1.25, 1.0),
        "Weight sharing saves parameters against a dense layer, not against attention: attention shares its "
        "projections across positions too, and a 3×3 convolution of the same width has more weights than a "
        "whole attention layer. Which pair member is larger is a design choice, not a law.")


def attention_cost(C: int = 96, M: int = 7, sides: tuple[int, ...] = (7, 14, 28, 56),
                   repeats: int = 5) -> tuple[Finding, list[dict]]:
    """'MSA is quadratic in the number of tokens, W-MSA linear': the formulas and timings on this machine."""
    timings = [time_attention(side, C, M, heads=4, repeats=repeats) for side in sides]
    slope = {key: _slope(sides[-2] ** 2, sides[-1] ** 2, timings[-2][key], timings[-1][key])
             for key in ("global_ms", "windowed_ms")}
    omega = swin_complexity(sides[-1], sides[-1], C, M)
    verdict = "holds" if slope["global_ms"] >= 1.5 and slope["windowed_ms"] <= 1.3 else "partly"
    return Finding(
        "Global MSA is quadratic in the number of tokens, windowed W-MSA linear (Swin).",
        f"Ω(MSA) = 4hwC² + 2(hw)²C against Ω(W-MSA) = 4hwC² + 2M²hwC (C = {C}, M = {M}), and measured "
        f"time of both on {sides[0]}²…{sides[-1]}² tokens; growth exponent between the two largest sizes.",
        f"Ω at {sides[-1]}²: MSA {omega['msa']:,} vs W-MSA {omega['wmsa']:,} "
        f"({omega['msa'] / omega['wmsa']:.1f}×)",
        f"time ∝ tokens^{slope['global_ms']:.2f} (global) vs tokens^{slope['windowed_ms']:.2f} (windowed); "
        f"{timings[-1]['global_ms']:.1f} ms vs {timings[-1]['windowed_ms']:.1f} ms at {sides[-1]}²",
        verdict,
        "At small sizes the 4hwC² projections dominate and both grow alike; the (hw)² term takes over once hw "
        "exceeds about 2C. The seed's ViT uses global attention on 8×8 (toy) or 14×14 (ImageNet) tokens, "
        "where the quadratic term is still small.",
        "findings/attention_cost.png", labels=("Ω (formula)", "measured here")), timings


def _slope(n1: int, n2: int, t1: float, t2: float) -> float:
    return math.log(t2 / t1) / math.log(n2 / n1)
