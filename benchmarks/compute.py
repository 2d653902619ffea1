"""B2 and B3: what a compare request and a rotation sweep cost beyond the model arithmetic they need."""
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import torch
from torch import nn

from benchmarks.profiles import python_profile
from benchmarks.targets import Section, Target
from benchmarks.timing import alternate
from explain.analysis_cache import ANALYSIS_CACHE, analyse, compact_cnn_pass, compact_vit_pass
from explain.overlay import as_picture, overlay
from explain.passes import cnn_pass, vit_pass
from explain.maps import crop_maps
from lab.sweeps import run_sweep, sweep_images
from models.pairs import Pair
from runtime.device import module_device
from ui import panels
from ui import explanations
from ui.requests import TOP_CLASS
from images.decode import load_image


def bare_compare(pair: Pair, image01: torch.Tensor) -> Callable[[], None]:
    """The arithmetic a compare request needs, written plainly: a callable running it on one crop.

    CNN: forward, then the backward of the top-1 logit down to the last stage (all Grad-CAM differentiates);
    ViT: forward returning every layer's maps, under inference_mode. Each model normalises its input itself. Plain
    float32 calls, whatever the process's precision.
    """
    cnn_input = vit_input = image01[None].to(module_device(pair.cnn))

    def run() -> None:
        with torch.no_grad():
            features = pair.cnn.forward_features(cnn_input)
        features.requires_grad_()
        logits = pair.cnn.forward_head(features)
        torch.autograd.grad(logits[0, logits[0].argmax()], features)
        with torch.inference_mode():
            pair.vit(vit_input, need_weights=True)

    return run


def bare_sweep(pair: Pair, image01: torch.Tensor, kind: str) -> tuple[Callable[[], None], int]:
    """Both models' plain inference on a sweep's batch (the clean crop and every transformed one), prebuilt."""
    points = sweep_images(image01, kind, pair.vit.patch_size)
    batch = torch.cat([image01[None]] + [stack for _, stack in points])
    cnn_input = vit_input = batch.to(module_device(pair.cnn))

    def run() -> None:
        with torch.inference_mode():
            pair.cnn(cnn_input)
            pair.vit(vit_input)

    return run, len(batch)


def compare_request(pair: Pair, image: Path) -> Callable[[], None]:
    """One compare panel call on a file, as Gradio hands it over; empty the shared analysis cache before each."""
    def run() -> None:
        explanations.compare(str(image), pair.name, "mean", 0.9, TOP_CLASS)

    return run


@contextlib.contextmanager
def counting_calls(*modules: nn.Module) -> Iterator[list[int]]:
    """How many times each module is called inside the block; the hooks are removed on the way out."""
    counts = [0] * len(modules)

    def counter(index: int):
        def count(module: nn.Module, args: tuple) -> None:
            counts[index] += 1
        return count

    handles = [module.register_forward_pre_hook(counter(i)) for i, module in enumerate(modules)]
    try:
        yield counts
    finally:
        for handle in handles:
            handle.remove()


def model_runs(pair: Pair, image: Path) -> str:
    """How often each model's trunk runs when one new image goes through every per-image panel, then a class."""
    ANALYSIS_CACHE.clear()
    path = str(image)
    with counting_calls(pair.cnn.model.conv1, pair.vit.conv_proj) as counts:
        explanations.compare(path, pair.name)
        panels.inside(path, pair.name, "layer1", 1)
        panels.cls_attention_map(path, pair.name, 1, 0)
        panels.predict(path, pair.name)
        shared = list(counts)
        explanations.compare(path, pair.name, class_name=pair.labels[1])
    return (f"{pair.name}: compare, inside, cls_attention and predict on one new image ran the CNN trunk "
            f"{shared[0]}× and the ViT {shared[1]}×; asking compare for another class then ran them "
            f"{counts[0] - shared[0]}× and {counts[1] - shared[1]}× more.")


def compare_breakdown(pair: Pair, image: Path, repeats: int) -> str:
    """Median ms of each step of a compare request on a new image, timed one by one (alternated), as table rows."""
    path = str(image)
    picture = load_image(path)
    crop = pair.transform(picture)
    ANALYSIS_CACHE.clear()
    a = analyse(pair, picture)
    cnn, vit = cnn_pass(pair, crop), vit_pass(pair, crop)
    maps = crop_maps(a)
    known = explanations.KNOWN.find(picture)
    mask = explanations.object_mask(pair, known) if known else None
    shown = as_picture(crop)
    heats = (maps.cnn["gradcam"], maps.vit["rollout"], maps.vit["gradcam"], maps.vit["chefer"])

    def vit_forward() -> None:
        with torch.inference_mode():
            pair.vit(crop[None].to(module_device(pair.vit)), need_weights=True)

    steps = {
        "decode the file (`load_image`)": lambda: load_image(path),
        "shared crop (`pair.transform`)": lambda: pair.transform(picture),
        "CNN: forward with stages, backward of the head (`cnn_pass`)": lambda: cnn_pass(pair, crop),
        "ViT: forward with maps and the backward to every map, for Grad-CAM and Chefer (`vit_pass`)":
            lambda: vit_pass(pair, crop),
        "(for scale: the ViT's forward with maps alone, as in the bare compute)": vit_forward,
        "keep in the cache (top channels, float16 maps)": lambda: (compact_cnn_pass(cnn), compact_vit_pass(vit)),
        "every map at the crop (`crop_maps`: rollout, upsampling)": lambda: crop_maps(a),
        "is it a known toy example, and its object mask": lambda: (
            explanations.object_mask(pair, explanations.KNOWN.find(picture)) if known else None),
        "four overlays (with the object's outline)": lambda: [explanations.outlined(overlay(shown, heat), mask)
                                                              for heat in heats],
        "ground truth (pointing game, mass on the object)": lambda: explanations.ground_truth_text(maps, known, mask),
    }
    samples = alternate(steps, repeats, warmup=2)
    return "\n".join(f"| {pair.name} | {step} | {samples.ms(step):.2f} |" for step in steps)


