"""The homework's claims C1–C14 (lab.claim_list), each as measured here: the numbers per model, with 95% intervals
where images were counted, and the verdict lab.verdicts computes from them.

Each function takes what was measured (a sweep, Picasso rates, scores) and returns a Finding; the findings report
writes them in the claim list's order.
"""
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import torch

from explain.analysis_cache import effective_locations
from explain.distance import mean_attention_distance
from explain.effective_field import cnn_effective_distances, vit_effective_distances
from explain.receptive_field import cnn_receptive_fields
from lab import swin
from lab.attention_shares import SAME_GRID, AttentionShares
from lab.dataset_sweeps import DatasetSweep
from lab.filters import SHUFFLES, FilterStructure, first_layers
from lab.reach import Reach
from lab.statistics import Interval, mean_ci
from lab.theory import parameter_breakdown, swin_complexity, time_attention
from lab.verdicts import (VERDICTS, Verdict,
                          c1_fewer_parameters, c2_learns_where_to_look, c3_local_vs_global, c4_interpretability,
                          c5_rotation, c6_translation, c7_moved_parts, c8_homework_face_cnn, c9_homework_face_vit,
                          c10_mha_count, c11_attention_cost, c12_window_reach, c13_underfit, c14_right_parts,
                          format_number, format_share)
from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import autocast

Rates = Mapping[str, Mapping[str, Interval]]
"""Picasso rates: variant -> model -> (share called the measured class, low, high)."""


@dataclass(frozen=True)
class Finding:
    """One claim of the homework (by id, lab.claim_list) as measured in this run."""
    id: str
    measurement: str  # what this run measured: counts and settings, beside the claim list's description
    cnn: str | None  # the CNN's headline numbers; None where the claim is not about the two models
    vit: str | None
    verdict: Verdict
    why: str  # lab.verdicts' facts and reason
    figure: str = ""  # path relative to FINDINGS.md
    context: str = ""  # what helps read the numbers, not part of the verdict

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.id}: verdict {self.verdict!r} is not one of {VERDICTS}")


def _weaker(*verdicts: Verdict) -> Verdict:
    """The least supportive of several verdicts on the same claim."""
    return max(verdicts, key=VERDICTS.index)


def parameters(pair: Pair) -> Finding:
    """C1 'shared filters, so a CNN needs fewer parameters than attention': the pair's exact parameter counts."""
    cnn, vit = parameter_breakdown(pair.cnn), parameter_breakdown(pair.vit)
    width = pair.vit.encoder.layers[0].ln_1.normalized_shape[0]
    verdict, why = c1_fewer_parameters(sum(cnn.values()), sum(vit.values()), width)
    return Finding(
        "C1", f"Exact counts of every parameter of the pair, by kind (lab.theory.parameter_breakdown); the ViT's "
        f"width C = {width}.",
        _counts(cnn), _counts(vit), verdict, why,
        context="Weight sharing saves parameters against a dense layer, not against attention: attention shares its "
                "projections across positions too. Which member of a pair is larger is a design choice.")


def _counts(breakdown: dict[str, int]) -> str:
    parts = ", ".join(f"{kind} {count:,}" for kind, count in breakdown.items() if count)
    return f"{sum(breakdown.values()):,} parameters ({parts})"


