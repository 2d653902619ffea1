"""B1: the seed's ViT against timm's own VisionTransformer, same DeiT-S weights, batch 1, 224 × 224."""
import copy
import json
import subprocess
import sys
from pathlib import Path

import timm
import torch
from torch import nn

from benchmarks.profiles import operator_profile
from benchmarks.targets import Section, Target
from benchmarks.timing import Samples, alternate, minor_page_faults
from models import hub
from models.pairs import HUB_PAIRS
from models.vit import ViT, from_timm

ROOT = Path(__file__).resolve().parent.parent
CONTEXTS = {"inference_mode": torch.inference_mode, "no_grad": torch.no_grad}
SEED_CASES = ("seed", "seed, maps")
BEFORE_CASES = ("before", "before, maps")


class TorchAttention(nn.MultiheadAttention):
    """The seed ViT's attention before B1's work: nn.MultiheadAttention's own forward, maps kept per head."""

    def forward(self, x: torch.Tensor, need_weights: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        return super().forward(x, x, x, need_weights=need_weights, average_attn_weights=False)


def timm_vit(pair: str) -> nn.Module:
    """timm's VisionTransformer of a Hub pair, with the weights the app loads (from the Hub cache)."""
    name = HUB_PAIRS[pair].vit_model
    files = hub.fetch(f"timm/{name}", pair)
    return timm.create_model(name, pretrained=True,
                             pretrained_cfg_overlay={"file": str(files["model.safetensors"])}).eval()


def with_torch_attention(vit: ViT) -> ViT:
    """A copy of the seed ViT whose blocks attend through nn.MultiheadAttention's forward (same weights)."""
    before = copy.deepcopy(vit)
    for block in before.encoder.layers:
        attention = block.self_attention
        replacement = TorchAttention(attention.embed_dim, attention.num_heads, batch_first=True)
        replacement.load_state_dict(attention.state_dict())
        block.self_attention = replacement.eval()
    return before


def timed(pair: str, repeats: int, context: str, before: bool) -> dict:
    """Medians (ms), minor page faults per call, paired ratios to timm, and the largest logit difference."""
    reference = timm_vit(pair)
    models = {"seed": from_timm(reference)}
    if before:
        models["before"] = with_torch_attention(models["seed"])
    x = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(0))
    calls = {"timm": lambda: reference(x)}
    for name, model in models.items():
        calls |= {name: lambda model=model: model(x), f"{name}, maps": lambda model=model: model(x, need_weights=True)}
    with CONTEXTS[context]():
        difference = max(float((model(x) - reference(x)).abs().max()) for model in models.values())
        samples = alternate(calls, repeats, warmup=3)
        faults = {case: minor_page_faults(call) for case, call in calls.items()}
    return {"seconds": samples.seconds, "faults": faults, "difference": difference}


def timed_in_fresh_interpreter(pair: str, repeats: int) -> dict:
    """timed() under inference_mode in a new interpreter, whose allocator has not yet freed any large block."""
    script = (f"import json, sys; sys.path[0] = {str(ROOT)!r}; import torch; "
              f"torch.set_num_threads({torch.get_num_threads()}); from benchmarks.vit_vs_timm import timed; "
              f"print(json.dumps(timed({pair!r}, {repeats}, 'inference_mode', before=True)))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _row(label: str, result: dict, cases: tuple[str, ...]) -> str:
    samples, faults = Samples(result["seconds"]), result["faults"]
    return (f"| {label} | {samples.ms('timm'):.1f} ({faults['timm']:.0f}) | "
            + " | ".join(f"{samples.ms(case):.1f} ({faults[case]:.0f}) | {samples.ratio(case, 'timm'):.3f}×"
                         for case in cases)
            + f" | {result['difference']:.1e} |")


def measure(pair: str, repeats: int, thorough: bool = True) -> Section:
    """Seed ViT without maps, and with every layer's maps, against timm's ViT, alternated in one process.

    Thorough: the attention the seed ViT had before (nn.MultiheadAttention's forward) alongside, the same under
    no_grad and in a fresh interpreter, and a profile of every case if a target is missed.
    """
    cases = SEED_CASES + (BEFORE_CASES if thorough else ())
    results = {"`torch.inference_mode()`": timed(pair, repeats, "inference_mode", before=thorough)}
    main = Samples(results["`torch.inference_mode()`"]["seconds"])
    if thorough:  # supplementary rows, with fewer rounds
        results["`torch.no_grad()`"] = timed(pair, repeats // 2, "no_grad", before=True)
        results["`torch.inference_mode()`, fresh interpreter"] = timed_in_fresh_interpreter(pair, repeats // 2)
    targets = [
        Target("B1", "seed ViT / timm ViT, DeiT-S, batch 1, no maps", main.ratio("seed", "timm"),
               f"{main.ms('seed'):.1f} ms vs {main.ms('timm'):.1f} ms"),
        Target("B1 maps", "seed ViT returning all 12 layers' maps / timm ViT", main.ratio("seed, maps", "timm"),
               f"{main.ms('seed, maps'):.1f} ms vs {main.ms('timm'):.1f} ms"),
    ]
    labels = {"seed": "seed ViT", "seed, maps": "seed ViT + maps", "before": "before: nn.MultiheadAttention",
              "before, maps": "before, + maps"}
    details = "\n".join([
        f"`{HUB_PAIRS[pair].vit_model}` as timm builds it, and the same weights converted by `models.vit.from_timm` "
        f"(what the app runs); one fixed 1 × 3 × 224 × 224 input; all cases alternated for {repeats} rounds (the "
        f"rows after the first: {repeats // 2}) after 3 warm-up rounds. Medians in ms with minor page faults per "
        "call in brackets, each followed by its ratio to timm (the median of each round's ratio). The targets are "
        "judged on the first "
        "row: `torch.inference_mode()`, as the app's inference runs, in this benchmark's process, which uses the "
        "served app's malloc settings (`runtime/memory.py`: a fixed 32 MB mmap threshold), so freed blocks are reused."
        + (" *Before* is the seed ViT as it was before this work, attending through `nn.MultiheadAttention`'s own "
           "forward (its `_native_multi_head_attention` fast path), on the same weights. The last row repeats the "
           "first in a fresh interpreter with glibc's default settings, which has freed no large block yet: there "
           "glibc returns the 11 MB of maps to the kernel after every call and the next call faults them in again, "
           "page by page (the bracketed counts)." if thorough else ""),
        "",
        "| context | timm ViT | " + " | ".join(f"{labels[case]} | ratio" for case in cases) + " | max abs Δ logits |",
        "|---|---:|" + "---:|---:|" * len(cases) + "---:|",
        *(_row(label, result, cases) for label, result in results.items()),
    ])
    section = Section("B1. The seed's ViT against timm's ViT", targets, details)
    if thorough and not all(target.met for target in targets):
        reference = timm_vit(pair)
        seed = from_timm(reference)
        x = torch.randn(1, 3, 224, 224)
        with torch.inference_mode():
            section.profile = "\n\n".join([
                "timm ViT, 3 calls:\n" + operator_profile(lambda: reference(x)),
                "seed ViT, 3 calls:\n" + operator_profile(lambda: seed(x)),
                "seed ViT with maps, 3 calls:\n" + operator_profile(lambda: seed(x, need_weights=True)),
            ])
    return section
