"""The arrangement experiment, end to end: `python -m lab.arrangement` (see --help).

Stages, in order, each skipped when its record is already under --out (so an interrupted run resumes):
  1. the four architectures trained from scratch on the largest training set, and measured in full;
  2. the homework's protocol (C13, C14): the bundled toy ViT fine-tuned for 5 epochs, then on;
  3. the learning curve: the four architectures on each smaller training set, same number of steps.
Then the results file (--results) is written from the stages' records, and with --bundle the `toy-arrangement`
pair is copied into weights/. With --add-to-curve only the learning curve's sizes missing from an existing results
file are trained and added to it (for a run whose stages are gone: the largest set's stages are not needed).
`python -m findings.report --arrangement RESULTS` reads the results file.
Same seed, precision and machine: same weights.
"""
import argparse
import dataclasses
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import torch
from tqdm import tqdm

from lab.arrangement.bundle import bundle
from lab.arrangement.measure import TestImages, measure_model, test_images
from lab.arrangement.protocol import run_protocol
from lab.arrangement.recipes import ARCHITECTURES, FULL, SMOKE, Budget
from lab.arrangement.stages import Stages, stage_name
from lab.arrangement.training import TaskData, task_data, train_architecture
from runtime.device import compute_device
from runtime.precision import SETTINGS, precision, set_precision
from toyworld.arrangement import split_specs
from toyworld.train import hardware

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "findings" / "arrangement.json"
OUT = ROOT / "runs" / "arrangement"
FINETUNE = "finetune"


class Run:
    """One run's stages, with its data and test images rendered only when a stage that needs them runs."""

    def __init__(self, stages: Stages, budget: Budget, seed: int):
        self.stages, self.budget, self.seed = stages, budget, seed
        self._data: TaskData | None = None
        self._images: TestImages | None = None

    @property
    def data(self) -> TaskData:
        if self._data is None:
            print(f"rendering {self.budget.full_size:,} training and {self.budget.val_size:,} validation images",
                  flush=True)
            started = time.time()
            self._data = task_data(self.budget)
            print(f"rendered in {time.time() - started:.0f} s", flush=True)
        return self._data

    @property
    def images(self) -> TestImages:
        if self._images is None:
            print("rendering the test faces, jumbles and held-out variants", flush=True)
            started = time.time()
            self._images = test_images(self.budget.test_count, self.budget.val_size)
            print(f"rendered in {time.time() - started:.0f} s", flush=True)
        return self._images

    def train_and_measure(self, architecture: str, size: int) -> None:
        """Train one architecture at one size (unless done) and measure it (unless done)."""
        name = stage_name(architecture, size)
        full = size == self.budget.full_size
        measure = f"measure-{architecture}-{size}"
        if self.stages.done(name) and self.stages.done(measure):
            return
        spec = ARCHITECTURES[architecture]
        if self.stages.done(name):
            model = self.stages.load_weights(name, spec.build().to(compute_device()))
        else:
            model, record = train_architecture(spec, self.data, size, self.budget, self.seed)
            self.stages.save(name, record, model)
        images = self.images
        started = time.time()
        measured = measure_model(model, images, full)
        self.stages.save(measure, measured | {"device": compute_device().type, "precision": precision(),
                                              "wall_time_s": round(time.time() - started, 1)})

    def finetune(self) -> None:
        """The homework's protocol on the task (unless done)."""
        if self.stages.done(FINETUNE):
            return
        size = min(self.budget.finetune_size, self.budget.full_size)
        val_specs = split_specs("val", self.budget.val_size)
        vit, record = run_protocol(self.data.first(size), self.data.val, val_specs, self.budget, self.seed)
        self.stages.save(FINETUNE, record, vit)

    def plan(self) -> list[tuple[str, tuple]]:
        """Every stage in order: the largest set first, then the protocol, then the smaller sets."""
        sizes = sorted(self.budget.sizes, reverse=True)
        return ([("train", (a, sizes[0])) for a in ARCHITECTURES] + [("finetune", ())]
                + [("train", (a, size)) for size in sizes[1:] for a in ARCHITECTURES])


