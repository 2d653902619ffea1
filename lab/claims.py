"""The homework's claims (lab.claim_list), each as measured here: the numbers per model, with 95% intervals
where images were counted, and the verdict lab.verdicts computes from them.

Each function takes what was measured (a sweep, Picasso rates, scores) and returns a Finding; the findings report
writes them in the claim list's order. C5–C9 read every toy training run (ToyRun), pooled, and only models that
learned their task (lab.verdicts.gate); C7–C9 add a Mechanism line from the arrangement experiment.
"""
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch

from explain.analysis_cache import effective_locations
from explain.distance import mean_attention_distance
from explain.effective_field import cnn_effective_distances, vit_effective_distances
from explain.receptive_field import cnn_receptive_fields
from lab.attention_cost import MODELS, AttentionCost, ModelCost
from lab.attention_shares import SAME_GRID, AttentionShares
from lab.claim_list import claim
from lab.dataset_sweeps import DatasetSweep
from lab.filters import SHUFFLES, FilterStructure, first_layers
from lab.fine_tuning import misclassified, trend
from lab.statistics import Interval, mean_interval, pooled_counts, pooled_over_runs
from lab.window_crossing import WindowCrossing
from lab.theory import parameter_breakdown
from lab.verdicts import (HOMEWORK_GATE, MECHANISM_GATE, VERDICTS, Competence, Result, Verdict,
                          across_runs, c1_fewer_parameters, c2_learns_where_to_look, c3_local_vs_global,
                          c4_interpretability, c5_rotation, c6_translation, c7_moved_parts, c8_homework_face_cnn,
                          c9_homework_face_vit, c10_mha_count, c11_attention_cost, c12_window_reach, c12c_residual,
                          c13_underfit, c14_right_parts, format_number, format_share, gate, unstable)
from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import autocast
from toyworld.arrangement import LABELS as ARRANGEMENT_LABELS

Rates = Mapping[str, Mapping[str, Interval]]
"""Picasso rates: variant -> model -> share called the measured class."""


SETTING_KINDS = ("pair", "homework", "theory", "not measured", "residual", "fine-tuning", "other pair", "architecture")
"""Where a verdict can come from: a model pair's measurement, the homework's setting (the toy training runs), the
formulas alone, nowhere, the residual runs, the fine-tuning run, a pair outside the homework's setting, or
architectures measured with random weights (Swin's costs and reach)."""


@dataclass(frozen=True)
class Setting:
    """Where a verdict was measured: a kind the app translates by key (ui.strings "setting_<kind>"), the pair and
    the number of training runs, and the same in English for FINDINGS.md."""
    kind: str  # one of SETTING_KINDS
    text: str
    pair: str = ""
    runs: int = 0

    def __post_init__(self):
        if self.kind not in SETTING_KINDS:
            raise ValueError(f"setting kind {self.kind!r} is not one of {SETTING_KINDS}")

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "pair": self.pair, "runs": self.runs}


NO_MODEL = Setting("theory", "computed from the homework's formulas and sizes; no trained model involved")
NOT_MEASURED = Setting("not measured", "not measured here")
FINE_TUNING = Setting("fine-tuning", "the arrangement experiment's fine-tuning run (a pretrained ViT)")


def on_pair(pair: str, what: str) -> Setting:
    """A verdict measured on one pair's models."""
    return Setting("pair", f"{what}, the {pair} pair", pair)


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
    models: str = ""  # the models the verdict read and their competence (lab.verdicts.Competence)
    setting: Setting | None = None  # where it was measured: the setting and pair, or that no model is involved
    runs: tuple[str, ...] = ()  # each training run's figures, where there are several
    mechanism: "Mechanism | None" = field(default=None)  # C7–C9: graded where the task demands arrangement

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.id}: verdict {self.verdict!r} is not one of {VERDICTS}")

    @property
    def unstable(self) -> bool:
        """'partly' because the training runs grade the claim differently."""
        return unstable((self.verdict, self.why))


def _weaker(*verdicts: Verdict) -> Verdict:
    """The least supportive of several verdicts on the same claim."""
    return max(verdicts, key=VERDICTS.index)


TOY_IMAGES = on_pair("toy", "held-out toy images with their object masks")


