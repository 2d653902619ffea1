"""Measure the app's performance targets B1–B5 and write BENCHMARKS.md.

`python benchmarks/run.py [--quick] [--out BENCHMARKS.md] [--only B1,B3,...]`; run it on a quiet machine.
"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not __package__:  # run as a script, Python put benchmarks/ first on the path; the imports need the root
    sys.path[0] = str(ROOT)

import torch  # noqa: E402

from benchmarks import compute, latency, serving, vit_vs_timm  # noqa: E402
from benchmarks.report import render  # noqa: E402
from benchmarks.targets import Section  # noqa: E402
from benchmarks.timing import machine, matmul_peak  # noqa: E402
from benchmarks.weights import HUB_PAIR, hub_weights  # noqa: E402
from models import load_pair  # noqa: E402
from ui.examples import EXAMPLES_DIR  # noqa: E402

SECTIONS = ("B1", "B2", "B3", "B4", "B5", "panels", "throughput")
NOTES = Path(__file__).resolve().parent / "notes.md"
IMAGES = {"toy": EXAMPLES_DIR / "toy_face.png", HUB_PAIR: EXAMPLES_DIR / "photo_cat_chelsea.jpg"}


def repeats(quick: bool) -> dict[str, int]:
    """How many timed rounds each measurement gets."""
    if quick:
        return {"peak": 3, "B1": 5, "B2": 3, "B3": 1, "B4": 1, "panels": 1, "throughput": 3}
    return {"peak": 10, "B1": 60, "B2": 20, "B3": 7, "B4": 5, "panels": 5, "throughput": 20}


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

    torch.set_num_threads(args.threads)
    n = repeats(args.quick)
    checkpoints = [20, 40] if args.quick else [100, 200, 300, 400, 500]
    description = machine()
    with hub_weights() as weights, tempfile.TemporaryDirectory(prefix="benchmark-gradio-") as gradio_files:
        peak = matmul_peak(args.threads, repeats=n["peak"])
        description |= {"float32 matmul peak": f"{peak:.0f} GFLOP/s (`torch.mm`, 2048 × 2048, {args.threads} "
                                               f"threads, median of {n['peak']})",
                        "Hub pair weights": weights}
        pairs = {name: (load_pair(name), image) for name, image in IMAGES.items()}
        env = serving.child_environment(args.threads, gradio_files)
        sections: list[Section] = []
        for name in only:
            print(f"benchmarks: {name}", flush=True)
            if name == "B1":
                sections.append(vit_vs_timm.measure(HUB_PAIR, n["B1"]))
            elif name == "B2":
                sections.append(compute.measure_compare(pairs, n["B2"]))
            elif name == "B3":
                sections.append(compute.measure_sweep(pairs, n["B3"]))
            elif name == "B4":
                sections.append(serving.measure_cold_start(env, n["B4"]))
            elif name == "B5":
                sections.append(serving.measure_memory(HUB_PAIR, env, checkpoints))
            elif name == "panels":
                sections.append(latency.panels_latency(pairs, n["panels"]))
            elif name == "throughput":
                sections.append(latency.throughput(throughput_models(pairs), peak, n["throughput"]))
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "") + (
        f" --only {','.join(only)}" if only != list(SECTIONS) else "")
    notes = NOTES.read_text().strip() if NOTES.exists() and not args.quick else ""
    args.out.write_text(render(sections, description, command, args.quick, notes))
    for section in sections:
        for target in section.targets:
            print(f"{target.key:8} {target.show(target.measured):>10}  limit {target.show(target.limit):>8}  "
                  f"{'met' if target.met else 'MISSED'}  {target.what}")
    print(f"wrote {args.out}")


def throughput_models(pairs: dict) -> dict:
    """Name -> (model, input side, model whose FLOPs are counted) for every model the app runs, and timm's ViT."""
    models = {}
    for name, (pair, _) in pairs.items():
        size = pair.input_size
        models[f"{name}: CNN ({type(pair.cnn).__name__})"] = (pair.cnn, size, pair.cnn)
        models[f"{name}: seed ViT"] = (pair.vit, size, pair.vit)
    models[f"{HUB_PAIR}: timm's ViT, same weights"] = (vit_vs_timm.timm_vit(HUB_PAIR), 224, pairs[HUB_PAIR][0].vit)
    return models


if __name__ == "__main__":
    main()
