"""The homework's theory, computed: where parameters and FLOPs go, multi-head attention sizes, Swin's cost.

Question 3 of the homework (the seed's scanned answer, OCR-garbled) reads, as best it can be deciphered:
n_heads = 3, d_k = 10, d_q = 20, d_v = 30, d_i = 100, d_o = 50, sequence length L = 64, answered with
"heads: 3(100×20 + 100×10 + 100×30) = 18000" and "W_O: 50 × 100 × 3 = 15000" (the total line is cut off).
Those numbers are consistent in one notation only, d2l.ai's: queries, keys and values arrive with their own
sizes d_q, d_k, d_v, every head projects each of them to p = 100 (the "d_i"), and W_O maps the concatenated
heads (3 × 100) to p_o = 50. Here that is mha_parameters(3, 20, 100, 100, 50, key_input=10, value_input=30):
18,000 for the heads + 15,000 for W_O = 33,000 parameters. The sequence length never enters the count.
"""
import statistics
import time
from contextlib import ExitStack
from typing import Callable

import torch
from torch import nn
from torch.nn import functional as F

from explain.capture import ForwardCalls
from models.vit import SelfAttention, ViT
from runtime.device import module_device

PARAMETER_CATEGORIES = ("convolutions", "attention", "MLP", "norms", "embeddings", "classifier head")
FLOP_CATEGORIES = ("convolutions", "attention projections", "attention matmuls (QKᵀ, AV)", "MLP", "embeddings",
                   "classifier head")
_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm, nn.LayerNorm, nn.GroupNorm)
ATTENTION = (nn.MultiheadAttention, SelfAttention)  # stock attention, or the seed ViT's with the same weights


def _classifier(model: nn.Module) -> nn.Module:
    """The final classification layer: timm's get_classifier(), or the seed ViT's head."""
    return model.head if isinstance(model, ViT) else model.get_classifier()


def _category(model: nn.Module, module: nn.Module, inside_attention: bool) -> str:
    """Which parameter category a module's own parameters belong to."""
    if inside_attention or isinstance(module, ATTENTION):
        return "attention"
    if module is _classifier(model):
        return "classifier head"
    if isinstance(model, ViT) and (module is model or module is model.conv_proj or module is model.encoder):
        return "embeddings"  # the patch projection, the class token and the position embedding
    if isinstance(module, nn.Conv2d):
        return "convolutions"
    if isinstance(module, _NORMS):
        return "norms"
    if isinstance(module, nn.Linear):
        return "MLP"
    raise ValueError(f"cannot place the parameters of a {type(module).__name__} in {PARAMETER_CATEGORIES}")


def parameter_breakdown(model: nn.Module) -> dict[str, int]:
    """Parameter counts of a timm CNN or the seed's ViT by category, in PARAMETER_CATEGORIES order."""
    counts = dict.fromkeys(PARAMETER_CATEGORIES, 0)
    attention_prefixes = tuple(f"{name}." for name, module in model.named_modules()
                               if isinstance(module, ATTENTION))
    for name, module in model.named_modules():
        own = sum(p.numel() for p in module.parameters(recurse=False))
        if own:
            counts[_category(model, module, name.startswith(attention_prefixes))] += own
    return counts


def _layer_flops(model: nn.Module, module: nn.Module, inputs: torch.Tensor, output: torch.Tensor) -> dict[str, int]:
    """FLOPs (2 × multiply-accumulates) of one forward call of a convolution, linear or attention layer."""
    if isinstance(module, ATTENTION):
        tokens, width = inputs.shape[-2:]  # batch_first: (1, N, d)
        return {"attention projections": 2 * (3 * tokens * width * width + tokens * width * width),
                "attention matmuls (QKᵀ, AV)": 2 * 2 * tokens * tokens * width}
    if isinstance(module, nn.Conv2d):
        per_output = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        category = "embeddings" if isinstance(model, ViT) and module is model.conv_proj else "convolutions"
        return {category: 2 * output.numel() * per_output}
    category = "classifier head" if module is _classifier(model) else "MLP"
    return {category: 2 * output.numel() * module.in_features}


