"""The residual ablation's results file: the toy ViT trained with and without its residual connections, several
seeds each, from the manifests the training command wrote (`python -m training.toy [--without-residuals]`).

`python -m findings.residual --with weights runs/toy-seed1 ... --without runs/toy-without-residuals-seed0 ...`
writes findings/residual.json, which `python -m findings.report` grades.
"""
import argparse
import json
from pathlib import Path

from lab.statistics import pooled_counts, wilson
from models.bundled import read_manifest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "findings" / "residual.json"


def _run(folder: Path, key: str) -> dict:
    entry = read_manifest(folder)[key]
    p = entry["provenance"]
    count = p.get("test_images", 3_000)
    return {"seed": p["hyperparameters"]["seed"], "test_accuracy": list(wilson(round(p["test_accuracy"] * count), count)),
            "test_images": count, "epochs": p["hyperparameters"]["epochs"],
            "steps": p["hyperparameters"]["epochs"] * (p["training_set"] // p["hyperparameters"]["batch_size"]), "sha256": entry["sha256"],
            "command": p["command"], "hardware": p["hardware"], "precision": p["hyperparameters"].get("precision", "fp32"),
            "wall_time_s": p["wall_time_s"]}


def residual_results(with_residuals: list[Path], without_residuals: list[Path]) -> dict:
    """Each seed's test accuracy with and without residual connections, and both pooled over seeds."""
    runs = {"with_residual": [_run(f, "toy_vit") for f in with_residuals],
            "without_residual": [_run(f, "toy_vit_without_residuals") for f in without_residuals]}
    by_seed = {}
    for side, records in runs.items():
        for record in records:
            by_seed.setdefault(record["seed"], {})[side] = record
    pooled = {side: pooled_counts([(round(r["test_accuracy"][0] * r["test_images"]), r["test_images"])
                                   for r in records]).to_json()
              for side, records in runs.items()}
    steps = {seed: max(r["steps"] for r in sides.values()) for seed, sides in by_seed.items()}
    return {"runs": [{"seed": seed, "steps": steps[seed]} | sides for seed, sides in sorted(by_seed.items())],
            "pooled": pooled,
            "recipe": "the toy ViT's own recipe (training.recipes.TOY_VIT: AdamW, one-cycle, 10 epochs of 30,000 "
                      "toy images, batch 128), the same for both; without residuals every block computes "
                      "MSA(LN(x)), then MLP(LN(y)) (models.ablations.without_residuals)",
            "test": "3,000 held-out toy test images, ten classes"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--with", dest="with_residuals", type=Path, nargs="+", required=True,
                        help="folders holding a toy_vit manifest entry (weights/ for the bundled one)")
    parser.add_argument("--without", dest="without_residuals", type=Path, nargs="+", required=True,
                        help="folders holding a toy_vit_without_residuals manifest entry")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = residual_results(args.with_residuals, args.without_residuals)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
