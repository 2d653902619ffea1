"""Train the toy pair from scratch and bundle it: `python -m training.toy` (see --help).

With --finetune PAIR it instead runs the homework's experiment: a Hub pair fine-tuned on a dataset
(CIFAR-10 through torchvision, which needs internet; or the toy world, offline).
"""
import argparse
import os
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

import torch
from safetensors.torch import save_file

from models.ablations import without_residuals
from models.bundled import WEIGHTS_DIR, build_model, read_manifest, sha256, write_manifest_entry
from models.normalization import Normalization
from models.pairs import count_parameters
from runtime.device import compute_device
from runtime.hardware import hardware
from runtime.precision import SETTINGS, native_bf16, precision, set_precision
from toyworld import LABELS
from toyworld.data import split_tensors
from toyworld.splits import SPLITS
from training.augment import MAX_SHIFT_PX
from training.card import write_model_card
from training.loop import accuracy, fit
from training.recipes import BATCH_SIZE, MEAN, RECIPES, STD, TEST_SIZE, TRAIN_SIZE, VAL_SIZE

AUGMENTATION = ("the generator randomises position, scale, colours, line widths, background, clutter and small "
                f"pose jitter; training adds random horizontal flips and shifts of up to {MAX_SHIFT_PX} px. "
                "No rotation.")


def train_toy(args: argparse.Namespace) -> None:
    """Render the splits, train both models, evaluate them, and write weights, manifest and model card."""
    started = time.time()
    torch.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"rendering {args.train_size} training, {args.val_size} validation and {args.test_size} test images")
    normalize = Normalization(MEAN, STD)  # bundled.build_model gives the bare model; the pair adds this at load
    train, val, test = [(normalize(images), labels) for images, labels in (
        split_tensors("train", args.train_size), split_tensors("val", args.val_size),
        split_tensors("test", args.test_size))]
    render_seconds = round(time.time() - started, 1)
    data = (f"toy world, {args.train_size:,} training images (seeds {SPLITS['train']}..), {args.val_size:,} "
            f"validation (seeds {SPLITS['val']}..), {args.test_size:,} test (seeds {SPLITS['test']}..), "
            f"{len(LABELS)} balanced classes, 64×64 RGB")
    written = []
    for recipe in RECIPES:
        if args.only and recipe.key != f"toy_{args.only}" or args.without_residuals and recipe.kind != "vit":
            continue
        model_started = time.time()
        torch.manual_seed(args.seed)
        model = build_model(recipe.manifest_fields() | {"labels": LABELS})
        key = recipe.key
        if args.without_residuals:
            model, key = without_residuals(model), f"{recipe.key}_without_residuals"
        model = model.to(compute_device())
        hyper = recipe.hyperparameters() | ({"epochs": args.epochs} if args.epochs else {})
        training = fit(model, train, val, recipe.optimisation(hyper["epochs"], args.batch_size), seed=args.seed,
                       desc=key)
        history = training.val_accuracy
        test_accuracy = accuracy(model, *test)
        print(f"{key} test accuracy: {test_accuracy:.4f}")
        path = out / f"{key}.safetensors"
        save_file({k: v.contiguous().cpu() for k, v in model.state_dict().items()}, str(path))
        entry = recipe.manifest_fields() | {
            "key": key, "file": path.name, "sha256": sha256(path), "labels": LABELS,
            "preprocessing": {"size": 64, "mean": list(MEAN), "std": list(STD)},
            "provenance": {
                "data": data, "command": args.command, "parameters": count_parameters(model),
                "hyperparameters": hyper | {"batch_size": args.batch_size, "seed": args.seed,
                                            "precision": precision()},
                "training_set": args.train_size,
                "augmentation": AUGMENTATION, "val_history": history, "val_accuracy": history[-1],
                "test_accuracy": test_accuracy, "test_images": args.test_size,
                "epochs": [asdict(e) for e in training.epochs], "wall_time_s": round(time.time() - model_started, 1),
                "render_time_s": render_seconds,
                "hardware": hardware(), "date": date.today().isoformat(),
            },
        }
        if args.without_residuals:
            entry["ablation"] = "without residual connections (models.ablations.without_residuals)"
        write_manifest_entry(key, entry, out)
        written.append(entry["file"])
    manifest = read_manifest(out)
    if any(r.key in manifest for r in RECIPES):
        write_model_card(out / "MODEL_CARD.md", [manifest[r.key] for r in RECIPES if r.key in manifest])
    print(f"wrote {', '.join(written)}, manifest.json and MODEL_CARD.md to {out} "
          f"in {(time.time() - started) / 60:.1f} min")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(WEIGHTS_DIR), help="where weights, manifest and card go")
    parser.add_argument("--train-size", type=int, default=TRAIN_SIZE)
    parser.add_argument("--val-size", type=int, default=VAL_SIZE)
    parser.add_argument("--test-size", type=int, default=TEST_SIZE)
    parser.add_argument("--epochs", type=int, help="override every model's number of epochs")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--only", choices=["cnn", "vit"], help="train one model of the pair")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--without-residuals", action="store_true",
                        help="train only the ViT, with its blocks' residual connections removed (the ablation of "
                             "the homework's residual claim); written as toy_vit_without_residuals")
    parser.add_argument("--finetune", metavar="PAIR", help="fine-tune a Hub pair instead (the seed's experiment)")
    parser.add_argument("--dataset", choices=["cifar10", "toy"], default="cifar10", help="with --finetune")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--precision", choices=SETTINGS, default="fp32",
                        help="fp32 (default: what the bundled weights were trained at, so this command reproduces "
                             "them bit for bit), bf16 autocast with float32 master weights, or auto (bf16 where the "
                             "hardware has it; runtime/precision.py)")
    args = parser.parse_args(argv)
    args.command = recorded_command(argv if argv is not None else sys.argv[1:])
    torch.set_num_threads(args.threads)
    print(f"training at {set_precision(args.precision)}", flush=True)
    if args.finetune:
        from training.finetune import finetune
        finetune(args)
    else:
        train_toy(args)


def recorded_command(argv: list[str]) -> str:
    """The command line as the manifest records it: without --out, since where the files go changes nothing."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--out":
            skip = True
        elif not arg.startswith("--out="):
            kept.append(arg)
    return " ".join(["python -m training.toy", *kept])


if __name__ == "__main__":
    main()
