"""Verdicts on the homework's claims, computed from measured numbers: one pure function per claim.

Every function returns (verdict, why). Verdicts are exactly VERDICTS. Numbers measured over many images arrive as
95% intervals (lab.statistics.Interval): Wilson for shares of images, normal approximation for means, pooled over
training runs where there are several. Where two numbers are compared, "clearly" means their intervals do not
overlap. A verdict that reads a model's behaviour first checks that the model learned its task (Competence, gate).
The claim list (lab.claim_list) states each rule in words from the constants below.
"""
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from lab.fine_tuning import Misclassified, Trend
from lab.statistics import Interval, pooled_over_runs
from lab.theory import mha_parameters

if TYPE_CHECKING:  # only named in signatures
    from lab.attention_cost import AttentionCost
    from lab.window_crossing import WindowCrossing

Verdict = Literal["holds", "partly", "does not hold", "not testable here"]
VERDICTS: tuple[Verdict, ...] = ("holds", "partly", "does not hold", "not testable here")
Result = tuple[Verdict, str]

CLEARLY_FEWER = 1.25
"""C1: the ViT/CNN parameter ratio at or above which the CNN clearly needs fewer parameters."""
CONTENT_VARIATION = 0.25
"""C2: the across-image coefficient of variation of the ViT's attention to a fixed patch position (averaged over
positions) at or above which its attention counts as content-dependent; fixed filters give 0."""
LOCAL, GLOBAL = 0.15, 0.30
"""C3: mean interaction distance, as a fraction of the image side, below which a depth looks locally and at or
above which it looks globally (uniform attention over the image: about 0.52)."""
INVARIANT, NOT_INVARIANT = 0.90, 0.75
"""C5, C6: a model is invariant to a change when the low end of its top-1-kept interval reaches INVARIANT, and
clearly not invariant when the high end stays below NOT_INVARIANT; in between, partly."""
STILL_FACE, STILL_FACE_PARTLY = 0.80, 0.50
"""C7: share of moved-part faces still called a face at or above which the claim holds (partly)."""
NOT_FACE, NOT_FACE_PARTLY = 0.20, 0.50
"""C8, C9: share of the homework's faces called a face at or below which 'will not call it a face' holds (partly)."""
HOMEWORK_MHA = {"heads": 3, "query_features": 20, "key_features": 10, "value_features": 30, "per_head": 100,
                "out": 50}
HOMEWORK_MHA_TOTAL = 33_000  # 18,000 for the heads + 15,000 for W_o
"""C10: question 3's attention and the homework's count (see lab.theory's docstring for the reading)."""
QUADRATIC_BAND, LINEAR_BAND = (1.9, 2.1), (0.9, 1.1)
"""C11: a counted cost grows quadratically in the tokens when its fitted exponent's whole 95% interval lies inside
QUADRATIC_BAND, linearly when inside LINEAR_BAND (set before the measurement the verdict reads)."""
GLOBAL_MODEL, WINDOWED_MODEL = "DeiT-S", "Swin-T"
"""C11: the model with global MSA and the one with W-MSA (lab.attention_cost.MODELS)."""
SWIN_MISSING = ("needs the Swin measurement (findings/swin_cost.json, findings/swin_reach.json, written by "
                "`python -m findings.swin`); not run yet")
MOST = 0.5
"""C14: 'most' of the misclassified images become right later: a share above this."""
CLAIMED_EPOCHS = 5
"""C13, C14: the homework's fine-tuning stopped after this many epochs."""
FINE_TUNING_MISSING = ("needs the homework's protocol on our data (pretrained ViT fine-tuned for 5 epochs, then "
                       "trained on), which the fine-tuning run of the arrangement issue supplies; not run yet")
HOMEWORK_GATE = 0.95
"""Held-out test accuracy a model needs before its behaviour grades a claim in the homework's setting."""
MECHANISM_GATE = 0.90
"""Face-vs-jumbled accuracy a model of the arrangement experiment needs before it grades a mechanism line."""
GATED_ON = ("the point estimate (its 95% interval is quoted beside it): the gate asks whether the model learned its "
            "task, and a competent model measured on few images should not fail it for the width of its interval")
"""How a gate reads a model's accuracy."""
UNSTABLE = "unstable across training runs"
"""What a verdict says when its training runs grade the claim differently."""
RESIDUAL_MISSING = ("needs the seed's ViT trained with and without its residual connections (findings/residual.json); "
                    "not run yet")
