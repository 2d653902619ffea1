"""What the Inside, Invariance lab and Theory panels compute, as plain functions of the request: the app wires them,
tests call them. The Compare panel and the maps' numbers are in ui.explanations."""
import functools

import gradio as gr
import spaces

from explain.analysis_cache import effective_locations
from explain.attention import cls_attention
from explain.distance import mean_attention_distance
from explain.features import feature_grid
from explain.normalise import scale_to_unit
from explain.overlay import overlay
from explain.passes import CNN_STAGES
from explain.receptive_field import cnn_receptive_fields
from figures.theme import VIT_NAME
from lab import swin
from lab.picasso import PicassoScores, picasso_variants, run_picasso
from findings.results import face_rates, load_results
from lab.reach import reach
from lab.sweeps import SWEEPS, ImageSweep, run_sweep, sweep_images
from lab.theory import flop_breakdown, mha_parameters, parameter_breakdown, time_attention
from models import load_pair
from models.inference import top_k
from figures.reach import reach_figure
from figures.explanations import attention_grid_figure, looking_distance_figure
from figures.picasso import picasso_figure
from figures.sweeps import strip_image, sweep_figure
from figures.theory import complexity_figure, parameter_figure
from figures.filters import filters_figure, position_similarity_figure
from lab.filters import cnn_filters, first_conv, learned_positions, patch_filters, position_similarity, \
    principal_components
from models.position import sincos_2d
from images.decode import load_image
from runtime.messages import Message, UserError
from runtime.precision import precision
from ui.gpu import LONG, QUICK
from ui.requests import get_pair, image_analysis, user_errors
from ui.strings import number, text, translated

MAX_TOP_K = 20
_REPORT = load_results()  # the findings report's numbers: read once, never recomputed per click
_FACE_RATES = face_rates(_REPORT)
DEFAULT_FACE_SEED = _FACE_RATES.typical_seed if _FACE_RATES else 0
"""A held-out face whose outcome on the homework's scramble is the typical one (the report picks it), else 0."""

@spaces.GPU(duration=QUICK)
@user_errors
def predict(image, pair: str, top_k_classes: int = 5) -> dict:
    """Classify one image with both models of a pair, a CNN and a Vision Transformer: each model's top classes.

    Args:
        image: the image, as an http(s) URL of a PNG, JPEG, GIF, BMP, TIFF, WebP or ICO file (at most 20 MB).
        pair: the models: "toy" (10 toy-world classes) or an ImageNet-1k pair (1000 classes).
        top_k_classes: how many classes to list for each model, 1 to 20.

    Returns:
        "cnn" and "vit": each model's top classes, highest first, as {"label", "score"}
        "score": the model's softmax probability of that class, 0 to 1 (a model's scores over all classes sum to 1)
        "pair": the pair that answered; "precision": the arithmetic the models ran at (fp32, bf16 or fp16)
    """
    k = int(top_k_classes)
    if not 1 <= k <= MAX_TOP_K:
        raise UserError("top_k_range", most=MAX_TOP_K, got=top_k_classes)
    a = image_analysis(image, pair)
    return {"pair": pair, "cnn": top_k(a.cnn.probs, a.pair.labels, k), "vit": top_k(a.vit.probs, a.pair.labels, k),
            "precision": precision()}


@spaces.GPU(duration=QUICK)
@user_errors
def inside(image, pair: str, stage: str = "layer1", layer: int = 1):
    """CNN feature maps of one stage and the ViT's CLS attention per layer × head (layer 1-based)."""
    if stage not in CNN_STAGES:
        raise UserError("unknown_stage", stages=", ".join(CNN_STAGES), stage=stage)
    a = image_analysis(image, pair)
    layers = len(a.vit.maps)
    if not 1 <= int(layer) <= layers:
        raise UserError("layer_range", layers=layers)
    grid = feature_grid(a.cnn.stages[stage])
    shown = range(layers) if layers <= 6 else sorted({0, layers // 4, layers // 2, 3 * layers // 4, layers - 1,
                                                     int(layer) - 1})
    attention = attention_grid_figure(a.vit.maps, a.image01, layers=list(shown))
    return grid, attention