def parameters(pair: Pair) -> Finding:
    """C1 'shared filters, so a CNN needs fewer parameters than attention': the pair's exact parameter counts."""
    cnn, vit = parameter_breakdown(pair.cnn), parameter_breakdown(pair.vit)
    width = pair.vit.encoder.layers[0].ln_1.normalized_shape[0]
    verdict, why = c1_fewer_parameters(sum(cnn.values()), sum(vit.values()), width)
    return Finding(
        "C1", f"Exact counts of every parameter of the pair, by kind (lab.theory.parameter_breakdown); the ViT's "
        f"width C = {width}.",
        _counts(cnn), _counts(vit), verdict, why, setting=on_pair(pair.name, "parameter counts"),
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
        verdict, why + " The verdict is the weaker of the two.", setting=TOY_IMAGES,
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
    cnn_shares, vit_shares = ([mean_interval((row / side).tolist()) for row in d.values()] for d in (cnn, vit))
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
        cnn_text, vit_text, verdict, facts, "findings/distance.png", setting=on_pair(pair.name, "held-out images"),
        context="A convolution can only look as far as its receptive field, and in practice looks much less far "
                "(Luo et al. 2016). Attention can look anywhere from the first block, but training decides whether "
                "it does: some early heads learn to look locally, like convolutions.")
    return finding, LookingDistances(cnn, vit, locations, attention, fields)


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
        setting=on_pair(pair.name, "the first-layer filters"),
        context="Whether a picture can be read is a judgement the numbers stand in for: smooth blobs, edges and "
                "oriented gratings correlate well above shuffled weights, noise does not. A small first layer (3×3 "
                "in a deep stem) has little room for a readable picture; the ViT's patch filters and its position "
                "embeddings (the Inside tab) are weights of an attention network that can be drawn and read "
                "(Dosovitskiy et al. 2020, Fig. 7). The variance in the top components is context, not compared: "
                "it depends on how many filters and weights each bank has.")


@dataclass(frozen=True)
class ToyRun:
    """One trained toy pair as C5–C9 read it: its models' held-out test accuracy, its rotation and translation sweeps
    and its Picasso rates over `faces` held-out faces."""
    name: str  # which training run: "toy (bundled, seed 0)"
    accuracy: Mapping[str, Interval]  # "cnn", "vit" -> held-out test accuracy (Wilson)
    sweeps: Mapping[str, DatasetSweep]  # "rotate", "translate"
    rates: Rates
    faces: int


MODEL_NAMES = {"cnn": "CNN", "vit": "ViT"}
TOY_TASK = "the toy world's ten classes"


def _competence(runs: Sequence[ToyRun], model: str) -> list[Competence]:
    return [Competence(f"the {MODEL_NAMES[model]} of {run.name}", TOY_TASK, run.accuracy[model], HOMEWORK_GATE)
            for run in runs]


def _models_read(runs: Sequence[ToyRun]) -> str:
    return "; ".join(c.describe() for model in MODEL_NAMES for c in _competence(runs, model))


def _homework_setting(runs: Sequence[ToyRun], graded: str, pooled: Result,
                      each: Callable[[ToyRun], Result]) -> Result:
    """C5–C9's verdict: not testable below the gate (the graded model of every run), else pooled over the runs,
    'partly' when they disagree."""
    return gate(_competence(runs, graded)) or across_runs(pooled, [each(run) for run in runs])


def _setting(runs: Sequence[ToyRun]) -> Setting:
    count = f"{len(runs)} training run{'s' if len(runs) != 1 else ''}"
    return Setting("homework", f"the homework's setting: the toy pair, {count} ({', '.join(run.name for run in runs)})",
                   "toy", len(runs))


def _kept(runs: Sequence[ToyRun], kind: str, model: str, keep: Callable[[float], bool]) -> Interval:
    return pooled_over_runs([run.sweeps[kind].kept_interval(model, keep) for run in runs])


ROTATED = lambda x: x != 0  # noqa: E731 - every angle but the upright one
SMALL_SHIFT = lambda x: 0 < abs(x) <= 0.2 + 1e-9  # noqa: E731


