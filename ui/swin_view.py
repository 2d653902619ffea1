"""The Theory tab's Swin-T view (the image's windows, one window's attention, a clicked token's traced reach) and
Swin's JSON endpoints (/swin_cost, /swin_reach, /swin_window_attention), as plain functions of the request."""
import threading
from collections import OrderedDict

import gradio as gr
from PIL import Image

from figures.swin import cost_figure, reach_maps_figure, window_attention_figure, windows_figure
from images.decode import load_image
from lab.attention_cost import AttentionCost
from lab.swin_view import (PATCH, REACH_BLOCKS, SwinWindowAttention, check_token,
                           recorded_cost, swin_crop, traced_reach, window_attention)
from lab.window_reach import WindowReach
from models.swin import HUB_CACHE, SwinWeights, load_swin
from runtime.messages import Message, UserError
from ui.requests import user_errors
from ui.strings import language, number, text, translated

REACH_CACHE_SIZE = 64
"""Traced reaches kept, by (weights, token, blocks): each about 30 kB of maps, each a few seconds to trace."""
VIT_WEIGHTS = "random init (DeiT-S's shape, seed 0): one block of global attention reaches every patch whatever the " \
              "weights"

_reaches: OrderedDict[tuple, WindowReach] = OrderedDict()
_reach_lock = threading.Lock()


def weights_markdown(weights: SwinWeights, lang: str | None = None) -> str:
    """Which weights the view shows, in `lang` (default: the request's language)."""
    if weights.source == HUB_CACHE:
        return text("swin_weights_hub", lang, repo=weights.repo)
    return text("swin_weights_random", lang, repo=weights.repo, seed=weights.seed)


def _crop(image) -> Image.Image:
    return swin_crop(load_image(image))


def _reach(weights: SwinWeights, token: tuple[int, int], blocks: tuple[int, ...], progress) -> WindowReach:
    """The traced reach, from the cache when these weights' trace of this token was asked before."""
    key = (weights.key, check_token(token), tuple(sorted({int(b) for b in blocks})))
    with _reach_lock:
        if key in _reaches:
            _reaches.move_to_end(key)
            return _reaches[key]
    progress(0.1, desc=translated(Message("swin_tracing")))
    result = traced_reach(weights, key[1], key[2])
    with _reach_lock:
        _reaches[key] = result
        while len(_reaches) > REACH_CACHE_SIZE:
            _reaches.popitem(last=False)
    return result


def _where(result: SwinWindowAttention, lang: str | None = None) -> str:
    if result.wrapped:
        return text("swin_where_wrapped", lang, masked=int(result.masked.sum()), keys=len(result.keys))
    if result.shift:
        return text("swin_where_shifted", lang)
    return text("swin_where_regular", lang)


def attention_markdown(result: SwinWindowAttention, weights: SwinWeights, lang: str | None = None) -> str:
    """The weights, and which window the token attends in, in `lang` (default: the request's language)."""
    line = text("swin_window_line", lang, stage=result.stage, block=result.block, head=result.head,
                row=result.query[0], column=result.query[1], side=result.side, where=_where(result, lang),
                keys=len(result.keys), largest=float(result.probabilities.max()))
    return f"{weights_markdown(weights, lang)}\n\n{line}"


def reach_markdown(result: WindowReach, weights: SwinWeights, lang: str | None = None) -> str:
    """The weights, and the traced counts beside the predicted ones and the ViT's, in `lang`."""
    def listed(values) -> str:
        return ("، " if (lang or language()) == "fa" else ", ").join(number(v, ",", lang) for v in values)

    counts = result.counts
    line = text("swin_reach_line", lang, row=result.token[0], column=result.token[1], counts=listed(counts["traced"]),
                blocks=listed(result.blocks), predicted=listed(counts["predicted"]), vit=int(result.vit_traced.sum()),
                vit_total=result.vit_traced.size)
    return f"{weights_markdown(weights, lang)}\n\n{line}"