def where_it_looks(shares: AttentionShares) -> Finding:
    """C2 'a CNN treats every region alike; attention learns where to look': the shares of lab.attention_shares.

    Judged on the ViT's last-layer class-token attention and on its rollout, each against the CNN's Grad-CAM on the
    same grid (the stage whose grid is the ViT's, where one is); the verdict is the weaker of the two, so it cannot
    rest on whichever map happens to favour the claim.
    """
    same_grid = SAME_GRID in shares.shares
    cnn_map = SAME_GRID if same_grid else "CNN Grad-CAM"
    cnn = shares.shares[cnn_map]
    judged = {name: c2_learns_where_to_look(shares.shares[name], cnn, shares.content_variation[name])
              for name in ("ViT last layer", "ViT rollout")}
    verdict = _weaker(*(v for v, _ in judged.values()))
    why = " ".join(f"With the {name[4:]}: {v}. {text}" for name, (v, text) in judged.items())
    band = f"the outer 1/{round(1 / shares.border_fraction)} of the side on every edge"
    grid = _side(shares.grids["ViT last layer"])
    compared = (f"The CNN's Grad-CAM judged is the one on its {shares.same_grid_stage} stage, whose {grid} grid is the "
                f"ViT's; its last stage's ({_side(shares.grids['CNN Grad-CAM'])}, as the app draws it) is shown "
                "beside it." if same_grid else
                f"No CNN stage has the ViT's {grid} grid: the CNN's Grad-CAM is its last stage's "
                f"({_side(shares.grids['CNN Grad-CAM'])}).")
    last_stage = shares.shares["CNN Grad-CAM"]
    return Finding(
        "C2", f"{shares.count} held-out toy test images with their object masks. Border band: {band} "
        f"({cnn.border_area:.0%} of the image; on 64×64 images the ViT's outer ring of 8-px patches). Maps as the "
        "app draws them (class-token attention averaged over heads; rollout with mean fusion and 90% discarded; "
        f"Grad-CAM of the top-1 class), upsampled bilinearly. {compared} Content variation: per position of the "
        "map's own grid, the coefficient of variation across images of the map's share there, averaged over "
        "positions.",
        f"Grad-CAM on the ViT's grid: {cnn.describe(brief=True)}"
        + (f"; on its last stage: {last_stage.describe(brief=True)}" if same_grid else "")
        + f"; fixed filters: content variation 0 by construction (their Grad-CAM at a fixed position varies by "
        f"{shares.content_variation[cnn_map]:.2f})",
        "; ".join(f"{name[4:]}: {shares.shares[name].describe(brief=True)}, content variation "
                  f"{shares.content_variation[name]:.2f}" for name in judged),
        verdict, why + " The verdict is the weaker of the two.",
        context="The CNN's weights are the same for every image, but what they respond to is not: Grad-CAM shows "
                "where its fixed filters found the evidence, which is how a CNN can also ignore empty margins.")


def _side(side: int) -> str:
    return f"{side}×{side}"


@dataclass(frozen=True)
class LookingDistances:
    """How far each depth looks over a set of images: like with like, and two other quantities beside it."""
    cnn: dict[str, np.ndarray]  # per CNN stage, each image's effective mean distance (px, explain.effective_field)
    vit: dict[str, np.ndarray]  # per ViT block, the same
    locations: int  # per image and depth
    attention: torch.Tensor  # [layers, heads] mean attention distance (px), mean over the images
    receptive_fields: dict[str, int]  # per CNN stage, theoretical receptive field (px, a width)


def locality(pair: Pair, images01: torch.Tensor) -> tuple[Finding, LookingDistances]:
    """C3 'a CNN looks locally, attention globally': each depth's effective distance, the same measure for both."""
    locations = effective_locations(pair.input_size)
    cnn = cnn_effective_distances(pair.cnn, images01.to(module_device(pair.cnn)), locations)
    vit = vit_effective_distances(pair.vit, images01.to(module_device(pair.vit)), locations)
    side = pair.input_size
    cnn_shares, vit_shares = ([_side_interval(row / side) for row in d.values()] for d in (cnn, vit))
    verdict, facts = c3_local_vs_global(cnn_shares, vit_shares)
    device = module_device(pair.vit)
    with torch.inference_mode(), autocast(device):
        _, maps = pair.vit(images01.to(device), need_weights=True)
    maps = [m.float().cpu() for m in maps]
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
        "C3",
        f"Like with like (Luo et al. 2016's effective receptive field): at every CNN stage and ViT block, the "
        f"gradient of an output location with respect to the input image, as its mean distance from that location, "
        f"at {locations} random location{'s' if locations != 1 else ''} of each of {len(images01)} images, as a "
        "share of the image side (looking everywhere alike: about 52%). Extras, other quantities, not compared: the "
        "ViT's mean attention distance per head (Dosovitskiy et al. 2020, Fig. 7) and the CNN's theoretical "
        "receptive field.",
        cnn_text, vit_text, verdict, facts, "findings/distance.png",
        context="A convolution can only look as far as its receptive field, and in practice looks much less far "
                "(Luo et al. 2016). Attention can look anywhere from the first block, but training decides whether "
                "it does: some early heads learn to look locally, like convolutions.")
    return finding, LookingDistances(cnn, vit, locations, attention, fields)