def rotation(runs: Sequence[ToyRun], training: str) -> Finding:
    """C5 'a CNN is not rotation-invariant': per image, the share of rotations (15°–345°) keeping the upright top-1,
    on every toy run and pooled."""
    turned = {m: _kept(runs, "rotate", m, ROTATED) for m in MODEL_NAMES}
    verdict, why = _homework_setting(runs, "cnn", c5_rotation(turned["cnn"], turned["vit"]),
                                     lambda run: c5_rotation(run.sweeps["rotate"].kept_interval("cnn", ROTATED)))
    sweep = runs[0].sweeps["rotate"]
    text = {m: f"top-1 kept on {format_share(turned[m], brief=True)} of rotations (pooled); "
               f"{_mean(run.sweeps['rotate'].mean_agreement(m, lambda x: x == 180) for run in runs):.0%} at 180°"
            for m in MODEL_NAMES}
    return Finding(
        "C5", f"{sweep.count} held-out images per run, each rotated in 15° steps ({len(sweep.x) - 1} angles); per "
        "image the share of angles whose top-1 stays the upright image's, averaged over images (normal 95% "
        "interval), then pooled over the runs.",
        text["cnn"], text["vit"], verdict, why, "findings/rotate.png",
        context="Nothing in a convolution ties a filter to its rotated copies, so rotation invariance can only come "
                f"from the data. {training} The ViT has no built-in rotation invariance either.",
        models=_models_read(runs), setting=_setting(runs),
        runs=tuple(f"{run.name}: CNN {format_share(run.sweeps['rotate'].kept_interval('cnn', ROTATED), True)}, ViT "
                   f"{format_share(run.sweeps['rotate'].kept_interval('vit', ROTATED), True)}" for run in runs))


def translation(runs: Sequence[ToyRun], training: str) -> Finding:
    """C6 'a CNN is translation-invariant': per image, the share of shifts up to 20% keeping the unshifted top-1, on
    every toy run and pooled."""
    small = {m: _kept(runs, "translate", m, SMALL_SHIFT) for m in MODEL_NAMES}
    verdict, why = _homework_setting(runs, "cnn", c6_translation(small["cnn"], small["vit"]),
                                     lambda run: c6_translation(run.sweeps["translate"].kept_interval("cnn",
                                                                                                      SMALL_SHIFT)))
    large = {m: _mean(run.sweeps["translate"].mean_agreement(m, lambda x: abs(x) >= 0.4 - 1e-9) for run in runs)
             for m in MODEL_NAMES}
    text = {m: f"top-1 kept on {format_share(small[m], brief=True)} of shifts ≤ 20% (pooled); {large[m]:.0%} for "
               "shifts ≥ 40%" for m in MODEL_NAMES}
    return Finding(
        "C6", f"{runs[0].sweeps['translate'].count} held-out images per run, each shifted left and right by 10% and "
        "20% of its side (padding with the mean colour); per image the share of shifts whose top-1 stays the "
        "unshifted image's, averaged over images (normal 95% interval), then pooled over the runs. Shifts of 40–50%, "
        "which push the object out of the frame, are shown, not judged.",
        text["cnn"], text["vit"], verdict, why, "findings/translate.png",
        context="Convolutions are translation-equivariant and global average pooling removes position, but strides, "
                f"padding and the image border break exact invariance. {training}",
        models=_models_read(runs), setting=_setting(runs),
        runs=tuple(f"{run.name}: CNN {format_share(run.sweeps['translate'].kept_interval('cnn', SMALL_SHIFT), True)}"
                   f", ViT {format_share(run.sweeps['translate'].kept_interval('vit', SMALL_SHIFT), True)}"
                   for run in runs))


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


PICASSO_CONTEXT = ("In the toy world no other class has eyes, brows, a nose and a mouth, so the parts alone already "
                   "identify a face and neither model needs their arrangement or orientation; what each model "
                   "learned a face to be is decided by the training data as much as by the architecture.")


def picasso_measurement(faces: int, measure: str) -> str:
    """What C7–C9 measured on the toy runs' Picasso faces."""
    return (f"{faces} held-out toy faces per run (seeds from 3,000,000, outside every training split), each drawn "
            f"clean and scrambled; {measure}, with Wilson 95% intervals, pooled over the runs. Scrambled faces never "
            "appear in training.")


def _face_rate(runs: Sequence[ToyRun], variant: str, model: str) -> Interval:
    """A Picasso variant's share over the runs: pooled counts (lab.statistics.pooled_counts)."""
    return pooled_counts([(round(run.rates[variant][model].value * run.faces), run.faces) for run in runs])


