"""The homework's claims, each with the measurement that tests it and a verdict computed from the numbers."""
import math
from dataclasses import dataclass

import torch

from explain.distance import mean_attention_distance
from explain.receptive_field import cnn_receptive_fields
from lab.dataset_sweeps import DatasetSweep
from lab.picasso import FACE, VARIANTS, picasso_variants
from lab.statistics import wilson
from lab.theory import parameter_breakdown, swin_complexity, time_attention
from models.inference import probabilities
from models.pairs import Pair, count_parameters

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
    labels: tuple[str, str] = ("CNN", "ViT")  # what the two number columns hold


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
        text["cnn"], text["vit"], grade(turned["cnn"], INVARIANT, 0.6, higher_holds=False),
        "Nothing in a convolution ties a filter to its rotated copies, so rotation invariance can only come "
        f"from the data. {training} The ViT has no built-in rotation invariance either: the claim is true of "
        "both architectures, not a difference between them.",
        "findings/rotate.png")


def picasso_rates(pair: Pair, seeds: list[int]) -> tuple[dict, str]:
    """Per variant, each model's rate of naming the clean class (face, if the pair knows it), Wilson 95%."""
    hits = {name: {"cnn": 0, "vit": 0} for name in ["clean", *VARIANTS]}
    for seed in seeds:
        variants = picasso_variants(seed)
        batch = torch.stack([pair.transform(image) for _, image in variants])
        cnn_probs, vit_probs = probabilities(pair, batch)
        for model, probs in (("cnn", cnn_probs), ("vit", vit_probs)):
            target = pair.labels.index(FACE) if FACE in pair.labels else int(probs[0].argmax())
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


def locality(pair: Pair, images01: torch.Tensor) -> tuple[Finding, torch.Tensor, dict]:
    """'The CNN looks locally, the ViT globally': mean attention distance against receptive fields."""
    with torch.inference_mode():
        _, maps = pair.vit(pair.vit_normalize(images01), need_weights=True)
    distances = torch.stack([mean_attention_distance([m[i] for m in maps], pair.vit.patch_size)
                             for i in range(len(images01))]).mean(0)
    fields = cnn_receptive_fields(pair.cnn)
    side = pair.input_size
    first = distances[0] / side
    stem = fields["stem"] / side
    vit_text = (f"layer 1 heads attend at {first.min():.0%}–{first.max():.0%} of the image side on average "
                f"(uniform attention: about 52%); last layer {distances[-1].mean() / side:.0%}")
    cnn_text = (f"theoretical receptive field {fields['stem']} px ({stem:.0%} of the side) after the stem, "
                f"{fields['layer1']} px after stage 1, {fields['layer4']} px after the last stage")
    # The first processing block of each: the CNN's stem (three 3×3 convolutions) against the ViT's layer 1.
    cnn_local, vit_global, vit_local = stem < 0.25, bool(first.max() >= 0.3), bool(first.min() < 0.15)
    verdict = "holds" if cnn_local and vit_global and not vit_local else "partly" if cnn_local and vit_global \
        else "does not hold"
    finding = Finding(
        "The CNN looks locally, the ViT globally.",
        f"Mean attention distance of every ViT head (Dosovitskiy et al. 2020, Fig. 7), averaged over "
        f"{len(images01)} images, against the CNN's theoretical receptive field per stage.",
        cnn_text, vit_text, verdict,
        "A convolution can only look as far as its receptive field, which grows with depth. Attention can look "
        "anywhere from the first layer, but training decides whether it does: some early heads learn to look "
        "locally, like convolutions.",
        "findings/distance.png")
    return finding, distances, fields


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