@spaces.GPU(duration=LONG)
@user_errors
def how_far(image, pair: str, progress=gr.Progress()):
    """How far each looks, like with like: the effective mean distance per depth of both models on this image
    (a backward per depth; seconds on the ImageNet pairs), with attention distance and receptive fields as extras."""
    a = image_analysis(image, pair)
    progress(0.05, desc=translated(Message("measuring_reach")))
    cnn, vit = a.effective_distances
    return looking_distance_figure(cnn, vit, a.pair.input_size, effective_locations(a.pair.input_size),
                                   mean_attention_distance(a.vit.maps, a.pair.vit.patch_size),
                                   _receptive_fields(a.pair.name))


@spaces.GPU(duration=QUICK)
@user_errors
def cls_attention_map(image, pair: str, layer: int, head: int | None):
    """The class token's attention at one layer (1-based) and head (1-based; 0 = mean of heads), overlaid."""
    a = image_analysis(image, pair)
    layers, heads = len(a.vit.maps), a.vit.maps[0].shape[0]
    if not 1 <= int(layer) <= layers or not 0 <= int(head or 0) <= heads:
        raise UserError("layer_head_range", layers=layers, heads=heads)
    heat = cls_attention(a.vit.maps, int(layer) - 1, int(head) - 1 if head else None)
    return overlay(a.image01, scale_to_unit(heat))


@spaces.GPU(duration=QUICK)
@user_errors
def weights_learned(pair: str):
    """What the weights learned (Dosovitskiy et al. 2020, Fig. 7): the CNN's first-layer filters beside the top
    principal components of the ViT's patch-embedding filters; the cosine similarity of the ViT's learned position
    embeddings, and of a fixed 2D sin-cos embedding of the same grid and width for comparison."""
    loaded = get_pair(pair)
    vit = loaded.vit
    conv = first_conv(loaded.cnn.model)
    filters = filters_figure(cnn_filters(loaded.cnn.model), principal_components(patch_filters(vit)),
                             f"first convolution, stride {conv.stride[0]}")
    grid, width = vit.grid_size, vit.encoder.pos_embedding.shape[-1]
    learned = position_similarity_figure(position_similarity(learned_positions(vit)),
                                         f"{VIT_NAME} ({pair}): learned position embeddings, cosine similarity of "
                                         f"each patch's with every other's ({grid}×{grid})")
    fixed = position_similarity_figure(position_similarity(sincos_2d(grid, width)),
                                       f"Fixed 2D sin-cos embedding of the same grid and width ({width}), for "
                                       "comparison")
    return filters, learned, fixed


@functools.lru_cache(maxsize=None)
def _receptive_fields(pair_name: str) -> dict[str, int]:
    return cnn_receptive_fields(load_pair(pair_name).cnn.model)


@spaces.GPU(duration=LONG)
@user_errors
def sweep(image, pair: str, kind: str, progress=gr.Progress()) -> dict:
    """Transform an image step by step (rotate, shift, shuffle or drop patches) and score both models at each step.

    Measures how invariant each model is: how the probability of the class each model predicts on the unmodified
    image changes as the transformation grows (the homework's claims about rotation and translation invariance).

    Args:
        image: the image, as an http(s) URL of a PNG, JPEG, GIF, BMP, TIFF, WebP or ICO file (at most 20 MB).
        pair: the models: "toy" (10 toy-world classes) or an ImageNet-1k pair (1000 classes).
        kind: "rotate" (0-345°), "translate" (±50% of the width), "shuffle" (n × n pieces), "drop" (grey patches).

    Returns:
        "x": the transformation's amount at each step: degrees, fraction of the width, n, or fraction of patches
        "cnn" and "vit": {"score", "top1"} per step; "score": that model's probability (0 to 1) of its class
        "top1": the label the model predicts at each step; "kind": the sweep; "precision": fp32, bf16 or fp16
    """
    return _run_sweep(image, pair, kind, progress)[0].to_json() | {"precision": precision()}