def _faces(runs: Sequence[ToyRun], model: str, names: tuple[str, ...]) -> str:
    return "; ".join(f"{name} {format_share(_face_rate(runs, name, model), brief=True)}" for name in names)


def _face_runs(runs: Sequence[ToyRun], names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{run.name}: " + "; ".join(f"{name}: CNN {format_share(run.rates[name]['cnn'], True)}, ViT "
                                            f"{format_share(run.rates[name]['vit'], True)}" for name in names)
                 for run in runs)


def _picasso_finding(id: str, measurement: str, runs: Sequence[ToyRun], names: tuple[str, ...], graded: Result,
                     context: str, arrangement: Mapping | None) -> Finding:
    """C7–C9's finding: both models' face rates on the variants `names`, every run's, and the mechanism line."""
    return Finding(id, measurement, _faces(runs, "cnn", names), _faces(runs, "vit", names), *graded,
                   "findings/picasso.png", context=context, models=_models_read(runs), setting=_setting(runs),
                   runs=_face_runs(runs, names), mechanism=mechanism_line(id, arrangement))


def moved_parts(runs: Sequence[ToyRun], measurement: str, arrangement: Mapping | None = None) -> Finding:
    """C7 'pooling loses the arrangement': toy faces with parts moved (not rotated) still called a face by the CNN;
    with the arrangement experiment's models (findings/arrangement.json "models"), the mechanism line too."""
    pooled = c7_moved_parts(_face_rate(runs, "moved", "cnn"))
    verdict, why = _homework_setting(runs, "cnn", pooled, lambda run: c7_moved_parts(run.rates["moved"]["cnn"]))
    return _picasso_finding("C7", measurement + " Variant 'moved': every movable part displaced, none rotated.",
                            runs, ("moved", "clean"), (verdict, why), PICASSO_CONTEXT, arrangement)


def homework_face_cnn(runs: Sequence[ToyRun], measurement: str, arrangement: Mapping | None = None) -> Finding:
    """C8 'the CNN will NOT call the homework's picture a face, because of its rotated lips and nose'."""
    pooled = c8_homework_face_cnn(_face_rate(runs, "homework", "cnn"), _face_rate(runs, "rotated only", "cnn"))
    verdict, why = _homework_setting(runs, "cnn", pooled, lambda run: c8_homework_face_cnn(
        run.rates["homework"]["cnn"], run.rates["rotated only"]["cnn"]))
    return _picasso_finding(
        "C8", measurement + " Variant 'homework': eyes and brows moved, nose and mouth rotated in place (60°–180°); "
        "'rotated only': nose and mouth rotated, nothing moved.", runs, ("homework", "rotated only", "clean"),
        (verdict, why), PICASSO_CONTEXT, arrangement)


def homework_face_vit(runs: Sequence[ToyRun], measurement: str, arrangement: Mapping | None = None) -> Finding:
    """C9 'the attention network will not call that picture a face either'."""
    pooled = c9_homework_face_vit(_face_rate(runs, "homework", "vit"), _face_rate(runs, "rotated only", "vit"))
    verdict, why = _homework_setting(runs, "vit", pooled, lambda run: c9_homework_face_vit(
        run.rates["homework"]["vit"], run.rates["rotated only"]["vit"]))
    return _picasso_finding(
        "C9", measurement + " The same variants as C8.", runs, ("homework", "rotated only", "clean"), (verdict, why),
        "Position embeddings let a ViT use where parts are, but nothing forces it to: if the parts alone separate the "
        "classes in training, attention can ignore their arrangement just as pooling does. " + PICASSO_CONTEXT,
        arrangement)


def outside_the_homework_setting(id: str, pair: str) -> Finding:
    """C5–C9 on a pair other than the toy pair: not graded (the homework's setting is a recogniser trained here,
    whose held-out test accuracy can be checked)."""
    return Finding(id, "", None, None, "not testable here",
                   f"graded in the homework's setting, the toy pair (a recogniser trained here, with a held-out test "
                   f"set to check it learned its task); this run measured the {pair} pair, whose sweeps and Picasso "
                   "faces are drawn in the figures but not graded",
                   setting=Setting("other pair", f"not graded on the {pair} pair", pair))