SWIN_PAPER = ("Liu et al. 2021 (Swin Transformer, ICCV; arXiv 2103.14030, abstract) report ImageNet-1K top-1 87.3% "
              "(Swin-L, pretrained on ImageNet-22K), COCO test-dev 58.7 box AP and 51.1 mask AP, ADE20K val 53.5 mIoU, "
              "+2.7 box AP, +2.6 mask AP and +3.2 mIoU over the previous best; their ablation of the shifted windows "
              "themselves (section 4.4, Table 4: Swin-T with and without shifting) is the direct evidence for SW-MSA, "
              "and we quote its numbers as +1.1 top-1, +2.8 box AP / +2.2 mask AP and +2.8 mIoU with shifting, as "
              "we read them; only the abstract's numbers could be checked against a stored copy here")
"""C12b: the paper's numbers, quoted as the paper's."""


@dataclass(frozen=True)
class Competence:
    """How well a model learned the task a verdict reads it on, against the gate for that task."""
    model: str  # which model: "the toy CNN (seed 0)"
    task: str  # what it had to learn, measured on held-out images: "the toy world's ten classes"
    accuracy: Interval
    gate: float

    @property
    def passes(self) -> bool:
        """The point estimate reaches the gate (GATED_ON)."""
        return self.accuracy.value >= self.gate

    def accuracy_text(self) -> str:
        """The accuracy to a tenth of a point, so that 94.9% never reads as the 95% gate."""
        value, low, high = self.accuracy
        return f"{value:.1%} [{low:.1%}–{high:.1%}]"

    def describe(self) -> str:
        return f"{self.model}: {self.accuracy_text()} on {self.task} (gate {self.gate:.0%})"


def gate(competences: Sequence[Competence]) -> Result | None:
    """'not testable here' naming every model below its gate, or None when all learned their tasks."""
    failing = [c for c in competences if not c.passes]
    if not failing:
        return None
    return "not testable here", "; ".join(f"{c.model} did not learn {c.task} ({c.accuracy_text()}, below the "
                                          f"{c.gate:.0%} gate)" for c in failing)


def across_runs(pooled: Result, runs: Sequence[Result]) -> Result:
    """The pooled verdict, unless the training runs grade the claim differently: then 'partly', its why starting
    with UNSTABLE (see unstable())."""
    verdict, why = pooled
    graded = [v for v, _ in runs]
    if len(set(graded)) <= 1:
        return pooled
    return "partly", (f"{UNSTABLE}: the {len(runs)} runs grade it " + ", ".join(f"'{v}'" for v in graded)
                      + f"; pooled, it would be '{verdict}': {why}")


def unstable(result: Result) -> bool:
    """Whether a verdict is 'partly' because its training runs disagree (across_runs)."""
    return result[0] == "partly" and result[1].startswith(UNSTABLE)


def format_share(interval: Interval, brief: bool = False) -> str:
    """A share with its 95% interval: '50% (95% CI 45%–55%)' in prose, '50% [45%–55%]' brief (in tables)."""
    value, low, high = interval
    return f"{value:.0%} [{low:.0%}–{high:.0%}]" if brief else f"{value:.0%} (95% CI {low:.0%}–{high:.0%})"


def format_number(interval: Interval, brief: bool = False) -> str:
    """A number with its 95% interval, to three decimals; brief in tables as format_share."""
    value, low, high = interval
    return f"{value:.3f} [{low:.3f}–{high:.3f}]" if brief else f"{value:.3f} (95% CI {low:.3f}–{high:.3f})"


def _graded(value: float, holds: float, partly: float, higher_holds: bool = True) -> Verdict:
    """'holds' at or past `holds`, 'partly' at or past `partly`, else 'does not hold', in the claim's direction."""
    if not higher_holds:
        value, holds, partly = -value, -holds, -partly
    return "holds" if value >= holds else "partly" if value >= partly else "does not hold"


