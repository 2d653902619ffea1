"""Measure the app's performance targets B1–B8 and bf16's fidelity, and write BENCHMARKS.md.

`python benchmarks/run.py [--quick] [--out BENCHMARKS.md] [--only B1,B3,...]`; run it on a quiet machine.
"""
import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a script, Python put benchmarks/ first on the path; the imports need the root
    sys.path[0] = str(ROOT)

import torch  # noqa: E402

from benchmarks import compute, fidelity, latency, precision, serving, vit_vs_timm  # noqa: E402
from benchmarks.report import render  # noqa: E402
from benchmarks.targets import Section  # noqa: E402
from benchmarks.timing import machine, matmul_peak  # noqa: E402
from benchmarks.weights import HUB_PAIR, hub_weights  # noqa: E402
from models import load_pair  # noqa: E402
from runtime.memory import tune_malloc  # noqa: E402
from ui.examples import EXAMPLES_DIR  # noqa: E402

SECTIONS = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "precision", "fidelity", "panels", "throughput")
NOTES = Path(__file__).resolve().parent / "notes.md"
IMAGES = {"toy": EXAMPLES_DIR / "toy_face.png", HUB_PAIR: EXAMPLES_DIR / "photo_cat_chelsea.jpg"}


@dataclass(frozen=True)
class Plan:
    """How hard each measurement works: timed rounds, memory checkpoints, and whether misses get explained."""
    peak: int = 10
    b1: int = 100
    b2: int = 20
    b3: int = 7
    b4: int = 5
    panels: int = 5
    throughput: int = 20
    b6: int = 5
    b7: int = 10
    b8: int = 3
    precision: int = 5
    speed_batches: tuple[int, ...] = (1, 24)  # batch sizes of the precision section's table
    train_images: int = 3840  # one epoch of the toy ViT's training on this many images (B8)
    fidelity: tuple[int, int, int] = (1000, 1000, 200)  # toy images for probabilities, maps, sweeps
    checkpoints: tuple[int, ...] = (100, 200, 300, 400, 500)
    thorough: bool = True  # extra variants, and a profile of every missed target


FULL = Plan()
QUICK = Plan(peak=3, b1=5, b2=3, b3=1, b4=1, panels=1, throughput=2, b6=1, b7=2, b8=1, precision=1, speed_batches=(1, 4),
             train_images=256, fidelity=(100, 10, 2), checkpoints=(10, 20), thorough=False)


def measure(name: str, plan: Plan, pairs: dict, env: dict[str, str], peak: float) -> Section:
    """One section of the report."""
    if name == "B1":
        return vit_vs_timm.measure(HUB_PAIR, plan.b1, plan.thorough)
    if name == "B2":
        return compute.measure_compare(pairs, plan.b2, plan.thorough)
    if name == "B3":
        return compute.measure_sweep(pairs, plan.b3, plan.thorough)
    if name == "B4":
        return serving.measure_cold_start(env, plan.b4, plan.thorough)
    if name == "B5":
        return serving.measure_memory(HUB_PAIR, env, list(plan.checkpoints), explain=plan.thorough)
    if name == "B6":
        return precision.measure_sweep_at_auto(*pairs[HUB_PAIR], plan.b6, plan.thorough)
    if name == "B7":
        return precision.measure_compare_at_auto(*pairs[HUB_PAIR], plan.b7, plan.thorough)
    if name == "B8":
        return precision.measure_batch_work(plan.b8, plan.train_images, plan.thorough)
    if name == "precision":
        return precision.measure_speed([pair for pair, _ in pairs.values()], env, plan.precision, plan.speed_batches)
    if name == "fidelity":
        return fidelity.measure_fidelity(pairs["toy"][0], *plan.fidelity)
    if name == "panels":
        # A quick run times the toy pair's panels only: the Hub pair's sweep alone takes seconds per call.
        return latency.panels_latency(pairs if plan.thorough else {"toy": pairs["toy"]}, plan.panels,
                                      warmup=int(plan.thorough))
    return latency.throughput(throughput_models(pairs), peak, plan.throughput)


def throughput_models(pairs: dict) -> dict:
    """Name -> (model, input side, model whose FLOPs are counted) for every model the app runs, and timm's ViT."""
    models = {}
    for name, (pair, _) in pairs.items():
        models[f"{name}: CNN ({type(pair.cnn).__name__})"] = (pair.cnn, pair.input_size, pair.cnn)
        models[f"{name}: seed ViT"] = (pair.vit, pair.input_size, pair.vit)
    models[f"{HUB_PAIR}: timm's ViT, same weights"] = (vit_vs_timm.timm_vit(HUB_PAIR), 224, pairs[HUB_PAIR][0].vit)
    return models


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="few repeats and a short memory run (a smoke test)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="report to write")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run, of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads, here and in the app (2)")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    malloc = "the served app's (`runtime/memory.py`)" if tune_malloc() else "glibc's defaults (not glibc, or MALLOC_* set)"
    torch.set_num_threads(args.threads)
    plan = QUICK if args.quick else FULL
    description = machine() | {"malloc settings": malloc}
    started = time.perf_counter()
    with hub_weights() as weights, tempfile.TemporaryDirectory(prefix="benchmark-gradio-") as gradio_files:
        peak = matmul_peak(args.threads, repeats=plan.peak)
        description |= {"float32 matmul peak": f"{peak:.0f} GFLOP/s (`torch.mm`, 2048 × 2048, {args.threads} "
                                               f"threads, fastest of {plan.peak})",
                        "Hub pair weights": weights}
        pairs = {name: (load_pair(name), image) for name, image in IMAGES.items()}
        env = serving.child_environment(args.threads, gradio_files)
        print(f"benchmarks: weights, pairs and peak ready in {time.perf_counter() - started:.0f} s", flush=True)
        command = "python benchmarks/run.py" + (" --quick" if args.quick else "") + (
            f" --only {','.join(only)}" if only != list(SECTIONS) else "")
        notes = NOTES.read_text().strip() if NOTES.exists() and not args.quick else ""
        sections = []
        for name in only:
            started = time.perf_counter()
            sections.append(measure(name, plan, pairs, env, peak))
            print(f"benchmarks: {name} took {time.perf_counter() - started:.0f} s", flush=True)
            args.out.write_text(render(sections, description, command, args.quick, notes))  # so far, in case of a crash
    for section in sections:
        for target in section.targets:
            print(f"{target.key:8} {target.show(target.measured):>10}  limit {target.show(target.limit):>8}  "
                  f"{'met' if target.met else 'MISSED'}  {target.what.replace(chr(92), '')}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