def results(stages: Stages, budget: Budget, provenance: dict) -> dict:
    """The results file (findings.report.ARRANGEMENT's keys) from the finished stages."""
    full = budget.full_size
    models = {}
    for key, spec in ARCHITECTURES.items():
        trained = stages.load(stage_name(key, full))
        models[key] = {k: trained[k] for k in ("title", "parameters", "trainable_parameters", "steps", "wall_time_s",
                                               "val_history", "device", "precision")}
        models[key] |= {k: v for k, v in stages.load(f"measure-{key}-{full}").items()
                        if k not in ("device", "precision", "wall_time_s")}
    source = curve_point_source(provenance)
    curve = learning_curve({size: (*curve_point(stages, size), source) for size in budget.sizes})
    protocol = stages.load(FINETUNE)
    return {
        "fine_tuning": protocol["fine_tuning"],
        "misclassified": protocol["misclassified"],
        "moved_without_pooling": models["cnn_flattened"]["held_out_called_face"]["moved"],
        "homework_without_position": models["vit_no_position"]["held_out_called_face"]["(b) homework"],
        "models": models,
        "learning_curve": curve,
        "fine_tuning_protocol": protocol["protocol"],
        "provenance": provenance,
    }


def curve_point_source(provenance: dict) -> dict:
    """Where a learning-curve point was computed: the command, machine, precision and date of the run that made it."""
    return {k: provenance[k] for k in ("command", "device", "precision", "hardware", "threads", "date")}


def curve_point(stages: Stages, size: int) -> tuple[dict, dict]:
    """One size's face-vs-jumbled accuracy and training wall time per architecture, from the stages' records."""
    return ({key: stages.load(f"measure-{key}-{size}")["face_vs_jumbled"]["accuracy"] for key in ARCHITECTURES},
            {key: stages.load(stage_name(key, size))["wall_time_s"] for key in ARCHITECTURES})


def learning_curve(points: dict[int, tuple[dict, dict, dict]]) -> dict:
    """The results file's learning curve from {size: (accuracy, wall time, where computed)}, sizes ascending."""
    sizes = sorted(points)
    return {"sizes": sizes,
            "accuracy": {key: [points[size][0][key] for size in sizes] for key in ARCHITECTURES},
            "wall_time_s": {key: [points[size][1][key] for size in sizes] for key in ARCHITECTURES},
            "computed": [points[size][2] for size in sizes]}


def add_to_curve(existing: dict, stages: Stages, sizes: list[int], provenance: dict) -> dict:
    """`existing` results with the learning curve's points at `sizes` added from the stages' records, each point
    recording where it was computed (learning_curve["computed"])."""
    curve = existing["learning_curve"]
    computed = curve.get("computed") or [curve_point_source(existing["provenance"])] * len(curve["sizes"])
    points = {size: ({key: curve["accuracy"][key][i] for key in ARCHITECTURES},
                     {key: curve["wall_time_s"][key][i] for key in ARCHITECTURES}, computed[i])
              for i, size in enumerate(curve["sizes"])}
    source = curve_point_source(provenance)
    points |= {size: (*curve_point(stages, size), source) for size in sizes}
    added = learning_curve(points)
    budget = existing["provenance"]["budget"] | {"sizes": added["sizes"]}
    return existing | {"learning_curve": added, "provenance": existing["provenance"] | {"budget": budget}}


def missing_curve_sizes(existing: dict, budget: Budget, seed: int) -> list[int]:
    """The sizes of `budget` that the results file's curve lacks; refuses a results file of another budget, largest
    size or seed, whose points would not be comparable."""
    recorded = existing["provenance"]
    theirs = Budget(**{**recorded["budget"], "sizes": tuple(recorded["budget"]["sizes"])})
    if run_config(theirs, recorded["seed"]) != run_config(budget, seed):
        raise SystemExit("the results file was written with another budget, seed or largest size; "
                         f"its run: {recorded['command']} (seed {recorded['seed']})")
    return sorted(set(budget.sizes) - set(existing["learning_curve"]["sizes"]))


def budget_from(args: argparse.Namespace) -> Budget:
    budget = SMOKE if args.smoke else FULL
    overrides = {"sizes": tuple(args.sizes) if args.sizes else None, "epochs": args.epochs,
                 "finetune_epochs": args.finetune_epochs, "test_count": args.test_count}
    return dataclasses.replace(budget, **{k: v for k, v in overrides.items() if v is not None})