@dataclass(frozen=True)
class Mechanism:
    """A claim's second line, graded where the task demands arrangement (the arrangement experiment)."""
    verdict: Verdict
    why: str
    numbers: dict  # per model of the experiment read: face vs jumbled accuracy and the variants read, pooled
    models: str  # the models read and their competence
    figure: str = ""  # path relative to FINDINGS.md

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "why": self.why, "numbers": self.numbers, "models": self.models}


MECHANISMS = {
    "C7": ("cnn_pooled", "cnn_flattened", ("moved",)),
    "C8": ("cnn_pooled", None, ("(b) homework", "(a) rotated only")),
    "C9": ("vit_position", "vit_no_position", ("(b) homework", "(a) rotated only")),
}
"""Claim -> (the arrangement experiment's model graded, its ablation read beside it, the held-out variants read)."""
QUOTED = {"C9": ("vit_sincos",)}
"""Models of the experiment quoted beside a mechanism line, not graded."""
MECHANISM_FIGURES = {"C9": "findings/arrangement_positions.png"}
"""What the position embeddings learned (toy ViT, arrangement ViT, sin-cos), beside C9's mechanism line."""
FACE_VS_JUMBLED = "face vs jumbled face"


def _variant(called: Mapping, name: str) -> Interval:
    """A held-out variant's share, whether or not the results file writes the (a)–(d) prefix."""
    for key in (name, name.split(") ", 1)[-1]):
        if key in called:
            return Interval(*called[key])
    raise KeyError(f"no held-out variant {name!r}; the file has {', '.join(called)}")


def _mechanism_grade(id: str, graded: Mapping, ablation: Mapping | None) -> Result:
    called = graded["held_out_called_face"]
    if id == "C7":
        return c7_moved_parts(_variant(called, "moved"),
                              _variant(ablation["held_out_called_face"], "moved") if ablation else None)
    if id == "C8":
        return c8_homework_face_cnn(_variant(called, "(b) homework"), _variant(called, "(a) rotated only"))
    return c9_homework_face_vit(_variant(called, "(b) homework"), _variant(called, "(a) rotated only"),
                                _variant(ablation["held_out_called_face"], "(b) homework") if ablation else None)


def mechanism_line(id: str, models: Mapping | None) -> Mechanism | None:
    """C7–C9's line 'when the task demands arrangement', from findings/arrangement.json's "models" (each with its
    "runs" and "pooled"; a model written without them counts as one run); None without the experiment."""
    if not models:
        return None
    graded_key, ablation_key, variants = MECHANISMS[id]
    read = [key for key in (graded_key, ablation_key) if key]
    runs = {key: models[key].get("runs", [models[key]]) for key in read}
    pooled = {key: models[key].get("pooled", models[key]) for key in read}
    competence = [Competence(f"{models[key].get('title', key)} ({key}{_seed(run)})", FACE_VS_JUMBLED,
                             Interval(*run["face_vs_jumbled"]["accuracy"]), MECHANISM_GATE)
                  for key in read for run in runs[key]]
    described = "; ".join(c.describe() for c in competence)
    numbers = {key: {"face_vs_jumbled": list(models[key].get("pooled", models[key])["face_vs_jumbled"]["accuracy"]),
                     **{v: _variant(models[key].get("pooled", models[key])["held_out_called_face"], v).to_json()
                        for v in variants}}
               for key in (*read, *QUOTED.get(id, ())) if key in models}
    refused = gate(competence)
    if refused:
        return Mechanism(*refused, numbers, described, MECHANISM_FIGURES.get(id, ""))
    ablation = pooled[ablation_key] if ablation_key else None
    per_run = [_mechanism_grade(id, run, runs[ablation_key][i] if ablation_key else None)
               for i, run in enumerate(runs[graded_key])]
    verdict, why = across_runs(_mechanism_grade(id, pooled[graded_key], ablation), per_run)
    quoted = [f"{models[key].get('title', key)}: " + "; ".join(f"{v} {format_share(Interval(*numbers[key][v]), True)}"
                                                               for v in variants)
              for key in QUOTED.get(id, ()) if key in models]
    return Mechanism(verdict, why + (f" Beside it, {'; '.join(quoted)}." if quoted else ""), numbers, described,
                     MECHANISM_FIGURES.get(id, ""))


def _seed(run: Mapping) -> str:
    return f", seed {run['seed']}" if "seed" in run else ""


