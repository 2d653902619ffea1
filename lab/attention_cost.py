"""C11 measured on models: FLOPs and wall time per image against input resolution for DeiT-S (the seed's ViT), Swin-T
and ResNet-50, all with random weights, and each model's growth exponent in tokens.

FLOPs are counted by torch's FlopCounterMode over a real forward of one image (2 per multiply-add of every matmul and
convolution; element-wise work is not counted, as in the Swin paper's Ω). The CPU's fused attention kernel is not
counted by FlopCounterMode, so the count runs with the math backend, which does the same matmuls op by op. Attention's
share is read from the counter's per-module totals, and set beside the Ω formulas (lab.theory.swin_complexity), the
prediction: 2 × Ω of every attention layer.

A token is the unit each model's cost grows in: a 16 px patch for DeiT-S, a 4 px patch of Swin-T's first stage, and
for ResNet-50 a position of its stem's output (stride 4). The exponent does not depend on that choice, since tokens
grow as the image's area for all three.
"""
import dataclasses
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import timm
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from lab.statistics import T975, Z95, Interval
from lab.theory import swin_complexity
from models.swin import SWIN_ARCHITECTURE
from models.vit import SelfAttention, ViT

RESOLUTIONS = (224, 448, 672, 896)
"""Image sides in pixels: a 4× range of side, 16× of tokens. 896 px is the largest measured here: DeiT-S's math-path
attention there holds 6 × 3137² scores (about 240 MB), well inside the machine's memory."""
MODELS = ("DeiT-S", "Swin-T", "ResNet-50")
TOKEN_PIXELS = {"DeiT-S": 16, "Swin-T": 4, "ResNet-50": 4}
"""Side in pixels of one token of each model."""
SWIN_WINDOW = 7


def interpolate_position_embedding(pos_embedding: torch.Tensor, grid: int) -> torch.Tensor:
    """(1, 1 + g², d) -> (1, 1 + grid², d): the patches' part resized bicubically, the class token's entry kept."""
    class_token, patches = pos_embedding[:, :1], pos_embedding[:, 1:]
    old = math.isqrt(patches.shape[1])
    if old * old != patches.shape[1]:
        raise ValueError(f"the position embedding's {patches.shape[1]} patch entries are not a square grid")
    d = patches.shape[-1]
    patches = patches.reshape(1, old, old, d).permute(0, 3, 1, 2)  # (1, g², d) -> (1, d, g, g)
    patches = F.interpolate(patches, size=(grid, grid), mode="bicubic", align_corners=False)
    return torch.cat((class_token, patches.permute(0, 2, 3, 1).reshape(1, grid * grid, d)), dim=1)


def deit_small(image_size: int = 224) -> ViT:
    """The seed's ViT in DeiT-S's shape (12 layers, 6 heads, d = 384, 16 px patches), random weights, in eval."""
    return ViT(image_size, patch_size=16, num_classes=1000, num_layers=12, num_heads=6, d_model=384,
               d_feedforward=1536).eval()


