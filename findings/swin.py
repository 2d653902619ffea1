"""Swin measured for C11 and C12: `python -m findings.swin` (see --help).

Writes findings/swin_cost.json (lab.attention_cost: FLOPs counted and wall time of DeiT-S, Swin-T and ResNet-50
against resolution, with growth exponents), findings/swin_reach.json (lab.window_crossing: every stage-1 token of
Swin-T traced after its W-MSA and SW-MSA blocks; lab.window_reach: one token after 1–4 blocks beside the ViT's; the
padding wrap-around at a size that is not a whole number of windows) and their figures. `python -m findings.report`
grades C11 and C12 from these files; the app's /swin_cost endpoint serves the first. Random weights throughout: a
cost and a reach depend on the architecture, not on training. Wall time needs a quiet machine: nothing else running.
"""
import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from figures.swin import cost_figure, crossing_figure, reach_maps_figure
from lab.attention_cost import RESOLUTIONS, attention_cost
from lab.window_crossing import window_crossing
from lab.window_reach import TOLERANCE, WindowReach, predicted_reach, swin_gradient, swin_tiny, window_reach
from runtime.hardware import hardware

ROOT = Path(__file__).resolve().parent.parent
COST = ROOT / "findings" / "swin_cost.json"
REACH = ROOT / "findings" / "swin_reach.json"
PADDED_SIZE = 48
"""An image size whose stage-1 grid (12 × 12) is not a whole number of 7 × 7 windows: timm pads it."""


def padding_case(image_size: int = PADDED_SIZE, token: tuple[int, int] = (0, 0)) -> dict:
    """The corner token's traced reach after the W-MSA and SW-MSA blocks where timm pads the grid after the shift,
    against the idealised count (which never wraps around the image's edge)."""
    model = swin_tiny(image_size)
    side = image_size // 4
    traced = [int((swin_gradient(model, token, blocks) > TOLERANCE).sum()) for blocks in (1, 2)]
    window = model.layers[0].blocks[0].window_size[0]
    padded = -(-side // window) * window  # the grid timm attends over, its extra tokens zeros
    predicted = [int(predicted_reach(padded, window, token, blocks)[:side, :side].sum()) for blocks in (1, 2)]
    return {"image_size": image_size, "side": side, "token": list(token), "traced": traced, "predicted": predicted}


def central_summary(result: WindowReach) -> dict:
    """One token's reach after each number of blocks as counts (its maps are drawn in swin_reach.png)."""
    data = result.to_json()
    identical = [bool(np.array_equal(traced, predicted)) for traced, predicted in zip(result.traced, result.predicted)]
    return {key: data[key] for key in ("image_size", "side", "window", "token", "blocks", "tolerance", "counts",
                                       "weakest_reached", "strongest_unreached", "vit_patch", "vit_count")} | {
        "identical": identical}


def provenance(command: str, seconds: float) -> dict:
    """Where and how a file was measured."""
    return {"command": command, "threads": torch.get_num_threads(), "hardware": hardware(),
            "date": date.today().isoformat(), "seconds": round(seconds)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "findings", help="folder for the files and figures")
    parser.add_argument("--resolutions", type=int, nargs="+", default=list(RESOLUTIONS),
                        help=f"image sides for the cost curve (default: {' '.join(map(str, RESOLUTIONS))})")
    parser.add_argument("--repeats", type=int, default=5, help="timed forwards per model and size (medians)")
    parser.add_argument("--tokens", type=int, default=None,
                        help="trace this many random stage-1 tokens instead of all 3,136 (for a quick look)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--skip-cost", action="store_true", help="write only the reach file")
    parser.add_argument("--skip-reach", action="store_true", help="write only the cost file")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python -m findings.swin " + " ".join(argv if argv is not None else sys.argv[1:])
    if not args.skip_cost:
        start = time.perf_counter()
        print(f"counting and timing {', '.join(map(str, args.resolutions))} px, {args.repeats} repeats", flush=True)
        cost = attention_cost(args.resolutions, repeats=args.repeats)
        measured = cost.to_json() | {"provenance": provenance(command.strip(), time.perf_counter() - start)}
        (args.out / COST.name).write_text(json.dumps(measured, indent=1))
        cost_figure(cost).savefig(args.out / "swin_cost.png", dpi=100)
        print(f"wrote {args.out / COST.name} and its figure")
    if args.skip_reach:
        return
    start = time.perf_counter()
    bar = tqdm(total=100, desc="tracing stage-1 tokens", unit="%")
    crossing = window_crossing(count=args.tokens, progress=lambda share: bar.update(round(share * 100) - bar.n))
    bar.close()
    central = window_reach()
    padded = padding_case()
    (args.out / REACH.name).write_text(json.dumps(
        {"crossing": crossing.to_json(), "central": central_summary(central), "padding": padded,
         "provenance": provenance(command.strip(), time.perf_counter() - start)}))
    reach_maps_figure(central).savefig(args.out / "swin_reach.png", dpi=100)
    crossing_figure(crossing).savefig(args.out / "swin_crossing.png", dpi=100)
    print(f"wrote {args.out / REACH.name} and its figures")


if __name__ == "__main__":
    main()