def mha_count() -> Finding:
    """C10 'question 3's multi-head attention has 33,000 weights'."""
    verdict, why = c10_mha_count()
    return Finding("C10", "", None, None, verdict, why, setting=NO_MODEL)


def not_measured(id: str) -> Finding:
    """A claim this project cannot test (C2b, C10b, C12b): its verdict function says why."""
    return Finding(id, "", None, None, *claim(id).grade(), setting=NOT_MEASURED)


def residual(results: Mapping | None = None) -> Finding:
    """C12c 'the block adds its input back so that earlier values are not forgotten': findings/residual.json, the
    seed's ViT trained with and without its residual connections (None: not run yet)."""
    runs = (results or {}).get("runs", [])
    verdict, why = c12c_residual(runs)
    if not runs:
        return Finding("C12c", "", None, None, verdict, why, setting=Setting("residual", "not run yet"))
    accuracy = {side: [Interval(*run[side]["test_accuracy"]) for run in runs]
                for side in ("with_residual", "without_residual")}
    pooled = {side: format_share(pooled_over_runs(intervals), brief=True) for side, intervals in accuracy.items()}
    each = tuple(f"seed {run['seed']} ({run['steps']:,} steps): {format_share(with_it, True)} with, "
                 f"{format_share(without, True)} without"
                 for run, with_it, without in zip(runs, accuracy["with_residual"], accuracy["without_residual"]))
    competence = [Competence(f"the seed's ViT with residuals (seed {run['seed']})", TOY_TASK, interval, HOMEWORK_GATE)
                  for run, interval in zip(runs, accuracy["with_residual"])]
    return Finding("C12c", f"{len(runs)} training runs. {results.get('recipe', '')}".strip(), None,
                   f"held-out test accuracy, pooled: {pooled['with_residual']} with residuals, "
                   f"{pooled['without_residual']} without", verdict, why,
                   models="; ".join(c.describe() for c in competence),
                   setting=Setting("residual", f"the toy world: the seed's ViT with and without residuals, {len(runs)} "
                                   "training runs", "toy", len(runs)),
                   runs=each)


COST_SETTING = Setting("architecture", "measured on the architectures with random weights (DeiT-S, timm's Swin-T, "
                       "ResNet-50): a cost depends on the architecture, not on training")
REACH_SETTING = Setting("architecture", "traced through timm's Swin-T with random weights (and the ViT in DeiT-S's "
                        "shape): which patches a token can depend on is set by the architecture, not by training")


def _segment_slopes(tokens: Sequence[int], values: Sequence[float]) -> str:
    """The local exponent between each pair of neighbouring sizes, e.g. '1.15 → 1.34 → 1.50'."""
    return " → ".join(f"{math.log(values[i + 1] / values[i]) / math.log(tokens[i + 1] / tokens[i]):.2f}"
                      for i in range(len(tokens) - 1))


def _exponents(cost: ModelCost) -> str:
    def one(name: str, value: Interval | None) -> str:
        return "" if value is None else f"{name} tokens^{value.value:.2f} [{value.low:.2f}, {value.high:.2f}]"

    parts = [one("all FLOPs", cost.flops_exponent), one("attention layers", cost.attention_exponent),
             one("token mixing", cost.mixing_exponent)]
    return f"{cost.name}: " + ", ".join(part for part in parts if part)