@torch.no_grad()
def vit_at(vit: ViT, image_size: int) -> ViT:
    """The same ViT for another image size: every weight shared, the position embedding interpolated to the new grid."""
    resized = ViT(image_size, vit.patch_size, vit.head.out_features, len(vit.encoder.layers), vit.num_heads,
                  vit.conv_proj.out_channels, vit.encoder.layers[0].mlp[0].out_features).eval()
    state = vit.state_dict()
    state["encoder.pos_embedding"] = interpolate_position_embedding(state["encoder.pos_embedding"],
                                                                    image_size // vit.patch_size)
    resized.load_state_dict(state)
    resized.normalize = vit.normalize
    return resized


def build_models(resolutions: Sequence[int], seed: int = 0) -> dict[str, dict[int, nn.Module]]:
    """name -> image side -> model, random weights: DeiT-S interpolated from 224 px, Swin-T created at each size
    (window 7 kept, its relative position bias as it is), one ResNet-50 for all sizes."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        vit = deit_small()
        resnet = timm.create_model("resnet50", pretrained=False).eval()
        return {
            "DeiT-S": {side: vit_at(vit, side) for side in resolutions},
            "Swin-T": {side: timm.create_model(SWIN_ARCHITECTURE, pretrained=False, img_size=side).eval()
                       for side in resolutions},
            "ResNet-50": dict.fromkeys(resolutions, resnet),
        }


def _attention_modules(model: nn.Module) -> list[str]:
    """FlopCounterMode's names of the model's attention layers (each counted with everything inside it)."""
    from timm.models.swin_transformer import WindowAttention

    root = type(model).__name__
    return [f"{root}.{name}" for name, module in model.named_modules() if isinstance(module, (SelfAttention,
                                                                                              WindowAttention))]


MIXING_OPS = ("aten.bmm", "aten.baddbmm")
"""The attention layers' ops that mix tokens: the score matmul QKᵀ and the weighted sum AV (batched matmuls). The
projections (q, k, v and the output) are addmm/mm: the 4hwC² term of Ω; the mixing is its 2(hw)²C or 2M²hwC term."""


@dataclass(frozen=True)
class Counted:
    """FLOPs of one image through a model, counted: everything, the attention layers, and their token mixing."""
    total: int
    attention: int
    mixing: int


def count(model: nn.Module, image_size: int) -> Counted:
    """Count the FLOPs of one image_size² image through the model with FlopCounterMode (math attention backend)."""
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter, torch.inference_mode():
        model(torch.zeros(1, 3, image_size, image_size))
    per_module = counter.get_flop_counts()
    layers = [per_module.get(name, {}) for name in _attention_modules(model)]
    return Counted(counter.get_total_flops(), sum(sum(ops.values()) for ops in layers),
                   sum(flops for ops in layers for op, flops in ops.items() if str(op) in MIXING_OPS))


def _omega_terms(name: str, image_size: int) -> tuple[int, int] | None:
    """(Ω, its mixing term) summed over the model's attention layers at this image size, in multiply-adds; None for
    a model without attention."""
    if name == "DeiT-S":
        tokens = (image_size // TOKEN_PIXELS[name]) ** 2 + 1
        omega = swin_complexity(tokens, 1, 384, SWIN_WINDOW)["msa"]  # Ω depends on h and w only through hw
        return 12 * omega, 12 * (omega - 4 * tokens * 384 ** 2)
    if name == "Swin-T":
        total, mixing, grid = 0, 0, image_size // TOKEN_PIXELS[name]
        for stage, depth in enumerate((2, 2, 6, 2)):
            C = 96 * 2 ** stage
            omega = swin_complexity(grid, grid, C, min(SWIN_WINDOW, grid))["wmsa"]
            total += depth * omega
            mixing += depth * (omega - 4 * grid * grid * C ** 2)
            grid = (grid + 1) // 2  # patch merging pads an odd grid
        return total, mixing
    return None


def predicted_attention_macs(name: str, image_size: int) -> int | None:
    """Ω of all the model's attention layers at this image size (multiply-adds), or None for a model without attention.

    DeiT-S: 12 × Ω(MSA) over its patches and class token (C = 384). Swin-T: Ω(W-MSA) of every block of every stage
    (depths 2, 2, 6, 2; C = 96 doubling; the window shrinks to the grid where the grid is smaller, as timm does). Where
    a grid is not a whole number of windows timm pads it, and the count exceeds this prediction by the padded tokens."""
    terms = _omega_terms(name, image_size)
    return None if terms is None else terms[0]


def predicted_mixing_macs(name: str, image_size: int) -> int | None:
    """Ω's mixing term (2(hw)²C for MSA, 2M²hwC for W-MSA) over all the model's attention layers, or None."""
    terms = _omega_terms(name, image_size)
    return None if terms is None else terms[1]


def growth_exponent(tokens: Sequence[float], costs: Sequence[float]) -> Interval:
    """The slope of log cost on log tokens by least squares, with its 95% t interval (n − 2 degrees of freedom)."""
    n = len(tokens)
    if n < 3 or n != len(costs):
        raise ValueError(f"need at least 3 (tokens, cost) pairs of equal length, not {n} and {len(costs)}")
    x = [math.log(t) for t in tokens]
    y = [math.log(c) for c in costs]
    x_mean, y_mean = statistics.fmean(x), statistics.fmean(y)
    sxx = sum((xi - x_mean) ** 2 for xi in x)
    slope = sum((xi - x_mean) * (yi - y_mean) for xi, yi in zip(x, y)) / sxx
    residuals = [yi - y_mean - slope * (xi - x_mean) for xi, yi in zip(x, y)]
    standard_error = math.sqrt(sum(r * r for r in residuals) / (n - 2) / sxx)
    t = T975[n - 3] if n - 2 <= len(T975) else Z95
    return Interval(slope, slope - t * standard_error, slope + t * standard_error)


def _milliseconds(run: Callable[[], object]) -> float:
    """Wall time of one call in milliseconds."""
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


@torch.inference_mode()
def median_milliseconds(models: dict[str, dict[int, nn.Module]], repeats: int) -> dict[str, dict[int, float]]:
    """name -> image side -> median wall time of one image, after one untimed warm-up of each; the models take turns
    within every round (the order rotating from round to round), so a slow spell of a shared machine falls on all."""
    names = list(models)
    images = {side: torch.rand(1, 3, side, side) for side in next(iter(models.values()))}
    for name in names:
        for side, model in models[name].items():
            model(images[side])
    times = {name: {side: [] for side in models[name]} for name in names}
    for round_ in range(repeats):
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for side in images:
            for name in order:
                times[name][side].append(_milliseconds(lambda: models[name][side](images[side])))
    return {name: {side: statistics.median(t) for side, t in by_side.items()} for name, by_side in times.items()}


def _interval(value: list[float] | None) -> Interval | None:
    return None if value is None else Interval(*value)


@dataclass(frozen=True)
class ModelCost:
    """One model's cost at each resolution, and its growth exponents in tokens."""
    name: str
    tokens: tuple[int, ...]
    flops: tuple[int, ...]
    attention_flops: tuple[int, ...]  # zeros for ResNet-50
    mixing_flops: tuple[int, ...]  # the attention layers' QKᵀ and AV; zeros for ResNet-50
    predicted_attention_flops: tuple[int, ...] | None  # 2 × Ω; None for ResNet-50
    predicted_mixing_flops: tuple[int, ...] | None  # 2 × Ω's mixing term; None for ResNet-50
    milliseconds: tuple[float, ...]  # medians
    flops_exponent: Interval
    attention_exponent: Interval | None
    mixing_exponent: Interval | None
    predicted_exponent: Interval | None  # the Ω curve's own fit over the same tokens
    predicted_mixing_exponent: Interval | None
    time_exponent: Interval

    def to_json(self) -> dict:
        """Plain JSON types; intervals as [value, low, high]."""
        def plain(value):
            return value.to_json() if isinstance(value, Interval) else list(value) if isinstance(value, tuple) else value

        return {field.name: plain(getattr(self, field.name)) for field in dataclasses.fields(self)}

    @classmethod
    def from_json(cls, data: dict) -> "ModelCost":
        """The inverse of to_json."""
        fields = {field.name for field in dataclasses.fields(cls)}
        values = {key: (_interval(value) if key in INTERVALS else
                        tuple(value) if isinstance(value, list) else value)
                  for key, value in data.items() if key in fields}
        return cls(**values)


INTERVALS = ("flops_exponent", "attention_exponent", "mixing_exponent", "predicted_exponent",
             "predicted_mixing_exponent", "time_exponent")


@dataclass(frozen=True)
class AttentionCost:
    """C11's measurement: every model's cost against resolution, with the settings it ran under."""
    resolutions: tuple[int, ...]
    repeats: int
    threads: int
    models: tuple[ModelCost, ...]

    def model(self, name: str) -> ModelCost:
        """One model's costs by name."""
        return next(cost for cost in self.models if cost.name == name)

    def to_json(self) -> dict:
        """Plain JSON types."""
        return {"resolutions": list(self.resolutions), "repeats": self.repeats, "threads": self.threads,
                "models": [cost.to_json() for cost in self.models]}

    @classmethod
    def from_json(cls, data: dict) -> "AttentionCost":
        """The inverse of to_json (extra keys, such as a results file's provenance, ignored)."""
        return cls(tuple(data["resolutions"]), data["repeats"], data["threads"],
                   tuple(ModelCost.from_json(model) for model in data["models"]))


def _model_cost(name: str, resolutions: tuple[int, ...], models: dict[int, nn.Module],
                milliseconds: dict[int, float]) -> ModelCost:
    """Count one model's FLOPs at every resolution and fit its exponents."""
    tokens = tuple((side // TOKEN_PIXELS[name]) ** 2 for side in resolutions)
    counted = [count(models[side], side) for side in resolutions]
    flops = tuple(c.total for c in counted)
    attention = tuple(c.attention for c in counted)
    mixing = tuple(c.mixing for c in counted)
    macs = [_omega_terms(name, side) for side in resolutions]
    has_attention = macs[0] is not None
    predicted = tuple(2 * m[0] for m in macs) if has_attention else None
    predicted_mixing = tuple(2 * m[1] for m in macs) if has_attention else None
    times = tuple(milliseconds[side] for side in resolutions)

    def fit(values: tuple[int, ...] | None) -> Interval | None:
        return growth_exponent(tokens, values) if values is not None and all(values) else None

    return ModelCost(name, tokens, flops, attention, mixing, predicted, predicted_mixing, times,
                     growth_exponent(tokens, flops), fit(attention), fit(mixing), fit(predicted),
                     fit(predicted_mixing), growth_exponent(tokens, times))


def attention_cost(resolutions: Sequence[int] = RESOLUTIONS, repeats: int = 3, seed: int = 0) -> AttentionCost:
    """Count FLOPs and time DeiT-S, Swin-T and ResNet-50 at each resolution (random weights), fit the exponents."""
    resolutions = tuple(resolutions)
    if len(resolutions) < 3 or any(side % TOKEN_PIXELS["DeiT-S"] for side in resolutions):
        raise ValueError(f"need at least 3 resolutions, each a whole number of 16 px patches, not {resolutions}")
    models = build_models(resolutions, seed)
    milliseconds = median_milliseconds(models, repeats)
    costs = tuple(_model_cost(name, resolutions, models[name], milliseconds[name]) for name in MODELS)
    return AttentionCost(resolutions, repeats, torch.get_num_threads(), costs)