@user_errors
def select_token(evt: gr.SelectData) -> tuple[int, int]:
    """The stage-1 patch (row, column) under a click on the 224 px crop."""
    if not evt.index or len(evt.index) != 2:
        raise UserError("swin_click_image")
    x, y = (int(v) for v in evt.index)
    return check_token((y // PATCH, x // PATCH))


@user_errors
def swin_view(image, stage: int = 1, block: int = 2, head: int = 1, row: int = 28, column: int = 28):
    """The crop Swin-T sees, its windows at the stage (the token marked), the token's attention over its window at
    the block and head (1-based), and which weights and window these are."""
    weights = load_swin()
    crop = _crop(image)
    result = window_attention(weights, crop, int(stage), int(block), int(head), (int(row), int(column)))
    return (crop, windows_figure(crop, int(stage), token=result.token), window_attention_figure(result, crop),
            attention_markdown(result, weights))


@user_errors
def swin_reach_panel(row: int = 28, column: int = 28, progress=gr.Progress()):
    """The token's traced reach after 1, 2 and 4 blocks beside the ViT's, and the counts."""
    weights = load_swin()
    result = _reach(weights, (int(row), int(column)), REACH_BLOCKS, progress)
    return reach_maps_figure(result, REACH_BLOCKS), reach_markdown(result, weights)


def _cost_curve() -> dict:
    recorded = recorded_cost()
    if recorded is None:
        raise UserError("swin_cost_missing")
    return recorded | {"answered_from": "findings/swin_cost.json"}


@user_errors
def swin_cost_panel():
    """The cost curve drawn: FLOPs and time against tokens for DeiT-S, Swin-T and ResNet-50."""
    return cost_figure(AttentionCost.from_json(_cost_curve()))


COST_MODELS = ("all", "DeiT-S", "Swin-T", "ResNet-50")


@user_errors
def swin_cost(model: str = "all") -> dict:
    """How the cost of DeiT-S (global attention), Swin-T (windowed attention) and ResNet-50 grows with resolution.

    FLOPs counted by torch over a real forward of one image and median wall time, at 224, 448, 672 and 896 px as
    recorded in findings/swin_cost.json, random weights, with each model's growth exponent in tokens fitted by least
    squares (the homework's claim C11: windowed attention is linear in the number of tokens, global attention
    quadratic). Read from the recorded results file (`python -m findings.swin` writes it); an error says so when it is
    missing.

    Args:
        model: whose curve to return: "DeiT-S", "Swin-T", "ResNet-50", or "all" (the default) for all three.

    Returns:
        "resolutions": image sides in pixels; "repeats": timed runs per point; "threads": CPU threads used
        "models": [{"name", "tokens", "flops", "attention_flops", "mixing_flops", "predicted_attention_flops",
        "predicted_mixing_flops", "milliseconds", "flops_exponent", "attention_exponent", "mixing_exponent",
        "predicted_exponent", "predicted_mixing_exponent", "time_exponent"}] for DeiT-S, Swin-T, ResNet-50
        "tokens": 16 px patches (DeiT-S), 4 px patches (Swin-T), stride-4 positions (ResNet-50), one per resolution
        "flops": counted FLOPs per image; "attention_flops": those of the attention layers (0 for ResNet-50);
        "mixing_flops": of those, the token mixing (QKᵀ and AV); "predicted_*": 2 × Ω of the Swin paper's formulas
        and of its mixing term (null for ResNet-50)
        "*_exponent": [value, low, high], the slope of log cost on log tokens and its 95% interval
        "provenance": how the numbers were made; "answered_from": the results file
    """
    if model not in COST_MODELS:
        raise UserError("swin_cost_model", model=model, models=", ".join(COST_MODELS))
    curve = _cost_curve()
    return curve if model == "all" else curve | {"models": [m for m in curve["models"] if m["name"] == model]}


@user_errors
def swin_reach(row: int = 28, column: int = 28, blocks: list[int] | None = None, progress=gr.Progress()) -> dict:
    """Which input patches one token of Swin-T depends on after its first blocks, traced through the real model.

    The token is named by its 4 px patch of a 224 px image: (row, column) on Swin-T's 56 × 56 stage-1 grid. A patch
    counts when the gradient of the token's output with respect to that patch's embedded input is above 1e-20 of the
    largest (float64). Beside it, the ViT's token at the same pixel after one block: global, every patch. Tracing
    takes a few seconds per token (cached per weights and token). Uses timm's ImageNet-1k Swin-T weights when the
    server's Hub cache holds them, else random weights (seed 0): "weights" says which.

    Args:
        row: the token's row on the 56 × 56 grid of 4 px patches, 0 (top) to 55.
        column: the token's column on the 56 × 56 grid of 4 px patches, 0 (left) to 55.
        blocks: after how many blocks to trace, from 1 to 4 (1, 2: stage 1's W-MSA, SW-MSA; 3, 4: stage 2's).

    Returns:
        "counts": {"traced", "exact", "predicted"}: patches reached after each entry of "blocks" (traced: above the
        tolerance; exact: any non-zero gradient, the shifted mask's e^-100 leak included; predicted: lab.reach's count)
        "traced", "exact", "predicted": one 56 × 56 map of booleans per entry of "blocks" (row-major, [row][column])
        "vit_patch": the ViT's 16 px patch holding the pixel; "vit_traced": its 14 × 14 reach after one block;
        "vit_count": its size; "weights": {"source": "pretrained from the Hub cache" or "random init", "repo", "seed"}
        "vit_weights", "token", "blocks", "side", "window", "tolerance", "weakest_reached", "strongest_unreached"
    """
    weights = load_swin()
    result = _reach(weights, (int(row), int(column)), tuple(blocks) if blocks is not None else REACH_BLOCKS,
                    progress)
    return result.to_json() | {"weights": weights.to_json(), "vit_weights": VIT_WEIGHTS}


@user_errors
def swin_window_attention(image, stage: int = 1, block: int = 2, head: int = 1, row: int = 28,
                          column: int = 28) -> dict:
    """One token's attention over its window in Swin-T: the probabilities timm's WindowAttention computes.

    The image is cut to its central square and resized to 224 px. Swin-T attends inside 7 × 7-token windows; every
    second block of a stage shifts them by 3 tokens with a cyclic shift, so windows at the bottom and right edges
    wrap around and a mask (-100 before the softmax) keeps apart the tokens the shift brought together. The
    probabilities are recomputed from the block's input (q, k, scale, relative position bias and mask). Uses timm's
    ImageNet-1k weights when the server's Hub cache holds them, else random weights (seed 0).

    Args:
        image: the image, as an http(s) URL of a PNG, JPEG, GIF, BMP, TIFF, WebP or ICO file (at most 20 MB).
        stage: Swin-T's stage, 1 to 4 (tokens of 4, 8, 16, 32 px; grids of 56, 28, 14, 7 tokens per side).
        block: the block within the stage, 1-based (stage 3 has 6 blocks, the others 2; block 2, 4, 6: shifted).
        head: the attention head, 1-based (stage 1 has 3 heads, stage 2 has 6, stage 3 has 12, stage 4 has 24).
        row: the query's row as a 4 px patch of the 224 px image, 0 to 55 (at stage s, the token holding it).
        column: the query's column as a 4 px patch of the 224 px image, 0 to 55 (at stage s, the token holding it).

    Returns:
        "keys": the window's 49 tokens as [row, column] on the stage's grid, in timm's order; "probabilities": the
        query's attention over them (summing to 1); "masked": keys the shifted block's mask separates from the query
        "query": the query token on the stage's grid; "kind": "W-MSA" or "SW-MSA"; "shift": 0 or 3 tokens;
        "wrapped": the window wraps around the image's edge; "window_index": timm's index of the window;
        "stage", "block", "head", "heads", "token", "side", "token_pixels", "window"; "weights": {"source", "repo",
        "seed"}: "pretrained from the Hub cache" or "random init"
    """
    weights = load_swin()
    result = window_attention(weights, _crop(image), int(stage), int(block), int(head), (int(row), int(column)))
    return result.to_json()