def attention_cost(results: Mapping | None = None) -> Finding:
    """C11 'Ω(MSA) is quadratic in the tokens, Ω(W-MSA) linear': findings/swin_cost.json (lab.attention_cost), the
    counted FLOPs of DeiT-S, Swin-T and ResNet-50 against resolution (None: not measured yet)."""
    if not results:
        return Finding("C11", "", None, None, *c11_attention_cost(None), setting=COST_SETTING)
    cost = AttentionCost.from_json(results)
    verdict, why = c11_attention_cost(cost)
    deit, swin_t, resnet = (cost.model(name) for name in MODELS)
    machine = results.get("provenance", {})
    times = "; ".join(f"{m.name} tokens^{m.time_exponent.value:.2f} [{m.time_exponent.low:.2f}, "
                      f"{m.time_exponent.high:.2f}] ({m.milliseconds[0]:,.0f} → {m.milliseconds[-1]:,.0f} ms)"
                      for m in cost.models)
    largest = cost.resolutions[-1]
    exact = [m.name for m in (deit, swin_t) if m.attention_flops == m.predicted_attention_flops]
    omega = (f"Counted attention FLOPs equal 2 × Ω at every size for {' and '.join(exact)} (Ω counts multiply-adds)."
             if exact else "")
    if len(exact) == 1:
        omega += " The other model's differ where timm pads a grid that is not a whole number of windows."
    segments = "; ".join(f"{m.name} {_segment_slopes(m.tokens, m.milliseconds)} against "
                         f"{_segment_slopes(m.tokens, m.flops)}" for m in cost.models)
    return Finding(
        "C11", f"FLOPs counted at {', '.join(map(str, cost.resolutions))} px (DeiT-S {deit.tokens[0]:,}–"
        f"{deit.tokens[-1]:,} tokens, Swin-T {swin_t.tokens[0]:,}–{swin_t.tokens[-1]:,}), batch 1, random weights; "
        f"{largest} px is the largest measured (DeiT-S's attention there holds 6 × {deit.tokens[-1] + 1:,}² scores "
        f"per layer). Wall time: median of {cost.repeats} alternated repeats on {cost.threads} thread"
        f"{'s' if cost.threads != 1 else ''} ({machine.get('hardware', 'this machine')}), `"
        f"{machine.get('command', 'python -m findings.swin')}`.",
        _exponents(resnet) + " (reference)", f"{_exponents(deit)}; {_exponents(swin_t)}", verdict, why,
        "findings/swin_cost.png", setting=COST_SETTING,
        context=f"{omega} Local exponents between neighbouring sizes: DeiT-S's attention layers "
                f"{_segment_slopes(deit.tokens, deit.attention_flops)}, rising towards 2 as the mixing term takes over "
                f"(Ω predicts {_segment_slopes(deit.tokens, deit.predicted_attention_flops)}). The intervals of the "
                "counted exponents measure how far the exact counts are from one power law, not noise. Wall time, "
                f"timed, not graded: {times}; local exponents of time against those of FLOPs: {segments}.")


def window_reach(results: Mapping | None = None) -> Finding:
    """C12 'no information passes between W-MSA windows; shifted windows connect them': findings/swin_reach.json
    (lab.window_crossing, lab.window_reach), reach traced through timm's Swin-T (None: not measured yet)."""
    if not results:
        return Finding("C12", "", None, None, *c12_window_reach(None), setting=REACH_SETTING)
    crossing = WindowCrossing.from_json(results["crossing"])
    verdict, why = c12_window_reach(crossing)
    central, padding = results["central"], results["padding"]
    counts = central["counts"]
    after = ", ".join(f"{b}: {t:,} (predicted {p:,})" for b, t, p in zip(central["blocks"], counts["traced"],
                                                                           counts["predicted"]))
    same = [block for block, identical in zip(central["blocks"], central["identical"]) if identical]
    blocks = ", ".join(map(str, central["blocks"]))
    which = (f"after every one of blocks {blocks}" if len(same) == len(central["blocks"]) else
             f"after blocks {', '.join(map(str, same)) or 'none'} of {blocks} only")
    merged = (f"For the token at patch {tuple(central['token'])} the traced reach is the predicted set of patches "
              f"{which}, across patch merging into stage 2 (figure findings/swin_reach.png). The trace runs on a fixed "
              "noise image: which patches a token can depend on does not depend on the picture.")
    return Finding(
        "C12", f"timm's Swin-T at {crossing.image_size} px, random weights, float64: every one of the "
        f"{len(crossing.tokens):,} stage-1 tokens traced after block 1 (W-MSA) and block 2 (SW-MSA); reachable: a "
        f"gradient norm above {crossing.tolerance:g} of the largest. lab.reach's idealised count is the prediction.",
        None, f"Swin-T token at patch {tuple(central['token'])} after blocks {after}; the ViT's patch "
        f"{tuple(central['vit_patch'])} after one block: {central['vit_count']} of its patches (global)",
        verdict, why, "findings/swin_crossing.png", setting=REACH_SETTING,
        context=f"{merged} Two differences from the idealised count, both in timm's code: the "
                "shifted-window mask adds −100 to the scores, not −∞, so a token keeps a weight of about e^−100 across "
                "the image's edge (below the tolerance: the weakest genuine path is "
                f"{min(central['weakest_reached']):.0e} of the largest); and where the grid is not a whole number of "
                f"windows timm pads after the cyclic shift, so the mask no longer separates the wrapped tokens: at "
                f"{padding['image_size']} px ({padding['side']}×{padding['side']} tokens) the corner token reaches "
                f"{padding['traced'][1]} patches after the SW-MSA block where {padding['predicted'][1]} are "
                "predicted (timm issue #2438). At Swin-T's own sizes (multiples of 224 px) nothing is padded.")


