"""B1: the seed's ViT against timm's own VisionTransformer, same DeiT-S weights, batch 1, 224 × 224."""
import timm
import torch
from torch import nn

from benchmarks.profiles import operator_profile
from benchmarks.targets import Section, Target
from benchmarks.timing import alternate
from models import hub
from models.pairs import HUB_PAIRS
from models.vit import from_timm

CONTEXTS = {"inference_mode": torch.inference_mode, "no_grad": torch.no_grad}


def timm_vit(pair: str) -> nn.Module:
    """timm's VisionTransformer of a Hub pair, with the weights the app loads (from the Hub cache)."""
    name = HUB_PAIRS[pair].vit_model
    files = hub.fetch(f"timm/{name}", pair)
    return timm.create_model(name, pretrained=True,
                             pretrained_cfg_overlay={"file": str(files["model.safetensors"])}).eval()


def measure(pair: str, repeats: int) -> Section:
    """Seed ViT without maps, and with every layer's maps, against timm's ViT, alternated in one process."""
    reference = timm_vit(pair)
    seed = from_timm(reference)
    size = seed.image_size
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(0))
    cases = {"timm": lambda: reference(x), "seed": lambda: seed(x), "seed, maps": lambda: seed(x, need_weights=True)}
    rows, targets = [], []
    for context_name, context in CONTEXTS.items():
        with context():
            difference = float((seed(x) - reference(x)).abs().max())
            samples = alternate(cases, repeats, warmup=3)
        rows.append(f"| `torch.{context_name}()` | {samples.ms('timm'):.1f} | {samples.ms('seed'):.1f} | "
                    f"{samples.ms('seed, maps'):.1f} | {samples.ratio('seed', 'timm'):.3f}× | "
                    f"{samples.ratio('seed, maps', 'timm'):.3f}× | {difference:.1e} |")
        if context_name == "inference_mode":
            targets = [
                Target("B1", "seed ViT / timm ViT, DeiT-S, batch 1, no maps", samples.ratio("seed", "timm"),
                       f"{samples.ms('seed'):.1f} ms vs {samples.ms('timm'):.1f} ms"),
                Target("B1 maps", "seed ViT returning all 12 layers' maps / timm ViT",
                       samples.ratio("seed, maps", "timm"),
                       f"{samples.ms('seed, maps'):.1f} ms vs {samples.ms('timm'):.1f} ms"),
            ]
    details = "\n".join([
        f"`{HUB_PAIRS[pair].vit_model}` as timm builds it, and the same weights converted by `models.vit.from_timm` "
        f"(what the app runs); one fixed 1 × 3 × {size} × {size} input; {repeats} alternated rounds after 3 warm-up "
        "calls; medians in ms. The target is judged under `torch.inference_mode()`, which the app's inference uses.",
        "",
        "| context | timm ViT | seed ViT | seed ViT + maps | seed / timm | seed + maps / timm | max abs Δ logits |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])
    section = Section("B1. The seed's ViT against timm's ViT", targets, details)
    if not all(target.met for target in targets):
        with torch.inference_mode():
            section.profile = "\n\n".join([
                "timm ViT, 3 calls:\n" + operator_profile(lambda: reference(x)),
                "seed ViT, 3 calls:\n" + operator_profile(lambda: seed(x)),
                "seed ViT with maps, 3 calls:\n" + operator_profile(lambda: seed(x, need_weights=True)),
            ])
    return section