def c1_fewer_parameters(cnn_parameters: int, vit_parameters: int, width: int, kernel: int = 3) -> Result:
    """C1 'filters are shared, therefore a CNN needs fewer parameters than attention'.

    Two checks, because the claim gives a reason. The conclusion: the pair's parameter counts, which is fair only
    for a pair built for the same task at similar accuracy (the caller's pair). The reason: at the same width C a
    k × k convolution C→C has k²C² weights and multi-head attention 4C² (W_q, W_k, W_v, W_o), and both are shared
    by every position, so sharing favours the convolution only when k²C² < 4C². Holds when the CNN has clearly
    fewer parameters (ViT/CNN ≥ CLEARLY_FEWER) for that reason; partly when it has fewer but only slightly or for
    another reason; does not hold when it has as many or more.
    """
    ratio = vit_parameters / cnn_parameters
    convolution, attention = kernel ** 2 * width ** 2, 4 * width ** 2
    reason = convolution < attention
    counts = f"CNN {cnn_parameters:,} parameters, ViT {vit_parameters:,} (ViT/CNN = {ratio:.2f})"
    layers = (f"at width C = {width} a {kernel}×{kernel} convolution has {kernel ** 2}C² = {convolution:,} weights "
              f"and an attention layer 4C² = {attention:,}, both shared by every position")
    if ratio <= 1:
        return "does not hold", f"{counts}: the CNN has as many parameters or more; {layers}."
    if not reason:
        return "partly", (f"{counts}: the CNN has fewer, but not because its filters are shared: {layers}, so "
                          "sharing does not favour the convolution; the difference lies in the rest of the design "
                          "(depth, widths).")
    if ratio < CLEARLY_FEWER:
        return "partly", f"{counts}: the ViT has less than {CLEARLY_FEWER - 1:.0%} more; {layers}."
    return "holds", f"{counts}: the CNN has clearly fewer, and {layers}."


@dataclass(frozen=True)
class RegionShares:
    """A map's share of mass on the object and on the image's outer border band (intervals over images), and the
    shares of the area those regions cover (means over the same images)."""
    object: Interval
    border: Interval
    object_area: float
    border_area: float

    def on_object(self) -> bool:
        """Clearly more mass on the object than its share of the area."""
        return self.object.low > self.object_area

    def off_border(self) -> bool:
        """Clearly less mass on the border band than its share of the area."""
        return self.border.high < self.border_area

    def describe(self, brief: bool = False) -> str:
        if brief:
            return (f"object {format_share(self.object, brief)} of the mass (area {self.object_area:.0%}), border "
                    f"band {format_share(self.border, brief)} (area {self.border_area:.0%})")
        return (f"object {format_share(self.object)} of the mass on {self.object_area:.0%} of the area, border band "
                f"{format_share(self.border)} on {self.border_area:.0%}")


def c2_learns_where_to_look(vit: RegionShares, cnn: RegionShares, vit_content_variation: float) -> Result:
    """C2 'a CNN looks at every region alike whatever its content; attention learns which parts to attend to'.

    `vit`: the ViT's class-token attention (last layer or rollout); `cnn`: the CNN's Grad-CAM on the same images;
    `vit_content_variation`: how much the ViT's attention to a fixed patch position varies across images (the CNN's
    filters are the same for every image by construction). Holds when the ViT's attention is clearly on the object
    beyond its area, clearly off the border band and content-dependent, while the CNN's evidence is not selective.
    Partly when the ViT's attention is on the object but the rest fails, including when the CNN's Grad-CAM is as
    selective (fixed filters still end up using the informative regions, so the contrast is not a difference).
    Does not hold when the ViT's attention is not clearly on the object.
    """
    varies = vit_content_variation >= CONTENT_VARIATION
    facts = (f"ViT: {vit.describe()}, attention to a fixed position varies by {vit_content_variation:.2f} across "
             f"images (content-dependent from {CONTENT_VARIATION}); CNN Grad-CAM: {cnn.describe()}")
    if not vit.on_object():
        return "does not hold", f"{facts}. The ViT's attention is not clearly on the object."
    cnn_selective = cnn.on_object() and cnn.off_border()
    if vit.off_border() and varies and not cnn_selective:
        return "holds", f"{facts}. The ViT attends to the object and avoids the border; the CNN's evidence does not."
    missing = [text for text, failed in (("the ViT does not clearly avoid the border", not vit.off_border()),
                                         ("its attention barely depends on the image", not varies),
                                         ("the CNN's Grad-CAM is as selective, so the CNN also ends up using the "
                                          "informative regions", cnn_selective)) if failed]
    return "partly", f"{facts}. The ViT attends to the object, but " + "; ".join(missing) + "."