def _side_interval(shares: np.ndarray) -> Interval:
    """The mean of per-image shares of the side with its normal-approximation 95% interval."""
    mean, half = mean_ci(shares.tolist())
    return Interval(mean, mean - half, mean + half)


def interpretability(pair: Pair) -> Finding:
    """C4 'a CNN is easier to interpret: its filters can be drawn; an attention network's weights say little': the
    spatial structure of both models' first-layer filters (lab.filters), which the app and the report draw."""
    layers = first_layers(pair)
    cnn, vit = layers["cnn"], layers["vit"]
    verdict, why = c4_interpretability(cnn.correlation, cnn.shuffled, vit.correlation, vit.shuffled)

    def described(s: FilterStructure) -> str:
        return (f"{s.count} filters of {_side(s.size[0])} × 3 ({s.layer}): adjacent weights correlate by "
                f"{format_number(s.correlation, brief=True)}, shuffled {format_number(s.shuffled, brief=True)}; "
                f"top 8 principal components hold {s.top8_variance:.0%} of their variance")
    return Finding(
        "C4", f"The pair's weights, no images: the CNN's first convolution and the ViT's patch embedding, each filter's "
        f"colour channels centred; {SHUFFLES} spatial shuffles per filter for the baseline; 95% intervals over the "
        "filters. The map-localisation table is under 'Also measured', with the CNN's Grad-CAM on the ViT's grid.",
        described(cnn), described(vit), verdict, why, "findings/filters.png",
        context="Whether a picture can be read is a judgement the numbers stand in for: smooth blobs, edges and "
                "oriented gratings correlate well above shuffled weights, noise does not. A small first layer (3×3 "
                "in a deep stem) has little room for a readable picture; the ViT's patch filters and its position "
                "embeddings (the Inside tab) are weights of an attention network that can be drawn and read "
                "(Dosovitskiy et al. 2020, Fig. 7). The variance in the top components is context, not compared: "
                "it depends on how many filters and weights each bank has.")


def rotation(sweep: DatasetSweep, training: str) -> Finding:
    """C5 'a CNN is not rotation-invariant': per image, the share of rotations (15°–345°) keeping the upright top-1."""
    turned = {m: sweep.kept_interval(m, lambda x: x != 0) for m in ("cnn", "vit")}
    upside = {m: getattr(sweep, m).agreement[sweep.x.index(180)] for m in ("cnn", "vit")}
    verdict, why = c5_rotation(turned["cnn"], turned["vit"])
    text = {m: f"top-1 kept on {format_share(turned[m], brief=True)} of rotations; {upside[m]:.0%} at 180°"
            for m in turned}
    return Finding(
        "C5", f"{sweep.count} held-out images, each rotated in 15° steps ({len(sweep.x) - 1} angles); per image the "
        "share of angles whose top-1 stays the upright image's, averaged over images (normal 95% interval).",
        text["cnn"], text["vit"], verdict, why, "findings/rotate.png",
        context="Nothing in a convolution ties a filter to its rotated copies, so rotation invariance can only come "
                f"from the data. {training} The ViT has no built-in rotation invariance either.")


def translation(sweep: DatasetSweep, training: str) -> Finding:
    """C6 'a CNN is translation-invariant': per image, the share of shifts up to 20% keeping the unshifted top-1."""
    small = {m: sweep.kept_interval(m, lambda x: 0 < abs(x) <= 0.2 + 1e-9) for m in ("cnn", "vit")}
    large = {m: sweep.mean_agreement(m, lambda x: abs(x) >= 0.4 - 1e-9) for m in ("cnn", "vit")}
    verdict, why = c6_translation(small["cnn"], small["vit"])
    text = {m: f"top-1 kept on {format_share(small[m], brief=True)} of shifts ≤ 20%; {large[m]:.0%} for shifts "
               "≥ 40%"
            for m in small}
    return Finding(
        "C6", f"{sweep.count} held-out images, each shifted left and right by 10% and 20% of its side (padding with "
        "the mean colour); per image the share of shifts whose top-1 stays the unshifted image's, averaged over "
        "images (normal 95% interval). Shifts of 40–50%, which push the object out of the frame, are shown, not "
        "judged.",
        text["cnn"], text["vit"], verdict, why, "findings/translate.png",
        context="Convolutions are translation-equivariant and global average pooling removes position, but strides, "
                f"padding and the image border break exact invariance. {training}")


