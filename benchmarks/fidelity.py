"""Fidelity: what bfloat16 autocast changes in the numbers the app shows, against float32, on held-out toy images."""
from collections.abc import Callable

import numpy as np
import torch

from benchmarks.targets import Section, Target
from explain.analysis_cache import Analysis
from explain.maps import crop_maps
from explain.passes import cnn_pass, vit_pass
from lab.sweeps import SWEEPS, run_sweep
from models.inference import probabilities
from models.pairs import Pair
from runtime.precision import precision_set
from toyworld.data import split_tensors

MAPS = (("cnn", "gradcam", "CNN Grad-CAM"), ("vit", "rollout", "ViT rollout"),
        ("vit", "gradcam", "ViT Grad-CAM (last block)"), ("vit", "chefer", "ViT Chefer"))
BATCH = 100
LOWER = "bf16"
"""The precision checked against fp32 (what `auto` gives on a CPU with native bfloat16 and on a GPU with it)."""


def pearson(a: torch.Tensor, b: torch.Tensor) -> float:
    """Pearson correlation of two tensors' values; nan when either is constant."""
    a, b = a.flatten().double(), b.flatten().double()
    a, b = a - a.mean(), b - b.mean()
    norm = float(a.norm() * b.norm())
    return float(a @ b) / norm if norm > 0 else float("nan")


def at(setting: str, run: Callable[[], object]):
    """run() with the process computing at `setting`, the previous precision restored after."""
    with precision_set(setting):
        return run()


def _probability_rows(pair: Pair, images01: torch.Tensor) -> tuple[list[str], list[Target]]:
    def all_probabilities() -> list[tuple[torch.Tensor, torch.Tensor]]:
        return [probabilities(pair, images01[i:i + BATCH]) for i in range(0, len(images01), BATCH)]

    exact, lower = at("fp32", all_probabilities), at(LOWER, all_probabilities)
    rows, targets = [], []
    for index, model in enumerate(("CNN", "ViT")):
        a, b = (torch.cat([batch[index] for batch in runs]) for runs in (exact, lower))
        agreement = float((a.argmax(-1) == b.argmax(-1)).double().mean()) * 100
        worst = (a - b).abs().amax(dim=-1).numpy()  # per image, the class whose probability moved most
        p99, top = float(np.percentile(worst, 99)), float(worst.max())
        rows.append(f"| {model} | {len(a):,} | {agreement:.2f} % | {p99:.4f} | {top:.4f} |")
        targets += [Target("F1", f"top-1 agreement of {LOWER} with fp32, toy {model}", agreement,
                           f"{len(a):,} held-out toy images", unit="%"),
                    Target("F2", f"99th percentile of \\|Δ probability\\|, toy {model}", p99,
                           f"maximum {top:.4f}", unit="")]
    return rows, targets


def _analysis(pair: Pair, image01: torch.Tensor, targets: tuple[int, int] | None = None) -> Analysis:
    cnn = cnn_pass(pair, image01, targets and targets[0])
    vit = vit_pass(pair, image01, targets and targets[1])
    return Analysis(pair, image01, cnn, vit, 0.0, 0.0)


def _map_rows(pair: Pair, images01: torch.Tensor) -> tuple[list[str], list[Target]]:
    correlations = {name: [] for *_, name in MAPS}
    for image01 in images01:
        exact = at("fp32", lambda: _analysis(pair, image01))
        # the same classes as fp32's top-1, so both versions explain the same thing
        lower = at(LOWER, lambda: _analysis(pair, image01, (exact.cnn.target, exact.vit.target)))
        a, b = crop_maps(exact), crop_maps(lower)
        for model, key, name in MAPS:
            correlations[name].append(pearson(getattr(a, model)[key], getattr(b, model)[key]))
    rows, targets = [], []
    for name, values in correlations.items():
        r = np.array(values)
        constant = int(np.isnan(r).sum())
        r = r[~np.isnan(r)]
        rows.append(f"| {name} | {len(r):,} | {r.mean():.4f} | {np.percentile(r, 1):.4f} | {r.min():.4f} | "
                    f"{constant} |")
        targets.append(Target("F3", f"Pearson r of the {LOWER} map with fp32's, {name}, mean over images",
                              float(r.mean()), f"1st percentile {np.percentile(r, 1):.4f}, minimum {r.min():.4f}",
                              unit=""))
    return rows, targets