def c3_local_vs_global(cnn: Sequence[Interval], vit: Sequence[Interval]) -> Result:
    """C3 'a CNN looks locally; in attention every pixel relates to every other (a global view)'.

    Per depth, shallowest first, the like-with-like effective-receptive-field distance of each model as a fraction
    of the image side. Holds when the CNN's first depth is local (< LOCAL) and grows clearly by its last depth while
    the ViT's first depth is already global (≥ GLOBAL); partly when the ViT's first depth merely looks clearly
    farther than the CNN's; does not hold otherwise.
    """
    cnn_local = cnn[0].high < LOCAL
    cnn_grows = cnn[-1].low > cnn[0].high
    vit_global = vit[0].low >= GLOBAL
    vit_farther = vit[0].low > cnn[0].high
    facts = (f"first depth: CNN {format_share(cnn[0])} of the side, ViT {format_share(vit[0])}; last depth: CNN "
             f"{format_share(cnn[-1])}, ViT {format_share(vit[-1])} (local below {LOCAL:.0%}, global from {GLOBAL:.0%})")
    if cnn_local and cnn_grows and vit_global:
        return "holds", f"{facts}: the CNN starts local and widens with depth; the ViT is global from the start."
    if vit_farther:
        missing = [text for text, failed in (("the CNN's first depth is not local", not cnn_local),
                                             ("the CNN's field does not clearly grow", not cnn_grows),
                                             ("the ViT's first depth is not global", not vit_global)) if failed]
        return "partly", f"{facts}: the ViT looks farther from the start, but " + "; ".join(missing) + "."
    return "does not hold", f"{facts}: the ViT's first depth does not look clearly farther than the CNN's."


def c4_interpretability(cnn: Interval, cnn_shuffled: Interval, vit: Interval, vit_shuffled: Interval) -> Result:
    """C4 'a CNN is easier to interpret: its learned filters can be drawn; an attention network's weights say little'.

    Read as: do the first-layer filters have structure a reader can see? The ViT's first layer is a convolution too
    (its patch embedding), the one set of its weights that lives on the image grid. Each argument is the mean over a
    bank's filters of the correlation between adjacent weights, with its 95% interval; `*_shuffled` the same filters
    with their weights in random places. A bank is structured when its interval's low end is above its shuffled
    interval's high end. Holds when the CNN's filters are structured and the ViT's are not; partly when both are but
    the CNN's are clearly smoother (low end above the ViT's high end); does not hold otherwise (the CNN's filters show
    no structure, or the ViT's read as well).
    """
    cnn_structured, vit_structured = cnn.low > cnn_shuffled.high, vit.low > vit_shuffled.high
    facts = (f"adjacent weights correlate by {format_number(cnn)} in the CNN's first-layer filters (shuffled: "
             f"{format_number(cnn_shuffled)}) and by {format_number(vit)} in the ViT's patch-embedding filters "
             f"(shuffled: {format_number(vit_shuffled)})")
    if cnn_structured and not vit_structured:
        return "holds", f"{facts}: the CNN's filters have clear spatial structure, the ViT's none beyond noise."
    if cnn_structured and cnn.low > vit.high:
        return "partly", f"{facts}: both have spatial structure, the CNN's clearly more."
    if not cnn_structured:
        also = "; the ViT's are structured" if vit_structured else ""
        return "does not hold", (f"{facts}: the CNN's filters show no structure beyond their weights in random "
                                 f"places{also}.")
    return "does not hold", f"{facts}: the ViT's first layer is as structured as the CNN's."


def _kept(name: str, interval: Interval | None) -> str:
    return f"; {name} keeps its top-1 on {format_share(interval)}" if interval is not None else ""


def c5_rotation(cnn_kept: Interval, vit_kept: Interval | None = None) -> Result:
    """C5 'a CNN is not rotation-invariant': share of rotated images (15°–345°) whose top-1 stays the unrotated one.

    Holds when the high end stays below NOT_INVARIANT, does not hold when the low end reaches INVARIANT, partly
    in between. The ViT's share, if given, is reported for comparison.
    """
    facts = f"rotated 15°–345°, the CNN keeps its top-1 on {format_share(cnn_kept)}" + _kept("the ViT", vit_kept)
    if cnn_kept.high < NOT_INVARIANT:
        return "holds", f"{facts}: clearly below {NOT_INVARIANT:.0%}, the CNN is not rotation-invariant."
    if cnn_kept.low >= INVARIANT:
        return "does not hold", f"{facts}: at least {INVARIANT:.0%}, the CNN behaves as rotation-invariant."
    return "partly", f"{facts}: between clearly variant (< {NOT_INVARIANT:.0%}) and invariant (≥ {INVARIANT:.0%})."


