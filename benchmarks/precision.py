"""What bfloat16 autocast buys: each model at fp32 and bf16, with and without the CPU's bfloat16 instructions, and the
targets B6 (a sweep), B7 (a compare request) and B8 (the findings report, a training epoch) at `auto` against fp32.

`python -m benchmarks.precision ROUNDS BATCH...` (run by `measure_speed` in a child process, with oneDNN capped below
its bfloat16 instructions) prints the speed table's measurements as JSON.
"""
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from benchmarks.compute import bare_compare, bare_sweep, compare_request
from benchmarks.profiles import python_profile
from benchmarks.targets import Section, Target
from benchmarks.timing import alternate
from explain.analysis_cache import ANALYSIS_CACHE
from images.decode import load_image
from lab.sweeps import run_sweep
from models import load_pair
from models.bundled import build_model
from models.normalization import Normalization
from models.pairs import Pair
from runtime.device import compute_device, module_device
from runtime.precision import autocast, describe, native_bf16, precision_set, resolve
from toyworld import LABELS
from toyworld.data import split_tensors
from training.loop import fit
from training.recipes import BATCH_SIZE, MEAN, STD, TOY_VIT

ROOT = Path(__file__).resolve().parent.parent
WITHOUT_FAST_PATH = {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE"}
"""oneDNN's documented cap on the instructions it uses: AVX-512 without its bfloat16 dot products (and no AMX)."""


def speed_models(pairs: list[Pair]) -> dict[str, tuple[nn.Module, int]]:
    """Name -> (model, input side) for both models of each pair."""
    return {name: (model, pair.input_size) for pair in pairs
            for name, model in ((f"{pair.name}: CNN", pair.cnn), (f"{pair.name}: seed ViT", pair.vit))}


def model_speeds(models: dict[str, tuple[nn.Module, int]], repeats: int,
                 batches: tuple[int, ...]) -> dict[str, list[float]]:
    """'model, batch b' -> [fp32 ms, bf16 ms, median ratio]: inference_mode forwards, the two alternated."""
    results = {}
    for name, (model, side) in models.items():
        for batch in batches:
            x = torch.rand(batch, 3, side, side, generator=torch.Generator().manual_seed(0)).to(module_device(model))

            def forward(setting: str, x=x, model=model) -> None:
                with precision_set(setting), torch.inference_mode(), autocast():
                    model(x)

            samples = alternate({"fp32": lambda: forward("fp32"), "bf16": lambda: forward("bf16")}, repeats,
                                warmup=2)
            results[f"{name}, batch {batch}"] = [samples.ms("fp32"), samples.ms("bf16"), samples.ratio("bf16", "fp32")]
    return results


def _child_speeds(repeats: int, batches: tuple[int, ...], env: dict[str, str]) -> dict[str, list[float]] | str:
    """model_speeds in a fresh interpreter with oneDNN's bfloat16 instructions hidden; or why it failed."""
    result = subprocess.run([sys.executable, "-m", "benchmarks.precision", str(repeats), *map(str, batches)],
                            cwd=ROOT, env=env | WITHOUT_FAST_PATH, capture_output=True, text=True)
    if result.returncode != 0:
        return f"the child process failed ({result.returncode}): {result.stderr[-1500:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure_speed(pairs: list[Pair], env: dict[str, str], repeats: int, batches: tuple[int, ...]) -> Section:
    """Every model at each batch size, fp32 and bf16, here and in a child without the bfloat16 fast path."""
    here = model_speeds(speed_models(pairs), repeats, batches)
    on_cpu = compute_device().type == "cpu"
    without = _child_speeds(repeats, batches, env) if on_cpu else "not measured: the models run on a GPU here"
    rows = []
    for case, (fp32, bf16, ratio) in here.items():
        other = (f"{without[case][0]:.1f} | {without[case][1]:.1f} | {without[case][2]:.2f}×"
                 if isinstance(without, dict) else "— | — | —")
        rows.append(f"| {case} | {fp32:.1f} | {bf16:.1f} | {ratio:.2f}× | {other} |")
    isa = ", ".join(f"{k}={v}" for k, v in WITHOUT_FAST_PATH.items())
    details = "\n".join([
        f"Native bfloat16 on this CPU, as `runtime.precision.native_bf16` detects it: **{native_bf16()}**; `auto` "
        f"resolves to **{describe(resolve('auto'))}** here. Each model of each pair (the Hub pair's weights as in "
        "B1), one forward on a random batch under `inference_mode`, at fp32 and under the app's bf16 autocast "
        f"(`runtime.precision.autocast`), alternated, {repeats} rounds after 2 warm-up rounds, medians in ms; the "
        "ratio is the median of each round's bf16 / fp32. *Without the fast path*: the same in a fresh interpreter "
        f"started with `{isa}`, oneDNN's documented switch that caps the instructions it uses at AVX-512 without "
        "its bfloat16 dot products: what bf16 costs on a CPU without native bfloat16, and why `auto` then stays "
        "at fp32.",
        "",
        "| model, batch | fp32 | bf16 | bf16 / fp32 | without the fast path: fp32 | bf16 | bf16 / fp32 |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        *([] if isinstance(without, dict) else ["", f"Without the fast path: {without}"]),
    ])
    return Section("Precision: bf16 against fp32, with and without native bfloat16", details=details)


def at_auto(run: Callable[[], object]) -> Callable[[], None]:
    """run() with the process computing at `auto` (the app's default), the previous precision restored after."""
    def call() -> None:
        with precision_set("auto"):
            run()
    return call


def measure_sweep_at_auto(pair: Pair, image: Path, repeats: int, thorough: bool, kind: str = "rotate") -> Section:
    """B6: the sweep at `auto` against fp32 batched bare inference of the same images (B3's bare case)."""
    image01 = pair.transform(load_image(image))
    bare, batch = bare_sweep(pair, image01, kind)
    sweep = at_auto(lambda: run_sweep(pair, image01, kind))
    warmup = 1  # the first bf16 call on a new shape builds oneDNN's kernels
    samples = alternate({"sweep": sweep, "bare": bare}, repeats, warmup)
    ratio = samples.ratio("sweep", "bare")
    target = Target("B6", f"{kind} sweep at `auto` / fp32 batched bare inference, {pair.name}", ratio,
                    f"{samples.ms('sweep'):.0f} ms vs {samples.ms('bare'):.0f} ms")
    profile = (f"{kind} sweep at auto on {pair.name} (cProfile, by own time):\n" + python_profile(sweep)
               if thorough and not target.met else "")
    details = (f"`lab.sweeps.run_sweep(pair, crop, '{kind}')` on `{image.name}` with the process at `auto` "
               f"({describe(resolve('auto'))} here), against B3's bare case: the same {batch} crops through "
               f"`pair.cnn` and `pair.vit` in one batch each at fp32. {repeats} alternated rounds after {warmup} "
               "warm-up round(s); medians; the ratio is the median of each round's ratio.")
    return Section("B6. A rotation sweep at `auto` against fp32 bare inference", [target], details, profile)


def measure_compare_at_auto(pair: Pair, image: Path, repeats: int, thorough: bool) -> Section:
    """B7: a compare request at `auto` against its fp32 bare compute (B2's bare case)."""
    image01 = pair.transform(load_image(image))
    request = at_auto(compare_request(pair, image))
    warmup = 2 if thorough else 1
    samples = alternate({"compare": request, "bare": bare_compare(pair, image01)}, repeats, warmup,
                        before=ANALYSIS_CACHE.clear)
    ratio = samples.ratio("compare", "bare")
    target = Target("B7", f"compare request at `auto` / fp32 bare compute, {pair.name}", ratio,
                    f"{samples.ms('compare'):.1f} ms vs {samples.ms('bare'):.1f} ms")
    profile = (f"compare at auto on {pair.name} (cProfile, by own time):\n"
               + python_profile(request, before=ANALYSIS_CACHE.clear) if thorough and not target.met else "")
    details = (f"B2's compare request on `{image.name}` (analysis cache emptied before each call) with the process "
               f"at `auto` ({describe(resolve('auto'))} here), against B2's bare compute at fp32. {repeats} "
               f"alternated rounds after {warmup} warm-up rounds; medians; the ratio is the median of each round's "
               "ratio.")
    return Section("B7. A compare request at `auto` against its fp32 bare compute", [target], details, profile)


def findings_report(setting: str, out: str) -> Callable[[], None]:
    """`python -m findings.report --quick --precision SETTING`, in this process, its output silenced."""
    from findings import report

    def run() -> None:
        with precision_set(setting), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            report.main(["--quick", "--out", out, "--precision", setting])

    return run


def training_epoch(setting: str, train: tuple[torch.Tensor, torch.Tensor],
                   val: tuple[torch.Tensor, torch.Tensor]) -> Callable[[], None]:
    """One epoch of the toy ViT's training recipe, from the same seed, at `setting`."""
    def run() -> None:
        torch.manual_seed(0)
        model = build_model(TOY_VIT.manifest_fields() | {"labels": LABELS})
        with precision_set(setting), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            fit(model, train, val, TOY_VIT.optimisation(1, BATCH_SIZE), seed=0, desc="benchmark")

    return run


def measure_batch_work(repeats: int, train_images: int, thorough: bool) -> Section:
    """B8: the findings report (quick) and one epoch of the toy ViT's training, at `auto` against fp32."""
    normalize = Normalization(MEAN, STD)
    train, val = [(normalize(images), labels) for images, labels in (split_tensors("train", train_images),
                                                                     split_tensors("val", 256))]
    targets, rows, profiles = [], [], []
    with tempfile.TemporaryDirectory(prefix="benchmark-findings-") as out:
        cases = {
            "findings report (quick)": {setting: findings_report(setting, out) for setting in ("auto", "fp32")},
            f"toy ViT training, one epoch of {train_images:,} images": {
                setting: training_epoch(setting, train, val) for setting in ("auto", "fp32")},
        }
        for what, runs in cases.items():
            samples = alternate(runs, repeats, warmup=1 if thorough else 0)
            ratio = samples.ratio("auto", "fp32")
            target = Target("B8", f"{what}, `auto` / fp32", ratio,
                            f"{samples.ms('auto') / 1e3:.1f} s vs {samples.ms('fp32') / 1e3:.1f} s")
            targets.append(target)
            rows.append(f"| {what} | {samples.ms('auto') / 1e3:.2f} | {samples.ms('fp32') / 1e3:.2f} | "
                        f"{ratio:.2f}× |")
            if thorough and not target.met:
                profiles.append(f"{what} at auto (cProfile, by cumulative time):\n"
                                + python_profile(runs["auto"], rows=30, sort="cumulative"))
    details = "\n".join([
        f"In this process, `auto` ({describe(resolve('auto'))} here) against fp32, alternated, {repeats} rounds "
        f"after {1 if thorough else 0} warm-up round(s); "
        "medians in seconds. The findings report: `findings.report.main(['--quick', '--precision', ...])` on the "
        "toy pair, everything it measures and draws (C11 and C12 are read from the Swin measurement's files). "
        "The training epoch: `training.loop.fit` with the toy ViT's recipe (batch "
        f"{BATCH_SIZE}, AdamW, one-cycle schedule, flips and shifts), from the same seed, on the first "
        f"{train_images:,} training images (the full epoch has 30,000: the same batches, more of them), with the "
        "validation pass that ends each epoch (256 images).",
        "",
        "| work | auto | fp32 | ratio |",
        "|---|---:|---:|---:|",
        *rows,
    ])
    return Section("B8. The findings report and a training epoch at `auto` against fp32", targets, details,
                   "\n\n".join(profiles))


def main() -> None:
    """The child of measure_speed: the speed table's measurements as one line of JSON."""
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", 2)))
    from benchmarks.weights import HUB_PAIR
    pairs = [load_pair("toy"), load_pair(HUB_PAIR)]
    print(json.dumps(model_speeds(speed_models(pairs), int(sys.argv[1]), tuple(map(int, sys.argv[2:])))))


if __name__ == "__main__":
    main()