@dataclass(frozen=True)
class FaceSource:
    """Where C7–C9's faces were measured: the report pair's Picasso faces or the arrangement experiment's held-out
    faces; what the findings say about them, their figure and what helps read them."""
    measurement: str
    figure: str
    context: str
    vit_context: str  # C9's: what reads the ViT's numbers


PICASSO_CONTEXT = ("In the toy world no other class has eyes, brows, a nose and a mouth, so the parts alone already "
                   "identify a face and neither model needs their arrangement or orientation; what each model "
                   "learned a face to be is decided by the training data as much as by the architecture.")


def picasso_faces(faces: int, measure: str) -> FaceSource:
    """The report pair's Picasso faces (lab.picasso): `faces` held-out toy faces per variant."""
    return FaceSource(f"{faces} held-out toy faces (seeds from 3,000,000, outside every training split), each drawn "
                      f"clean and scrambled; {measure}, with Wilson 95% intervals. Scrambled faces never appear in "
                      "training.", "findings/picasso.png", PICASSO_CONTEXT,
                      "Position embeddings let a ViT use where parts are, but nothing forces it to: if the parts alone "
                      "separate the classes in training, attention can ignore their arrangement just as pooling does. "
                      + PICASSO_CONTEXT)


def arrangement_faces(faces: int, toy: Rates | None = None) -> FaceSource:
    """The arrangement experiment's held-out faces (`faces` per variant), judged on the bundled `toy-arrangement`
    pair; `toy`: the report pair's Picasso rates, quoted as context."""
    context = ("On the arrangement task `jumbled face` is a class of its own (a face's parts moved or swapped, never "
               "rotated), so only where the parts are tells a face from a jumble. The CNN is the one with global "
               "average pooling and the ViT the one with learned position embeddings (the bundled `toy-arrangement` "
               "pair); their ablations (no pooling, no position embeddings) were trained on the same images with the "
               "same budget, so a difference between a model and its ablation is the mechanism's.")
    if toy is not None:
        context += (" On the toy world, where no class needs the arrangement, the toy pair calls "
                    + "; ".join(f"{name} faces a face: CNN {format_share(toy[name]['cnn'], brief=True)}, ViT "
                                f"{format_share(toy[name]['vit'], brief=True)}"
                                for name in ("moved", "homework", "rotated only") if name in toy) + ".")
    return FaceSource(f"{faces} held-out faces per variant of the arrangement experiment (python -m lab.arrangement; "
                      "seeds from 3,000,000, outside its training and validation sets); share called `face`, with "
                      "Wilson 95% intervals. Only `jumbled face` (parts moved or swapped, nothing rotated) is seen "
                      "in training; variants (a)–(d) never are.", "findings/arrangement_held_out.png", context,
                      context)


def _faces(rates: Rates, model: str, names: tuple[str, ...]) -> str:
    return "; ".join(f"{name} {format_share(rates[name][model], brief=True)}" for name in names)


def moved_parts(rates: Rates, source: FaceSource, without_pooling: Interval | None = None) -> Finding:
    """C7 'pooling loses the arrangement': faces with parts moved (not rotated) still called a face by the CNN."""
    verdict, why = c7_moved_parts(rates["moved"]["cnn"], without_pooling)
    names = ("moved", "clean")
    return Finding(
        "C7", source.measurement + " Variant 'moved': every movable part displaced, none rotated."
        + ("" if without_pooling is not None else " The CNN without global pooling (the arrangement experiment) "
           "has not been run yet."),
        _faces(rates, "cnn", names), _faces(rates, "vit", names), verdict, why, source.figure, context=source.context)


def homework_face_cnn(rates: Rates, source: FaceSource) -> Finding:
    """C8 'the CNN will NOT call the homework's picture a face, because of its rotated lips and nose'."""
    verdict, why = c8_homework_face_cnn(rates["homework"]["cnn"], rates["rotated only"]["cnn"])
    names = ("homework", "rotated only", "clean")
    return Finding(
        "C8", source.measurement + " Variant 'homework': eyes and brows moved, nose and mouth rotated in place "
        "(60°–180°); 'rotated only': nose and mouth rotated, nothing moved.",
        _faces(rates, "cnn", names), _faces(rates, "vit", names), verdict, why, source.figure, context=source.context)