def c6_translation(cnn_kept: Interval, vit_kept: Interval | None = None) -> Result:
    """C6 'a CNN is translation-invariant': share of shifted images whose top-1 stays the unshifted one.

    Holds when the low end reaches INVARIANT, does not hold when the high end stays below NOT_INVARIANT, partly
    in between. The ViT's share, if given, is reported for comparison.
    """
    facts = f"shifted, the CNN keeps its top-1 on {format_share(cnn_kept)}" + _kept("the ViT", vit_kept)
    if cnn_kept.low >= INVARIANT:
        return "holds", f"{facts}: at least {INVARIANT:.0%}, the CNN is translation-invariant."
    if cnn_kept.high < NOT_INVARIANT:
        return "does not hold", f"{facts}: clearly below {NOT_INVARIANT:.0%}."
    return "partly", f"{facts}: between clearly variant (< {NOT_INVARIANT:.0%}) and invariant (≥ {INVARIANT:.0%})."


def c7_moved_parts(cnn_moved: Interval, without_pooling: Interval | None = None) -> Result:
    """C7 'pooling loses the relations between parts', so moved parts alone do not stop a CNN calling a face a face.

    `cnn_moved`: share of faces with parts displaced (not rotated) that the CNN calls a face; `without_pooling`: the
    same for the arrangement issue's CNN without global pooling, if run. Holds at or above STILL_FACE, partly at or
    above STILL_FACE_PARTLY, else does not hold; a holding verdict drops to partly when the CNN without pooling
    does not call clearly fewer of them a face (then pooling is not what loses the arrangement).
    """
    verdict = _graded(cnn_moved.value, STILL_FACE, STILL_FACE_PARTLY)
    why = f"the CNN calls {format_share(cnn_moved)} of the faces with moved parts a face"
    if without_pooling is not None:
        why += f"; without global pooling, {format_share(without_pooling)}"
        if verdict == "holds" and not without_pooling.high < cnn_moved.low:
            return "partly", why + ": the arrangement is lost without pooling too, so pooling is not the cause."
    return verdict, why + f" (holds from {STILL_FACE:.0%}, partly from {STILL_FACE_PARTLY:.0%})."


def _will_not_call_it_a_face(model: str, homework: Interval, rotated_only: Interval | None,
                             rotation_is_the_reason: bool) -> Result:
    """Shared by C8 and C9: graded on the homework's picture, with the rotated-only variant reported; where the
    homework gives the rotation as the reason (C8), it tests that reason. The why ends without a full stop."""
    verdict = _graded(homework.value, NOT_FACE, NOT_FACE_PARTLY, higher_holds=False)
    why = (f"the {model} calls {format_share(homework)} of the homework's faces a face (holds at or below {NOT_FACE:.0%}, "
           f"partly at or below {NOT_FACE_PARTLY:.0%})")
    if rotated_only is None:
        return verdict, why
    rotated_verdict = _graded(rotated_only.value, NOT_FACE, NOT_FACE_PARTLY, higher_holds=False)
    why += f"; with only lips and nose rotated, {format_share(rotated_only)} (alone, that grades '{rotated_verdict}')"
    if rotation_is_the_reason and verdict == "holds" and rotated_verdict == "does not hold":
        return "partly", why + ": it rejects the picture, but not because of the rotated parts"
    return verdict, why


def c8_homework_face_cnn(homework: Interval, rotated_only: Interval | None = None) -> Result:
    """C8 'the CNN will NOT call the homework's picture a face (its lips and nose are rotated)'.

    `homework`: share of the homework's faces (eyes and brows moved, lips and nose rotated) the CNN calls a face;
    `rotated_only`: the same with only lips and nose rotated. Holds at or below NOT_FACE, partly at or below
    NOT_FACE_PARTLY, else does not hold (so a CNN calling 98% of them a face does not bear the claim out); a holding
    verdict drops to partly when the rotated-only faces are still called faces (> NOT_FACE_PARTLY).
    """
    verdict, why = _will_not_call_it_a_face("CNN", homework, rotated_only, rotation_is_the_reason=True)
    return verdict, why + "."