def recorded_command(argv: list[str]) -> str:
    """The command line as the results record it: without --out and --results (where files go changes nothing)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--out", "--results"):
            skip = True
        elif not arg.startswith(("--out=", "--results=")):
            kept.append(arg)
    return " ".join(["python -m lab.arrangement", *kept])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help=f"stage records and weights (default: {OUT})")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"the results file (default: {RESULTS})")
    parser.add_argument("--smoke", action="store_true", help="a tiny run of every stage (minutes; for tests)")
    parser.add_argument("--sizes", type=int, nargs="+",
                        help=f"training-set sizes of the learning curve (default: {' '.join(map(str, FULL.sizes))})")
    parser.add_argument("--epochs", type=int, help="epochs of the largest set; fixes every model's number of steps "
                                                   f"(default: {FULL.epochs})")
    parser.add_argument("--finetune-epochs", type=int, help=f"default: {FULL.finetune_epochs}")
    parser.add_argument("--test-count", type=int,
                        help=f"faces, jumbles and faces per held-out variant measured (default: {FULL.test_count})")
    parser.add_argument("--only-largest", action="store_true",
                        help="train and measure the largest size only (no protocol, no curve, no results file)")
    parser.add_argument("--add-to-curve", action="store_true",
                        help="train and measure only the --sizes that the results file's learning curve lacks and add "
                             "them to it (each point records where it was computed); needs the same budget and seed "
                             "as the results file, not the largest set's stages")
    parser.add_argument("--bundle", action="store_true", help="copy the toy-arrangement pair into weights/")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--precision", choices=SETTINGS, default="auto",
                        help="auto (default: bf16 autocast with float32 master weights where the hardware runs "
                             "bfloat16 natively or on a GPU, else fp32), fp32 or bf16 (runtime/precision.py)")
    args = parser.parse_args(argv)
    if args.add_to_curve and (args.bundle or args.only_largest):
        parser.error("--add-to-curve trains curve points only: it cannot --bundle or run --only-largest")
    budget = budget_from(args)
    torch.set_num_threads(args.threads)
    print(f"training on {compute_device().type} at {set_precision(args.precision)}", flush=True)
    stages = Stages(args.out)
    _check_same_run(stages, budget, args.seed)
    run = Run(stages, budget, args.seed)
    plan = run.plan()
    if args.only_largest:
        plan = plan[:len(ARCHITECTURES)]
    if args.add_to_curve:
        if not args.results.exists():
            raise SystemExit(f"--add-to-curve: no results file at {args.results} to add to")
        existing = json.loads(args.results.read_text())
        new_sizes = missing_curve_sizes(existing, budget, args.seed)
        plan = [("train", (a, size)) for size in new_sizes for a in ARCHITECTURES]
        print(f"adding {', '.join(f'{size:,}' for size in new_sizes) or 'no sizes'} to the learning curve",
              flush=True)
    for kind, stage_args in tqdm(plan, desc="stages", unit="stage"):
        if kind == "finetune":
            run.finetune()
        else:
            run.train_and_measure(*stage_args)
    if args.only_largest:
        return
    command = recorded_command(argv if argv is not None else sys.argv[1:])
    provenance = {"command": command, "seed": args.seed, "budget": dataclasses.asdict(budget),
                  "device": compute_device().type, "precision": precision(), "hardware": hardware(),
                  "threads": torch.get_num_threads(), "date": date.today().isoformat()}
    if args.add_to_curve:
        written = add_to_curve(existing, stages, new_sizes, provenance)
    else:
        written = results(stages, budget, provenance)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(written, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.results}")
    if args.bundle:
        files = bundle(stages, budget, written, command, provenance["hardware"])
        print(f"bundled {', '.join(files)} into weights/")


def run_config(budget: Budget, seed: int) -> dict:
    """What makes stages comparable, as JSON reads it back: the budget but for the curve's smaller sizes, the
    largest size (it fixes the steps) and the seed."""
    config = {"budget": {k: v for k, v in dataclasses.asdict(budget).items() if k != "sizes"},
              "largest_size": budget.full_size, "seed": seed}
    return json.loads(json.dumps(config))


def _check_same_run(stages: Stages, budget: Budget, seed: int) -> None:
    """Refuse to resume stages made with another budget or seed (their records would not be comparable). The
    learning curve's smaller sizes may change: a stage depends on its own size and the largest (which fixes the
    steps), so a run can add sizes to its curve later."""
    config = run_config(budget, seed)
    path = stages.root / "run.json"
    if path.exists() and json.loads(path.read_text()) != config:
        raise SystemExit(f"{stages.root} holds stages of another budget or seed; choose another --out")
    path.write_text(json.dumps(config, indent=1) + "\n")


if __name__ == "__main__":
    main()