def homework_face_vit(rates: Rates, source: FaceSource, without_position: Interval | None = None) -> Finding:
    """C9 'the attention network will not call that picture a face either'."""
    verdict, why = c9_homework_face_vit(rates["homework"]["vit"], rates["rotated only"]["vit"], without_position)
    names = ("homework", "rotated only", "clean")
    return Finding(
        "C9", source.measurement + " The same variants as C8."
        + ("" if without_position is not None else " The ViT without position embeddings (the arrangement "
           "experiment) has not been run yet."),
        _faces(rates, "cnn", names), _faces(rates, "vit", names), verdict, why, source.figure,
        context=source.vit_context)


def mha_count() -> Finding:
    """C10 'question 3's multi-head attention has 33,000 weights'."""
    verdict, why = c10_mha_count()
    return Finding("C10", "", None, None, verdict, why)


def attention_cost(C: int = swin.CHANNELS, M: int = swin.WINDOW, sides: tuple[int, ...] = (7, 14, 28, swin.SIDE),
                   repeats: int = 5) -> tuple[Finding, list[dict]]:
    """C11 'Ω(MSA) is quadratic in the tokens, Ω(W-MSA) linear': judged on the formulas; both attentions are also
    timed on this machine on sides² tokens, as context."""
    verdict, why = c11_attention_cost(C=C, M=M)
    timings = [time_attention(side, C, M, heads=4, repeats=repeats) for side in sides]
    slope = {key: _slope(sides[-2] ** 2, sides[-1] ** 2, timings[-2][key], timings[-1][key])
             for key in ("global_ms", "windowed_ms")}
    omega = swin_complexity(swin.SIDE, swin.SIDE, C, M)
    return Finding(
        "C11", f"The two formulas at Swin's first stage ({swin.SIDE}×{swin.SIDE} tokens, C = {C}, M = {M}): Ω(MSA) = "
        f"{omega['msa']:,}, Ω(W-MSA) = {omega['wmsa']:,} ({omega['msa'] / omega['wmsa']:.1f}×); their growth when "
        "the tokens double.", None, None, verdict, why, "findings/attention_cost.png",
        context=f"Timed on this machine, not judged: between {sides[-2]}² and {sides[-1]}² tokens, global attention "
                f"grows as tokens^{slope['global_ms']:.2f} and windowed attention as tokens^"
                f"{slope['windowed_ms']:.2f} ({timings[-1]['global_ms']:.1f} ms against "
                f"{timings[-1]['windowed_ms']:.1f} ms at {sides[-1]}²). The seed's ViT uses global attention on 8×8 "
                "(toy) or 14×14 (ImageNet) tokens, where the quadratic term is still small."), timings


def _slope(n1: int, n2: int, t1: float, t2: float) -> float:
    return math.log(t2 / t1) / math.log(n2 / n1)


def window_reach(result: Reach) -> Finding:
    """C12 'no information passes between W-MSA windows; shifted windows connect them': lab.reach's exact counts."""
    verdict, why = c12_window_reach(result)
    return Finding(
        "C12", f"Counted exactly on a {result.side}×{result.side} token grid with {result.window}×{result.window} "
        f"windows (lab.reach), after {', '.join(map(str, result.layers))} layers; SW-MSA windows displaced by "
        f"{result.window // 2} without wrap-around, as Swin's mask computes them.",
        None, None, verdict, why, "findings/reach.png")


def underfit(run: Mapping | None = None) -> Finding:
    """C13 'after 5 epochs the ViT is underfit; more epochs would improve it': the arrangement issue's run."""
    verdict, why = c13_underfit(run)
    vit = None if run is None else f"validation accuracy by epoch: {', '.join(f'{a:.0%}' for a in run['accuracy'])}"
    return Finding("C13", "", None, vit, verdict, why)


def right_parts(run: Mapping | None = None) -> Finding:
    """C14 'though its prediction is wrong, the model attends to the right parts': the arrangement issue's run."""
    verdict, why = c14_right_parts(run)
    return Finding("C14", "", None, None, verdict, why)