def c9_homework_face_vit(homework: Interval, rotated_only: Interval | None = None,
                         without_position: Interval | None = None) -> Result:
    """C9 'the attention network will not call that picture a face either: position embeddings teach it relations'.

    Graded as C8 on the homework's faces, for the ViT; the rotated-only share is reported, not used: the homework's
    reason here is the arrangement, not the rotation. `without_position`: the share for the arrangement issue's ViT
    trained without position embeddings, if run. A holding verdict drops to partly when that ablation does not call
    clearly more of them a face (then position embeddings are not what makes the ViT reject the picture).
    """
    verdict, why = _will_not_call_it_a_face("ViT", homework, rotated_only, rotation_is_the_reason=False)
    if without_position is None:
        return verdict, why + "."
    why += f"; without position embeddings, {format_share(without_position)}"
    if verdict == "holds" and not without_position.low > homework.high:
        return "partly", why + ": not clearly more, so position embeddings are not the reason."
    return verdict, why + "."


def c10_mha_count(claimed_total: int = HOMEWORK_MHA_TOTAL) -> Result:
    """C10 'question 3's multi-head attention has 18,000 + 15,000 = 33,000 weights' (the total reconstructed from a
    garbled line): holds iff lab.theory's count equals it."""
    spec = HOMEWORK_MHA
    counts = mha_parameters(spec["heads"], spec["query_features"], spec["per_head"], spec["per_head"], spec["out"],
                            key_input=spec["key_features"], value_input=spec["value_features"])
    facts = (f"3 heads × (100×20 + 100×10 + 100×30) = {counts['heads']:,} for the heads, 3 × 100 × 50 = "
             f"{counts['W_o']:,} for W_o, {counts['total']:,} in all (no biases; the sequence length does not "
             f"enter); the homework's working is garbled: its 18,000 and 15,000 are legible, its total is not, and "
             f"{claimed_total:,} is our reconstruction of it")
    return ("holds" if counts["total"] == claimed_total else "does not hold"), facts + "."


def _inside(exponent: Interval | None, band: tuple[float, float]) -> bool:
    return exponent is not None and band[0] <= exponent.low and exponent.high <= band[1]


def _exponent(name: str, measured: Interval, predicted: Interval | None) -> str:
    text = f"{name} tokens^{measured.value:.3f} [{measured.low:.3f}, {measured.high:.3f}]"
    return text if predicted is None else f"{text} (2Ω predicts {predicted.value:.3f})"


def c11_attention_cost(cost: "AttentionCost | None") -> Result:
    """C11 'Ω(MSA) = 4hwC² + 2(hw)²C is quadratic in the tokens, Ω(W-MSA) = 4hwC² + 2M²hwC linear for fixed M',
    read on models (lab.attention_cost): the growth exponents in tokens of their counted FLOPs.

    The claim's quadratic term is the attention's token mixing (QKᵀ and AV); the 4hwC² projections are linear in
    both. Holds when the global model's (GLOBAL_MODEL) mixing grows quadratically and the windowed model's
    (WINDOWED_MODEL) attention layers grow linearly, mixing and all (exponent intervals inside QUADRATIC_BAND,
    LINEAR_BAND); partly when only one model does as claimed; does not hold when neither does.
    """
    if cost is None:
        return "not testable here", SWIN_MISSING
    deit, swin_t = cost.model(GLOBAL_MODEL), cost.model(WINDOWED_MODEL)
    quadratic = _inside(deit.mixing_exponent, QUADRATIC_BAND)
    linear = _inside(swin_t.mixing_exponent, LINEAR_BAND) and _inside(swin_t.attention_exponent, LINEAR_BAND)
    facts = (f"counted at {', '.join(map(str, cost.resolutions))} px: token mixing (QKᵀ, AV) "
             f"{_exponent(deit.name, deit.mixing_exponent, deit.predicted_mixing_exponent)}, "
             f"{_exponent(swin_t.name, swin_t.mixing_exponent, swin_t.predicted_mixing_exponent)}; whole attention "
             f"layers {_exponent(deit.name, deit.attention_exponent, deit.predicted_exponent)}, "
             f"{_exponent(swin_t.name, swin_t.attention_exponent, swin_t.predicted_exponent)}")
    if quadratic and linear:
        return "holds", (f"{facts}: global attention's mixing is quadratic, windowed attention linear. Global "
                         "attention's whole layers grow slower than quadratically here because their linear "
                         f"projections (4hwC²) outweigh the mixing until hw = 2C = {2 * 384} tokens, as Ω itself "
                         "predicts over the same tokens.")
    if quadratic or linear:
        return "partly", f"{facts}: only {'global' if quadratic else 'windowed'} attention grows as claimed."
    return "does not hold", f"{facts}: neither grows as claimed."