def _run_sweep(image, pair_name: str, kind: str, progress) -> tuple[ImageSweep, list]:
    pair = get_pair(pair_name)
    image01 = pair.transform(load_image(image))
    points = sweep_images(image01, kind, pair.vit.patch_size)
    result = run_sweep(pair, image01, kind, progress=lambda f, desc: progress(f, desc=translated(desc)), images=points)
    return result, points


@spaces.GPU(duration=LONG)
@user_errors
def sweep_panel(image, pair: str, kind: str, progress=gr.Progress()):
    """The sweep plotted (both models on one plot), its transformed images as a strip, and the numbers."""
    result, points = _run_sweep(image, pair, kind, progress)
    spec = SWEEPS[kind]
    strip = strip_image([stack[0] for _, stack in points], [spec.label(x) for x, _ in points])
    return sweep_figure(result), strip, result.to_json() | {"precision": precision()}


@spaces.GPU(duration=QUICK)
@user_errors
def picasso(pair: str, seed: int = 0, progress=gr.Progress()) -> dict:
    """Score "Picasso" faces: a drawn toy face and the same face with its parts moved, rotated or swapped.

    Tests whether a model needs the parts of a face in their places (a CNN is said to need only the parts).

    Args:
        pair: the models: "toy" (10 toy-world classes, among them "face") or an ImageNet-1k pair (1000 classes).
        seed: which toy face to draw (any integer; the same seed always draws the same face).

    Returns:
        "variants": [{"name", "cnn": {"p_target", "top1"}, "vit": {...}}] for "clean" and each scramble
        "p_target": the model's probability (0 to 1) of its class; "top1": the label the model predicts
        "p_jumbled" (the arrangement pair only): the model's probability of "jumbled face"
        "classes": {"cnn", "vit"}: the class each model is scored on; "measure": how it was chosen
        "p_face": the class is face; "p_clean_top1" (pairs without a face): each model's top-1 on the clean face
        "precision": the arithmetic the models ran at (fp32, bf16 or fp16)
    """
    return _run_picasso(pair, seed, progress)[0].to_json() | {"precision": precision()}


def _run_picasso(pair_name: str, seed: int, progress) -> tuple[PicassoScores, list]:
    variants = picasso_variants(int(seed))
    result = run_picasso(get_pair(pair_name), int(seed), progress=lambda f, desc: progress(f, desc=translated(desc)),
                         variants=variants)
    return result, [image for _, image in variants]


@spaces.GPU(duration=QUICK)
@user_errors
def picasso_panel(pair: str, seed: int = DEFAULT_FACE_SEED, progress=gr.Progress()):
    """The Picasso faces with both models' P(face) (else P(clean top-1)), the report's rates over its held-out
    faces beside them (on the pair the report measured), and the numbers."""
    result, images = _run_picasso(pair, seed, progress)
    rates = _FACE_RATES if (_REPORT or {}).get("pair") == pair and result.measure == "p_face" else None
    return picasso_figure(result, images, rates), result.to_json() | {"precision": precision()}


@functools.lru_cache(maxsize=None)
def _breakdowns(pair_name: str) -> tuple[dict, dict, dict, dict]:
    pair = load_pair(pair_name)
    size = pair.input_size
    return (parameter_breakdown(pair.cnn), parameter_breakdown(pair.vit),
            flop_breakdown(pair.cnn, size), flop_breakdown(pair.vit, size))


@spaces.GPU(duration=QUICK)
@user_errors
def theory(pair: str):
    """Where each model's parameters and FLOPs go."""
    get_pair(pair)
    cnn_params, vit_params, cnn_flops, vit_flops = _breakdowns(pair)
    return parameter_figure(cnn_params, vit_params), parameter_figure(cnn_flops, vit_flops, quantity="FLOPs")