def _chosen(protocol: Mapping) -> list[dict]:
    """The protocol runs at the learning rate its rule chose (lab.arrangement.protocol.chosen_lr)."""
    return [run for run in protocol["runs"] if run["lr"] == protocol["chosen_lr"]]


def _protocol_measurement(protocol: Mapping) -> str:
    runs = _chosen(protocol)
    return (f"The bundled toy ViT with a new eleven-class head, fine-tuned on the arrangement task "
            f"({runs[0]['protocol']['train_images']:,} images; {runs[0]['protocol']['recipe']}), {len(runs)} seeds at "
            f"learning rate {protocol['chosen_lr']:g}, chosen from {', '.join(f'{lr:g}' for lr in protocol['lrs'])} "
            f"by the rule: {protocol['rule']}; {len(runs[0]['images']['label']):,} validation images.")


def underfit(protocol: Mapping | None = None) -> Finding:
    """C13 'after 5 epochs the ViT is underfit; more epochs would improve it': every run of the arrangement
    experiment's protocol at its chosen learning rate, the trend after epoch 5; the other rates as context."""
    if not protocol or not _chosen(protocol):
        return Finding("C13", "", None, None, *c13_underfit(), setting=FINE_TUNING)
    trends = [trend(run) for run in _chosen(protocol)]
    verdict, why = c13_underfit(trends)
    others = []
    for lr in protocol["lrs"]:
        if lr != protocol["chosen_lr"]:
            other = c13_underfit([trend(run) for run in protocol["runs"] if run["lr"] == lr])[0]
            others.append(f"at {lr:g} it would read '{other}'")
    vit = "; ".join(f"seed {t.seed}: {t.val_at_first:.1%} after epoch 5, best {t.val_best:.1%}, slope "
                    f"{t.slope.value * 100:+.2f} points per epoch" for t in trends)
    return Finding("C13", _protocol_measurement(protocol), None, vit, verdict, why,
                   "findings/arrangement_fine_tuning.png", setting=FINE_TUNING,
                   context=("Whether a fine-tuned model is underfit after 5 epochs depends on its learning rate: "
                            + "; ".join(others) + ". The homework's 74% is far below its ceiling; here epoch 5 is "
                            "within a few points of it at every rate tried, so the claim is graded on the rate that "
                            "keeps epoch 5 furthest below its ceiling."))


def right_parts(protocol: Mapping | None = None) -> Finding:
    """C14 'though its prediction is wrong, the model attends to the right parts, and would probably get it right
    later': every run of the protocol at its chosen learning rate, the images wrong after the early epoch against
    those right, the churn baseline, class by class."""
    if not protocol or not _chosen(protocol):
        return Finding("C14", "", None, None, *c14_right_parts(), setting=FINE_TUNING)
    runs = [misclassified(run, list(ARRANGEMENT_LABELS)) for run in _chosen(protocol)]
    verdict, why = c14_right_parts(runs)
    worst = []
    for m in runs:
        label, (count, share) = min(m.by_class.items(), key=lambda item: item[1][1])
        worst.append(f"seed {m.seed}: {label} ({count} wrong, {share:.0%} right later)")
    vit = "; ".join(f"seed {m.seed}: {m.wrong:,} wrong after epoch 1, {m.fixed_later.value:.0%} right at the end "
                    f"(churn baseline {m.broken_later.value:.0%})" for m in runs)
    return Finding("C14", _protocol_measurement(protocol), None, vit, verdict, why,
                   "findings/arrangement_fine_tuning.png", setting=FINE_TUNING,
                   context=("The wrong images' maps are on the object about as much as the right images' are: the "
                            "attention was learned before fine-tuning (the toy ViT), while the new head had yet to learn "
                            "which class is which. The class each run fixes least often: " + "; ".join(worst) + "."))