def _sweep_rows(pair: Pair, images01: torch.Tensor) -> tuple[list[str], list[Target]]:
    rows, pooled = [], {"CNN": ([], [], []), "ViT": ([], [], [])}  # per model: exact scores, lower scores, same top-1
    for kind in SWEEPS:
        exact = [at("fp32", lambda: run_sweep(pair, image01, kind)) for image01 in images01]
        lower = [at(LOWER, lambda: run_sweep(pair, image01, kind)) for image01 in images01]
        for model, name in (("cnn", "CNN"), ("vit", "ViT")):
            a = np.array([getattr(run, model).score for run in exact]).ravel()
            b = np.array([getattr(run, model).score for run in lower]).ravel()
            same = [x == y for p, q in zip(exact, lower)
                    for x, y in zip(getattr(p, model).top1, getattr(q, model).top1)]
            delta = np.abs(a - b)
            r = pearson(torch.from_numpy(a), torch.from_numpy(b))
            rows.append(f"| {kind} | {name} | {a.size:,} | {np.mean(same) * 100:.2f} % | "
                        f"{np.percentile(delta, 99):.4f} | {delta.max():.4f} | {r:.4f} |")
            for kept, values in zip(pooled[name], (a, b, same)):
                kept.extend(values)
    targets = []
    for name, (a, b, same) in pooled.items():
        a, b = np.array(a), np.array(b)
        delta = np.abs(a - b)
        every = f"every sweep, toy {name}"
        targets += [
            Target("F1", f"top-1 agreement of {LOWER} with fp32, {every}", float(np.mean(same)) * 100,
                   f"{len(same):,} sweep points on {len(images01)} images", unit="%"),
            Target("F2", f"99th percentile of \\|Δ score\\|, {every}", float(np.percentile(delta, 99)),
                   f"maximum {delta.max():.4f}", unit=""),
            Target("F3", f"Pearson r of the {LOWER} scores with fp32's, {every}",
                   pearson(torch.from_numpy(a), torch.from_numpy(b)), f"{len(a):,} scores", unit=""),
        ]
    return rows, targets


def measure_fidelity(pair: Pair, count: int, map_count: int, sweep_count: int) -> Section:
    """bf16 against fp32 on the first `count` held-out toy images (maps on `map_count`, sweeps on `sweep_count`)."""
    images01, _ = split_tensors("test", count)
    probability_rows, targets = _probability_rows(pair, images01)
    map_rows, map_targets = _map_rows(pair, images01[:map_count])
    sweep_rows, sweep_targets = _sweep_rows(pair, images01[:sweep_count])
    details = "\n".join([
        f"The toy pair computing at {LOWER} (bfloat16 autocast, float32 weights: what `auto` gives on this CPU) "
        "against fp32, on held-out toy-world test images (`toyworld.data.split_tensors('test', n)`, seeds disjoint "
        "from training), every class in equal numbers. Probabilities: `models.inference.probabilities`, in batches "
        f"of {BATCH}; \\|Δ probability\\| is, per image, the largest change over the classes.",
        "",
        "| model | images | top-1 agreement | 99th percentile of \\|Δ probability\\| | maximum |",
        "|---|---:|---:|---:|---:|",
        *probability_rows,
        "",
        "Maps: each map the app draws (`explain.maps.crop_maps`: at the crop's resolution, as the overlays and "
        "`/maps` give them), for fp32's top-1 class of each model, both versions from the passes the app runs "
        "(`explain.passes`), Pearson r per image. Rollout and Chefer's relevance multiply their matrices in "
        "float32 in both versions (they take the passes' float32 maps and gradients); only the model calls differ. "
        "*Constant*: images where a map is constant in either version (r undefined), left out.",
        "",
        "| map | images | mean r | 1st percentile | minimum | constant |",
        "|---|---:|---:|---:|---:|---:|",
        *map_rows,
        "",
        "Sweeps: `lab.sweeps.run_sweep` of every kind on each image; *score* is the probability of the clean "
        "image's class at every x (averaged over the draws), *top-1* the label at every x.",
        "",
        "| sweep | model | scores | top-1 agreement | 99th percentile of \\|Δ score\\| | maximum | Pearson r |",
        "|---|---|---:|---:|---:|---:|---:|",
        *sweep_rows,
    ])
    return Section(f"Fidelity: {LOWER} against fp32", targets + map_targets + sweep_targets, details)
