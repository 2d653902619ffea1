"""The arrangement experiment, end to end: `python -m lab.arrangement` (see --help).

Five architectures trained from scratch on the task where only the arrangement of a face's parts separates two
classes, for several seeds; the homework's fine-tuning protocol (C13, C14); the learning curve. Every job is skipped
when its record is already under --out, and a job cut short resumes from its last finished epoch. Then the results
file (--results) is written from the records, and with --bundle the `toy-arrangement` pair is copied into weights/.
`python -m findings.report --arrangement RESULTS` reads the results file. Same seed, precision and machine: same
weights. lab/arrangement/run.py holds the run; lab/arrangement/recipes.py the architectures and the budget.
"""
import argparse
import dataclasses
import json
import os
import sys
from datetime import date
from pathlib import Path

import torch

from lab.arrangement.bundle import bundle
from lab.arrangement.recipes import FULL, SMOKE
from lab.arrangement.run import Run, compute_minutes, execute_all, plan, results
from runtime.device import compute_device
from runtime.hardware import hardware
from runtime.precision import SETTINGS, precision, set_precision

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "findings" / "arrangement.json"
OUT = ROOT / "runs" / "arrangement"


def recorded_command(argv: list[str]) -> str:
    """The command line as the results record it: without --out, --results and --workers (where files go and how
    many processes share the jobs change nothing)."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--out", "--results", "--workers"):
            skip = True
        elif not arg.startswith(("--out=", "--results=", "--workers=")):
            kept.append(arg)
    return " ".join(["python -m lab.arrangement", *kept])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help=f"job records, weights, checkpoints (default: {OUT})")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"the results file (default: {RESULTS})")
    parser.add_argument("--smoke", action="store_true", help="a tiny run of every job (minutes; for tests)")
    parser.add_argument("--seeds", type=int, nargs="+", help=f"default: {' '.join(map(str, FULL.seeds))}")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes sharing the jobs, one thread each (default 1: this process, --threads)")
    parser.add_argument("--jobs-only", action="store_true", help="run the jobs, write no results file")
    parser.add_argument("--no-jobs", action="store_true",
                        help="run no job: write the results file (and --bundle) from the records under --out, with "
                             "the learning-curve points not yet computed listed as missing")
    parser.add_argument("--bundle", action="store_true", help="copy the toy-arrangement pair into weights/")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--precision", choices=SETTINGS, default="auto",
                        help="auto (default: bf16 autocast with float32 master weights where the hardware runs "
                             "bfloat16 natively or on a GPU, else fp32), fp32 or bf16 (runtime/precision.py)")
    args = parser.parse_args(argv)
    budget = SMOKE if args.smoke else FULL
    if args.seeds:
        budget = dataclasses.replace(budget, seeds=tuple(args.seeds))
    torch.set_num_threads(args.threads)
    print(f"training on {compute_device().type} at {set_precision(args.precision)}", flush=True)
    run = Run(args.out, budget)
    _check_same_run(run, budget)
    if not args.no_jobs:
        execute_all(run, plan(budget), args.workers, args.precision)
    if args.jobs_only:
        return
    command = recorded_command(argv if argv is not None else sys.argv[1:])
    provenance = {"command": command, "jobs_computed": _where(run), "budget": dataclasses.asdict(budget), "device": compute_device().type,
                  "precision": precision(), "hardware": hardware(), "workers": args.workers,
                  "date": date.today().isoformat(), "compute_minutes": compute_minutes(run)}
    written = results(run, provenance)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(written, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.results}")
    if args.bundle:
        files = bundle(run.stages, budget, written, command)
        print(f"bundled {', '.join(files)} into weights/")


def _where(run: Run) -> dict[str, int]:
    """How many jobs were computed where ("cuda, bf16, <hardware>": 40), from their records: a run may be resumed
    elsewhere."""
    places: dict[str, int] = {}
    for path in run.stages.root.glob("*-*.json"):
        record = json.loads(path.read_text())
        where = record.get("protocol", record)
        key = f"{where.get('device')}, {where.get('precision')}, {record.get('hardware', 'hardware not recorded')}"
        places[key] = places.get(key, 0) + 1
    return places


def _check_same_run(run: Run, budget) -> None:
    """Refuse to resume jobs made with another budget (their records would not be comparable); seeds may be added."""
    config = json.loads(json.dumps({k: v for k, v in dataclasses.asdict(budget).items() if k != "seeds"}))
    path = run.stages.root / "run.json"
    if path.exists() and json.loads(path.read_text()) != config:
        raise SystemExit(f"{run.stages.root} holds jobs of another budget; choose another --out")
    path.write_text(json.dumps(config, indent=1) + "\n")


if __name__ == "__main__":
    main()