def measure_compare(pairs: dict[str, tuple[Pair, Path]], repeats: int, thorough: bool = True) -> Section:
    """B2: compare on a new image against its bare compute, per pair, alternated; thorough: profile any miss."""
    warmup = 2 if thorough else 1
    targets, rows, runs, profiles, steps = [], [], [], [], []
    for name, (pair, image) in pairs.items():
        image01 = pair.transform(load_image(image))
        request = compare_request(pair, image)
        samples = alternate({"compare": request, "bare": bare_compare(pair, image01)}, repeats, warmup,
                            before=ANALYSIS_CACHE.clear)
        ratio = samples.ratio("compare", "bare")
        target = Target("B2", f"compare request / bare compute, {name}", ratio,
                        f"{samples.ms('compare'):.1f} ms vs {samples.ms('bare'):.1f} ms")
        targets.append(target)
        rows.append(f"| {name} | `{image.name}` | {samples.ms('compare'):.1f} | {samples.ms('bare'):.1f} | "
                    f"{ratio:.2f}× |")
        runs.append(f"- {model_runs(pair, image)}")
        if thorough and not target.met:
            steps.append(compare_breakdown(pair, image, repeats))
            profiles.append(f"compare on {name}, `{image.name}` (cProfile, by own time):\n"
                            + python_profile(request, before=ANALYSIS_CACHE.clear))
    details = "\n".join([
        "`ui.explanations.compare(path, pair, 'mean', 0.9, top class)` on an image file, "
        "`explain.analysis_cache.ANALYSIS_CACHE` emptied before each call, so both models run (decode, crop, both "
        "passes, Grad-CAM of both models, rollout, Chefer, four overlays). Bare compute, on the same crop (each model "
        "normalises it itself): the CNN's forward and the backward of its top-1 logit to the last stage, and the ViT's "
        "forward returning every layer's maps under "
        f"`inference_mode`. {repeats} alternated rounds after {warmup} warm-up rounds; medians in ms; the "
        "ratio is the median of each round's ratio.",
        "",
        "| pair | image | compare | bare compute | ratio |",
        "|---|---|---:|---:|---:|",
        *rows,
        "",
        "Model runs per image (forward pre-hooks on the CNN stem and the ViT patch projection):",
        "",
        *runs,
        *(["", "Where a missed request's time goes: each step on its own, alternated, median ms (the bare compute "
           "above has no ViT backward, no decoding, rollout or overlays):", "", "| pair | step | ms |",
           "|---|---|---:|", *steps] if steps else []),
    ])
    return Section("B2. One compare request against its bare compute", targets, details, "\n\n".join(profiles))


def measure_sweep(pairs: dict[str, tuple[Pair, Path]], repeats: int, thorough: bool = True,
                  kind: str = "rotate") -> Section:
    """B3: run_sweep against plain batched inference of the same images, per pair, alternated; thorough: profile
    any miss."""
    warmup = 1 if thorough else 0
    targets, rows, profiles = [], [], []
    for name, (pair, image) in pairs.items():
        image01 = pair.transform(load_image(image))
        bare, batch = bare_sweep(pair, image01, kind)

        def sweep() -> None:
            run_sweep(pair, image01, kind)

        samples = alternate({"sweep": sweep, "bare": bare}, repeats, warmup)
        ratio = samples.ratio("sweep", "bare")
        target = Target("B3", f"{kind} sweep / batched bare inference, {name}", ratio,
                        f"{samples.ms('sweep'):.0f} ms vs {samples.ms('bare'):.0f} ms")
        targets.append(target)
        rows.append(f"| {name} | {batch} | {samples.ms('sweep'):.0f} | {samples.ms('bare'):.0f} | {ratio:.2f}× |")
        if thorough and not target.met:
            profiles.append(f"{kind} sweep on {name} (cProfile, by own time):\n" + python_profile(sweep))
    details = "\n".join([
        f"`lab.sweeps.run_sweep(pair, crop, '{kind}')`: it builds the 24 rotated crops (0°, 15°, …, 345°) and "
        "scores them with the clean crop in one batch of 25 through both models. Bare: the same 25 crops, built "
        "beforehand, through `pair.cnn` and `pair.vit` (no maps) under `inference_mode`, as one batch "
        f"per model: 50 image passes in all. {repeats} alternated rounds after {warmup} warm-up round(s); "
        "medians in ms; the ratio is the median of each round's ratio.",
        "",
        "| pair | images per model | sweep | bare inference | ratio |",
        "|---|---:|---:|---:|---:|",
        *rows,
    ])
    return Section("B3. A rotation sweep against batched bare inference", targets, details, "\n\n".join(profiles))