@torch.inference_mode()
def flop_breakdown(model: nn.Module, input_size: int) -> dict[str, int]:
    """FLOPs of one image through a timm CNN or the seed's ViT by category, in FLOP_CATEGORIES order.

    Counted analytically from the shapes seen in a real forward pass: 2 × multiply-accumulates of every
    convolution, linear layer and attention matmul (QKᵀ and AV: 2·N²·d each). Element-wise work (norms,
    activations, softmax, residual adds, pooling) is left out, as in the Swin paper's Ω.
    """
    counts = dict.fromkeys(FLOP_CATEGORIES, 0)

    def record(module: nn.Module, args: tuple, output) -> None:
        for category, flops in _layer_flops(model, module, args[0], output).items():
            counts[category] += flops

    inside_attention = {id(part) for module in model.modules() if isinstance(module, ATTENTION)
                        for part in module.modules() if part is not module}  # counted with their attention
    layers = (nn.Conv2d, nn.Linear, *ATTENTION)
    # The models are shared with the server's other requests: count only this thread's forward.
    with ExitStack() as hooks:
        for module in model.modules():
            if isinstance(module, layers) and id(module) not in inside_attention:
                hooks.enter_context(ForwardCalls(module, record))
        model(torch.zeros(1, 3, input_size, input_size, device=module_device(model)))
    return counts


def mha_parameters(heads: int, d_model: int, d_k: int, d_v: int, d_out: int, bias: bool = False, *,
                   key_input: int | None = None, value_input: int | None = None) -> dict[str, int]:
    """Weights of multi-head attention: per-head W_q, W_k, W_v, then W_o, all heads, and the total.

    Queries arrive with d_model features, keys with key_input and values with value_input (both default to
    d_model: self-attention). Each head projects queries and keys to d_k and values to d_v; W_o maps the
    heads × d_v concatenation to d_out. The sequence length does not appear: the same weights serve any
    number of tokens.
    """
    key_input = d_model if key_input is None else key_input
    value_input = d_model if value_input is None else value_input
    per_head = {
        "W_q": d_model * d_k + bias * d_k,
        "W_k": key_input * d_k + bias * d_k,
        "W_v": value_input * d_v + bias * d_v,
    }
    heads_total = heads * sum(per_head.values())
    w_o = heads * d_v * d_out + bias * d_out
    return {"per_head": per_head, "heads": heads_total, "W_o": w_o, "total": heads_total + w_o}


def swin_complexity(h: int, w: int, C: int, M: int) -> dict[str, int]:
    """Ω of global and windowed multi-head self-attention on h × w patches (Liu et al. 2021, Swin, Eq. 1–2)."""
    return {"msa": 4 * h * w * C ** 2 + 2 * (h * w) ** 2 * C, "wmsa": 4 * h * w * C ** 2 + 2 * M ** 2 * h * w * C}


def _attention(x: torch.Tensor, qkv: nn.Linear, proj: nn.Linear, heads: int) -> torch.Tensor:
    """Multi-head self-attention within each row of a (batch, tokens, C) tensor."""
    batch, tokens, C = x.shape
    # (b, n, 3C) -> (3, b, heads, n, C / heads)
    q, k, v = qkv(x).reshape(batch, tokens, 3, heads, C // heads).permute(2, 0, 3, 1, 4)
    out = F.scaled_dot_product_attention(q, k, v)  # (b, heads, n, C / heads)
    return proj(out.transpose(1, 2).reshape(batch, tokens, C))


def _windowed(x: torch.Tensor, side: int, M: int, qkv: nn.Linear, proj: nn.Linear, heads: int) -> torch.Tensor:
    """W-MSA: attention only inside non-overlapping M × M windows of a side × side token grid."""
    C = x.shape[-1]
    n = side // M
    # (1, side², C) -> (1, n, M, n, M, C) -> (n², M², C): one row per window
    windows = x.reshape(1, n, M, n, M, C).permute(0, 1, 3, 2, 4, 5).reshape(n * n, M * M, C)
    out = _attention(windows, qkv, proj, heads)
    return out.reshape(1, n, n, M, M, C).permute(0, 1, 3, 2, 4, 5).reshape(1, side * side, C)


def _median_ms(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of run() in milliseconds, after one warm-up call."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@torch.inference_mode()
def time_attention(tokens_side: int, C: int, M: int, heads: int, repeats: int) -> dict[str, float]:
    """Median wall time on this machine of global MSA and W-MSA over tokens_side² tokens of width C."""
    if tokens_side % M or C % heads:
        raise ValueError(f"tokens_side ({tokens_side}) must be a multiple of M ({M}) and C ({C}) of heads ({heads})")
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(1, tokens_side * tokens_side, C, generator=generator)
    qkv, proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
    return {
        "global_ms": _median_ms(lambda: _attention(x, qkv, proj, heads), repeats),
        "windowed_ms": _median_ms(lambda: _windowed(x, tokens_side, M, qkv, proj, heads), repeats),
    }