def c12_window_reach(crossing: "WindowCrossing | None") -> Result:
    """C12 'no information passes between W-MSA windows; shifted windows connect neighbours across them', read on
    timm's Swin-T (lab.window_crossing): the traced reach of stage-1 tokens after its W-MSA block and its SW-MSA block.

    Holds when after the W-MSA block no traced token reaches outside its window and after the SW-MSA block some do;
    partly when only one of the two is true; does not hold when neither is. lab.reach's idealised count is the
    prediction beside it.
    """
    if crossing is None:
        return "not testable here", SWIN_MISSING
    n = len(crossing.tokens)
    isolated, connects = crossing.crossed(1) == 0, crossing.crossed(2) > 0
    facts = (f"of {n:,} stage-1 tokens of Swin-T traced at {crossing.image_size} px ({crossing.side}×{crossing.side} "
             f"tokens, {crossing.window}×{crossing.window} windows), {crossing.crossed(1):,} reach outside their "
             f"W-MSA window after the W-MSA block and {crossing.crossed(2):,} ({crossing.crossed(2) / n:.1%}) after the "
             f"SW-MSA block (predicted: {crossing.predicted_crossed(1):,} and {crossing.predicted_crossed(2):,}); "
             f"{crossing.as_predicted:,} of {n:,} traced reaches are the predicted patches, patch for patch, at both "
             "depths")
    verdict: Verdict = "holds" if isolated and connects else "partly" if isolated or connects else "does not hold"
    return verdict, facts + "."


def c13_underfit(trends: Sequence[Trend] | None = None) -> Result:
    """C13 'after 5 epochs from pretrained weights the ViT is underfit, and more epochs would improve it', on every run
    of the homework's protocol (lab.fine_tuning.trend): holds when on every run the slope of validation accuracy per
    epoch from epoch 5 on is clearly above zero (its interval's low end) and training accuracy was still rising;
    does not hold when on no run the slope is clearly above zero; partly (unstable across training runs) otherwise."""
    if not trends:
        return "not testable here", FINE_TUNING_MISSING
    runs = "; ".join(f"seed {t.seed}: epoch 5 {t.val_at_first:.1%}, best {t.val_best:.1%}, slope "
                     f"{t.slope.value * 100:+.2f} points per epoch [{t.slope.low * 100:+.2f}, "
                     f"{t.slope.high * 100:+.2f}], training accuracy {t.train_at_first:.1%} → {t.train_last:.1%}"
                     for t in trends)
    if all(t.improving and t.still_fitting for t in trends):
        return "holds", (f"on every run validation accuracy kept rising after epoch 5 (the slope's interval is above "
                         f"zero) while the model still fitted its training data better: underfit at epoch 5. {runs}.")
    if not any(t.improving for t in trends):
        return "does not hold", (f"on no run did validation accuracy clearly rise after epoch 5 (every slope's "
                                 f"interval reaches zero): more epochs did not help. {runs}.")
    return "partly", f"{UNSTABLE}: the runs disagree. {runs}."


def c14_right_parts(runs: Sequence[Misclassified] | None = None) -> Result:
    """C14 'though its prediction is wrong, the model attends to the right parts, and would probably get it right
    later', on every run of the protocol (lab.fine_tuning.misclassified): holds when on every run the Chefer maps of
    the images misclassified after the early epoch put clearly more mass on the object than its area, and clearly
    most of them (above MOST) are right at the end, clearly more often than right images turn wrong (the churn
    baseline); does not hold when on no run their maps are clearly on the object; partly otherwise."""
    if not runs:
        return "not testable here", FINE_TUNING_MISSING
    text = "; ".join(
        f"seed {m.seed}: {m.wrong:,} wrong after the early epoch, their Chefer mass on the object exceeds its area by "
        f"{format_number(m.excess_wrong)} (the right images': {format_number(m.excess_right)}); right at the end "
        f"{format_share(m.fixed_later)}, while {format_share(m.broken_later)} of the right ones turned wrong"
        for m in runs)
    on_object = [m.excess_wrong.low > 0 for m in runs]
    fixed = [m.fixed_later.low > MOST and m.fixed_later.low > m.broken_later.high for m in runs]
    if all(on_object) and all(fixed):
        return "holds", (f"on every run the misclassified images' maps were on the object, and clearly most of them "
                         f"were right later, far more often than right images turned wrong. {text}.")
    if not any(on_object):
        return "does not hold", f"on no run were the misclassified images' maps clearly on the object. {text}."
    return "partly", f"{UNSTABLE}, or only one half of the claim holds on a run: {text}."


