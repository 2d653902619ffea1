"""Measure the homework's claims over many images and write FINDINGS.md: `python -m findings.report` (see --help).

On the toy pair it uses held-out toy-world test images; on a Hub pair, the images of a folder you name.
"""
import argparse
import time
from datetime import date
from pathlib import Path

import torch
from tqdm import tqdm

from lab import claims
from lab.dataset_sweeps import sweep_dataset
from figures.report import dataset_sweep_figure, recognition_figure
from models import load_pair
from models.pairs import Pair
from toyworld.data import split_tensors
from figures.explanations import looking_distance_figure
from figures.lab import complexity_figure
from images.decode import load_image

ROOT = Path(__file__).resolve().parent.parent
TOY_TRAINING = ("Here the toy world draws objects at random positions and training adds shifts of up to 4 px, "
                "but no rotations beyond a few degrees of pose jitter.")
HUB_TRAINING = ("ImageNet training used random resized crops and flips; RandAugment's operations include "
                "rotations of up to about 30°.")


def folder_images(pair: Pair, folder: Path) -> torch.Tensor:
    """Every decodable image of a folder, preprocessed as the pair does."""
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    images = [pair.transform(load_image(p)) for p in paths]
    if not images:
        raise SystemExit(f"no images found in {folder}")
    return torch.stack(images)


def measure(pair: Pair, images01: torch.Tensor, seeds: list[int], out: Path,
            quick: bool) -> tuple[list[claims.Finding], dict]:
    """Run every measurement, save the figures under out/findings; the findings in claim order, and the sweeps."""
    figures = out / "findings"
    figures.mkdir(parents=True, exist_ok=True)
    training = TOY_TRAINING if pair.name == "toy" else HUB_TRAINING
    sweeps = {}
    for kind in ("translate", "rotate", "shuffle", "drop"):
        bar = tqdm(total=len(images01), desc=f"{kind} sweep", unit="image")
        sweeps[kind] = sweep_dataset(pair, images01, kind, progress=lambda f, d: bar.update(1))
        bar.close()
        dataset_sweep_figure(sweeps[kind]).savefig(figures / f"{kind}.png", dpi=100)
    rates, measure_name = claims.picasso_rates(pair, seeds)
    recognition_figure(rates, measure_name, len(seeds)).savefig(figures / "picasso.png", dpi=100)
    locality, distances, fields = claims.locality(pair, images01[:100])
    looking_distance_figure(distances, fields, pair.input_size).savefig(figures / "distance.png", dpi=100)
    sides = (7, 14, 28) if quick else (7, 14, 28, 56)
    cost, timings = claims.attention_cost(sides=sides, repeats=2 if quick else 5)
    complexity_figure(96, 7, list(sides), timings).savefig(figures / "attention_cost.png", dpi=100)
    return [
        claims.translation(sweeps["translate"], training),
        claims.rotation(sweeps["rotate"], training),
        claims.picasso_cnn(rates, len(seeds)),
        claims.picasso_vit(rates, len(seeds)),
        locality,
        claims.parameters(pair),
        cost,
    ], sweeps


def write_findings(path: Path, pair: Pair, findings: list[claims.Finding], sweeps: dict, count: int,
                   command: str, seconds: float) -> None:
    """FINDINGS.md: a summary table, then each claim with its numbers, figure and explanation."""
    lines = [
        "# Findings: the homework's claims, measured",
        "",
        f"Pair **{pair.name}**: {pair.description}  ",
        f"{count} held-out images per sweep, all classes in equal numbers (95% intervals: normal approximation for mean scores, Wilson for "
        f"rates). Written by `{command}` on {date.today().isoformat()} in {seconds / 60:.1f} min. "
        "Every number below is measured; where it contradicts the homework, the measurement stands.",
        "",
        "| # | claim | CNN | ViT | verdict |",
        "|---|---|---|---|---|",
    ]
    for i, f in enumerate(findings, 1):
        cnn, vit = (f.cnn, f.vit) if f.labels == ("CNN", "ViT") else (f"{f.labels[0]}: {f.cnn}",
                                                                       f"{f.labels[1]}: {f.vit}")
        lines.append(f"| {i} | {f.claim} | {cnn} | {vit} | **{f.verdict}** |")
    for i, f in enumerate(findings, 1):
        lines += ["", f"## {i}. {f.claim} — {f.verdict}", "", f"**Measurement.** {f.measurement}", "",
                  f"- {f.labels[0]}: {f.cnn}", f"- {f.labels[1]}: {f.vit}", "", f"**Why.** {f.why}"]
        if f.figure:
            lines += ["", f"![{f.claim}]({f.figure})"]
    lines += ["", "## Also measured: patch shuffle and patch drop (Naseer et al. 2021)", ""]
    for kind in ("shuffle", "drop"):
        s = sweeps[kind]
        row = ", ".join(f"{x:g}: CNN {c:.0%} / ViT {v:.0%}" for x, c, v in zip(s.x, s.cnn.agreement,
                                                                              s.vit.agreement))
        lines += [f"- **{kind}** (top-1 kept, by {kind == 'shuffle' and 'grid' or 'fraction dropped'}): {row}",
                  "", f"![{kind}](findings/{kind}.png)", ""]
    lines += ["Verdict rules: a model is invariant to a change when its top-1 survives it at least 90% of the "
              "time (partly: 60%); a Picasso face 'still reads as a face' for a model that calls at least half "
              "of the scrambled faces (homework and full scramble averaged) a face (partly: 20%).", ""]
    path.write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", default="toy")
    parser.add_argument("--images", type=Path, help="folder of images (required for Hub pairs)")
    parser.add_argument("--count", type=int, default=500, help="held-out toy images and Picasso faces")
    parser.add_argument("--quick", action="store_true", help="a small, fast run (for tests)")
    parser.add_argument("--out", type=Path, default=ROOT, help="folder for FINDINGS.md and findings/")
    args = parser.parse_args()
    started = time.time()
    pair = load_pair(args.pair)
    count = 20 if args.quick else args.count
    if args.images:
        images01 = folder_images(pair, args.images)
    elif pair.name == "toy":
        images01 = split_tensors("test", count)[0]
    else:
        raise SystemExit("Hub pairs need --images FOLDER (ImageNet-like photos); the toy world has other classes.")
    seeds = list(range(3_000_000, 3_000_000 + count))  # faces outside the train, val and test seed ranges
    findings, sweeps = measure(pair, images01, seeds, args.out, args.quick)
    command = "python -m findings.report " + " ".join(
        f"--{k} {v}" for k, v in [("pair", args.pair), ("images", args.images)] if v and v != "toy")
    write_findings(args.out / "FINDINGS.md", pair, findings, sweeps, len(images01), command.strip(),
                   time.time() - started)
    print(f"wrote {args.out / 'FINDINGS.md'} and {args.out / 'findings'}/")


if __name__ == "__main__":
    main()