@user_errors
def mha_parameter_counts(heads: int, d_model: int, d_k: int, d_v: int, d_out: int, key_input: int = 0,
                         value_input: int = 0, bias: bool = False) -> dict:
    """Count the weights of one multi-head attention layer (the homework's question 3), projection by projection.

    Each head projects queries (d_model features) and keys to d_k and values to d_v; W_o maps the heads' outputs,
    concatenated (heads × d_v), to d_out. The API's defaults are the homework's: 3 heads; queries, keys and values
    with 20, 10 and 30 features; d_k = d_v = 100; d_out = 50.

    Args:
        heads: number of attention heads, 1 or more.
        d_model: features of each query token, 1 or more.
        d_k: size of each head's queries and keys, 1 or more.
        d_v: size of each head's values, 1 or more.
        d_out: output features (W_o's output size), 1 or more.
        key_input: features of each key token; 0 means d_model (self-attention).
        value_input: features of each value token; 0 means d_model (self-attention).
        bias: whether every projection has a bias vector.

    Returns:
        "per_head": {"W_q", "W_k", "W_v"}: the weights (integers) of one head's query, key and value projections
        "heads": all heads' projections together; "W_o": the output projection; "total": the whole layer
        the sequence length does not appear: the same weights serve any number of tokens
    """
    values = [int(v) for v in (heads, d_model, d_k, d_v, d_out)]
    if min(values) < 1 or int(key_input) < 0 or int(value_input) < 0:
        raise UserError("mha_sizes")
    return mha_parameters(*values, bias=bool(bias), key_input=int(key_input) or None,
                          value_input=int(value_input) or None)


@user_errors
def mha_calculator(heads: int, d_model: int, d_k: int, d_v: int, d_out: int, key_input: int = 0,
                   value_input: int = 0, bias: bool = False) -> str:
    """Multi-head attention parameters as a Markdown table (key/value input sizes 0 = d_model: self-attention), in
    the request's language."""
    return mha_table(mha_parameter_counts(heads, d_model, d_k, d_v, d_out, key_input, value_input, bias), int(heads))


def mha_table(counts: dict, heads: int, lang: str | None = None) -> str:
    """mha_parameter_counts' answer as a Markdown table, in `lang` (default: the request's language)."""
    return "\n".join([
        text("mha_table_header", lang), "|---|---:|",
        *(f"| {name} {text('mha_one_head', lang)} | {number(count, ',', lang)} |"
          for name, count in counts["per_head"].items()),
        f"| {text('mha_all_heads', lang, heads=heads)} | {number(counts['heads'], ',', lang)} |",
        f"| W_o | {number(counts['W_o'], ',', lang)} |",
        f"| **{text('mha_total', lang)}** | **{number(counts['total'], ',', lang)}** |", "",
        text("mha_note", lang),
    ])


@user_errors
def complexity(C: int, M: int, measure: bool = True, progress=gr.Progress()):
    """Swin's Ω(MSA) against Ω(W-MSA) by image size, with measured attention timings on this machine."""
    C, M = int(C), int(M)
    if C < 1 or M < 1 or C % 4:
        raise UserError("complexity_sizes")
    sizes = [M * k for k in (1, 2, 4, 8) if M * k <= 64]
    timings = None
    if measure:
        timings = []
        for i, side in enumerate(sizes):
            progress(i / len(sizes), desc=translated(Message("timing_attention", side=side)))
            timings.append(time_attention(side, C, M, heads=4, repeats=3))
    return complexity_figure(C, M, sizes, timings)


REACH_SIDE = swin.SIDE  # Swin-T's first stage: a 224 px image in 4 px patches


@functools.lru_cache(maxsize=8)
def _reach(M: int):
    return reach(side=REACH_SIDE, window=M)


@user_errors
def window_reach(M: int):
    """C12: how many tokens of a 56 × 56 grid can have influenced one token after 1, 2, 4, 8 layers of global
    attention, W-MSA alone, and alternating W-MSA / SW-MSA with M × M windows (counted exactly, not timed)."""
    M = int(M)
    if not 2 <= M <= REACH_SIDE // 2:
        raise UserError("window_range", low=2, high=REACH_SIDE // 2, side=REACH_SIDE)
    return reach_figure(_reach(M))