def c2b_channel_and_space() -> Result:
    """C2b 'a CNN's filter runs over width and height; some attention methods work over channels and space'."""
    return "not testable here", (
        "a statement about how kinds of layer are defined, true by construction for the convolution (its kernel "
        "slides over height and width and mixes every channel at each step), and about attention methods that no "
        "model here has: channel attention (squeeze-and-excitation, Hu et al. 2018; CBAM, Woo et al. 2018, which "
        "adds spatial attention) is in neither pair, and the seed's ViT attends only between positions (tokens)")


def c10b_why_shifted_windows() -> Result:
    """C10b 'large variation in the scale of visual entities and high pixel resolution are why shifted windows were
    introduced' (Part 4(a))."""
    return "not testable here", (
        "a statement of Swin's motivation (Liu et al. 2021, section 1); testing it needs tasks with objects at many "
        "scales and high-resolution images (detection, segmentation) and Swin models with and without shifted "
        "windows, none of which this project has. C11 measures the cost side: global attention's token mixing "
        "grows quadratically with the number of patches, so with the resolution (its whole layers only approach that "
        "once the patches outnumber twice the width)")


def c12b_swin_is_effective() -> Result:
    """C12b 'SW-MSA makes Swin effective for image classification, object detection and semantic segmentation'."""
    return "not testable here", (
        "not measured here (no ImageNet validation set, no detection or segmentation data or models, no Swin "
        f"trained without shifting); the paper's numbers, quoted as the paper's: {SWIN_PAPER}")


def _residual_grade(with_residual: Interval, without_residual: Interval) -> Verdict:
    if with_residual.low > without_residual.high:
        return "holds"
    return "partly" if with_residual.value > without_residual.value else "does not hold"


def c12c_residual(runs: Sequence[Mapping] | None = None) -> Result:
    """C12c 'the block adds its input back to the attention's output so that earlier values are not forgotten'.

    `runs`: findings/residual.json's runs, each {"seed", "with_residual": {"test_accuracy": [v, lo, hi]},
    "without_residual": {...}, "steps"}. The seed's ViT with its residual connections must learn the toy task
    (HOMEWORK_GATE). Holds when, pooled over the runs, it is clearly more accurate than without them (intervals
    apart); partly when higher but within the intervals; does not hold otherwise; partly and unstable when the
    runs disagree.
    """
    if not runs:
        return "not testable here", RESIDUAL_MISSING
    with_it = [Interval(*run["with_residual"]["test_accuracy"]) for run in runs]
    without = [Interval(*run["without_residual"]["test_accuracy"]) for run in runs]
    refused = gate([Competence(f"the seed's ViT with residuals (seed {run['seed']})",
                               "the toy world's ten classes", accuracy, HOMEWORK_GATE)
                    for run, accuracy in zip(runs, with_it)])
    if refused:
        return refused
    pooled_with, pooled_without = pooled_over_runs(with_it), pooled_over_runs(without)
    each = [(_residual_grade(a, b), f"seed {run['seed']}: {format_share(a, brief=True)} with, "
                                    f"{format_share(b, brief=True)} without")
            for run, a, b in zip(runs, with_it, without)]
    facts = (f"held-out test accuracy pooled over {len(runs)} training run{'s' if len(runs) != 1 else ''}: "
             f"{format_share(pooled_with)} with the residual connections, {format_share(pooled_without)} without "
             f"({'; '.join(text for _, text in each)})")
    verdict = _residual_grade(pooled_with, pooled_without)
    reason = {"holds": ": clearly better with them", "partly": ": higher with them, but within the intervals",
              "does not hold": ": not better with them"}[verdict]
    return across_runs((verdict, facts + reason + "."), each)
