"""The arrangement experiment's run: its jobs, run one by one or by parallel workers, each skipped when its record is
already under the run's folder (so a stopped run resumes: finished jobs are kept, a job cut short resumes from its
last finished epoch), and the results file written from the jobs' records.

Jobs, in the order they start: every architecture at full size for every seed (until its plateau), the homework's
protocol at each learning rate for every seed, then the learning curve (the first seed, every size, the same steps).
"""
import dataclasses
import json
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import torch
from tqdm import tqdm

from lab.arrangement.measure import FACE, JUMBLED, TestImages, measure_model, test_images
from lab.arrangement.protocol import CHOSEN_MARGIN, chosen_lr, run_protocol
from lab.arrangement.recipes import ARCHITECTURES, GATE, Budget
from lab.arrangement.stages import Stages
from lab.arrangement.training import TaskData, task_data, train_architecture
from lab.statistics import pooled_counts
from runtime.hardware import hardware
from runtime.precision import set_precision
from toyworld.arrangement import split_specs


@dataclass(frozen=True)
class Job:
    """One unit of the run: `main` (an architecture at full size, one seed), `protocol` (one learning rate, one seed)
    or `curve` (an architecture at one size)."""
    kind: str
    architecture: str = ""
    seed: int = 0
    size: int = 0
    lr: float = 0.0

    @property
    def name(self) -> str:
        if self.kind == "main":
            return f"main-{self.architecture}-seed{self.seed}"
        if self.kind == "curve":
            return f"curve-{self.architecture}-{self.size}"
        return f"protocol-lr{self.lr:g}-seed{self.seed}"


def plan(budget: Budget) -> list[Job]:
    """Every job in the order it starts: the longest (the ViTs) first."""
    vits_first = sorted(ARCHITECTURES, key=lambda key: not key.startswith("vit"))
    return ([Job("main", a, seed) for seed in budget.seeds for a in vits_first]
            + [Job("protocol", seed=seed, lr=lr) for lr in budget.protocol_lrs for seed in budget.seeds]
            + [Job("curve", a, budget.seeds[0], size) for size in sorted(budget.curve_sizes, reverse=True)
               for a in vits_first])


class Run:
    """One run's folder: its stages, with data and test images rendered once (cached there) when a job needs them."""

    def __init__(self, root: Path, budget: Budget):
        self.stages, self.budget = Stages(root), budget
        self._data: TaskData | None = None
        self._images: TestImages | None = None

    @property
    def data(self) -> TaskData:
        if self._data is None:
            self._data = task_data(self.budget, self.stages.root / "data")
        return self._data

    @property
    def images(self) -> TestImages:
        if self._images is None:
            path = self.stages.root / "data" / f"test-{self.budget.test_count}-{self.budget.val_size}.pt"
            if path.exists():
                self._images = TestImages(**torch.load(path, weights_only=False))
            else:
                self._images = test_images(self.budget.test_count, self.budget.val_size)
                path.parent.mkdir(parents=True, exist_ok=True)
                torch.save(dataclasses.asdict(self._images), path.with_suffix(".partial"))
                path.with_suffix(".partial").replace(path)
        return self._images

    def prepare(self) -> None:
        """Render (or load) the data and test images once, before workers start, so none renders them again."""
        started = time.time()
        _ = self.data, self.images
        print(f"data and test images ready in {time.time() - started:.0f} s", flush=True)

    def execute(self, job: Job) -> None:
        """Run one job unless its record exists."""
        if self.stages.done(job.name):
            return
        checkpoint = self.stages.root / "checkpoints" / f"{job.name}.pt"
        if job.kind == "protocol":
            size = min(self.budget.protocol_size, self.budget.full_size)
            val_specs = split_specs("val", self.budget.val_size)
            vit, record = run_protocol(self.data.first(size), self.data.val, val_specs, self.budget, job.lr, job.seed)
            self.stages.save(job.name, record | {"hardware": hardware(), "threads": torch.get_num_threads()})
            return
        architecture = ARCHITECTURES[job.architecture]
        if job.kind == "main":
            train, recipe = self.data.train, self.budget.training(architecture)
        else:
            train, recipe = self.data.first(job.size), self.budget.curve_training(architecture)
        model, record = train_architecture(architecture, train, self.data.val, recipe, job.seed, checkpoint)
        started = time.time()
        record["measured"] = measure_model(model, self.images, full=job.kind == "main")
        record["measure_time_s"] = round(time.time() - started, 1)
        record["hardware"] = hardware()
        record["threads"] = torch.get_num_threads()
        self.stages.save(job.name, record, model if job.kind == "main" else None)
        checkpoint.unlink(missing_ok=True)


def _work(root: str, budget: dict, setting: str, threads: int, job: Job) -> str:
    """A worker's job (in its own process): one thread, the run's precision."""
    torch.set_num_threads(threads)
    set_precision(setting)
    budget = Budget(**{k: tuple(v) if isinstance(v, list) else v for k, v in budget.items()})
    Run(Path(root), budget).execute(job)
    return job.name


def execute_all(run: Run, jobs: list[Job], workers: int, setting: str) -> None:
    """Run the jobs not done yet: in this process, or in `workers` processes of one thread each."""
    todo = [job for job in jobs if not run.stages.done(job.name)]
    print(f"{len(jobs) - len(todo)} of {len(jobs)} jobs already done", flush=True)
    if workers <= 1:
        for job in tqdm(todo, desc="jobs", unit="job"):
            run.execute(job)
        return
    run.prepare()
    context = multiprocessing.get_context("spawn")
    budget = dataclasses.asdict(run.budget)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = [pool.submit(_work, str(run.stages.root), budget, setting, 1, job) for job in todo]
        for future in tqdm(as_completed(futures), total=len(futures), desc="jobs", unit="job"):
            print(f"done: {future.result()}", flush=True)


def _pool(records: list[dict], path: tuple[str, ...], count: int) -> list[float]:
    """The pooled [share, low, high] of one measured share over the runs' records."""
    def read(record: dict) -> float:
        value = record
        for key in path:
            value = value[key]
        return value[0]
    return pooled_counts([(round(read(r) * count), count) for r in records]).to_json()


def results(run: Run, provenance: dict) -> dict:
    """The results file (findings.arrangement reads it) from the finished jobs' records."""
    budget = run.budget
    images = run.images
    counts = {"face_vs_jumbled": 2 * budget.test_count, "faces": budget.test_count, "test": len(images.test[1]),
              "others": int(((images.test[1] != FACE) & (images.test[1] != JUMBLED)).sum())}
    models = {}
    for key, architecture in ARCHITECTURES.items():
        records = [run.stages.load(Job("main", key, seed).name) for seed in budget.seeds]
        measured = [r["measured"] for r in records]
        variants = measured[0]["held_out_called_face"]
        models[key] = {
            "title": architecture.title, "parameters": records[0]["parameters"],
            "trainable_parameters": records[0]["trainable_parameters"],
            "recipe": records[0]["training"]["recipe"]["described"],
            "runs": [{"seed": r["seed"], "steps": r["training"]["steps"],
                      "epochs_run": len(r["training"]["epochs"]), "kept_epoch": r["training"]["kept_epoch"],
                      "stopped": r["training"]["stopped"], "epochs": r["training"]["epochs"],
                      "wall_time_s": r["wall_time_s"], "device": r["device"], "precision": r["precision"],
                      **r["measured"]} for r in records],
            "pooled": {
                "face_vs_jumbled": {k: _pool(measured, ("face_vs_jumbled", k), counts["face_vs_jumbled"] if
                                             k == "accuracy" else counts["faces"])
                                    for k in ("accuracy", "faces_called_face", "jumbled_called_jumbled")},
                "test_accuracy": _pool(measured, ("test_accuracy",), counts["test"]),
                "other_classes_accuracy": _pool(measured, ("other_classes_accuracy",), counts["others"]),
                "held_out_called_face": {v: _pool(measured, ("held_out_called_face", v), counts["faces"])
                                         for v in variants},
                "patch_shuffle": {k: _pool(measured, ("patch_shuffle", k), counts["face_vs_jumbled"])
                                  for k in ("top1_kept", "face_vs_jumbled")},
                "shuffle_top1_kept": {g: _pool(measured, ("shuffle_top1_kept", g), counts["faces"])
                                      for g in measured[0]["shuffle_top1_kept"]},
            },
        }
    gate_runs = models["vit_position"]["runs"]
    protocol_runs = [run.stages.load(Job("protocol", seed=seed, lr=lr).name)
                     for lr in budget.protocol_lrs for seed in budget.seeds]
    chosen = chosen_lr(protocol_runs)
    curve_sizes = sorted(budget.curve_sizes)
    curve = {key: [_record_or_none(run, Job("curve", key, budget.seeds[0], size)) for size in curve_sizes]
             for key in ARCHITECTURES}
    done = [r for records in curve.values() for r in records if r is not None]
    return {
        "gate": {"model": "vit_position", "threshold": GATE, "measure": "face-vs-jumbled accuracy on held-out test "
                 f"faces and jumbles ({budget.test_count} + {budget.test_count} per seed)",
                 "per_seed": [{"seed": r["seed"], "accuracy": r["face_vs_jumbled"]["accuracy"],
                               "faces": r["face_vs_jumbled"]["faces_called_face"],
                               "jumbles": r["face_vs_jumbled"]["jumbled_called_jumbled"]} for r in gate_runs],
                 "passed": all(r["face_vs_jumbled"]["accuracy"][0] >= GATE for r in gate_runs)},
        "models": models,
        "learning_curve": {
            "sizes": curve_sizes, "seed": budget.seeds[0],
            "steps": done[0]["training"]["steps"] if done else None,
            "recipe": done[0]["training"]["recipe"]["described"] if done else None,
            "accuracy": {key: [r and r["measured"]["face_vs_jumbled"]["accuracy"] for r in records]
                         for key, records in curve.items()},
            "wall_time_s": {key: [r and r["wall_time_s"] for r in records] for key, records in curve.items()},
            "missing": [Job("curve", key, budget.seeds[0], size).name for key, records in curve.items()
                        for size, r in zip(curve_sizes, records) if r is None]},
        "protocol": {
            "lrs": list(budget.protocol_lrs), "chosen_lr": chosen,
            "rule": f"the largest learning rate whose epoch-5 validation accuracy (mean over seeds) is at least "
                    f"{CHOSEN_MARGIN:.0%} below its ceiling (mean over seeds of the best epoch); else the smallest",
            "runs": [r if r["lr"] == chosen else {k: v for k, v in r.items() if k != "images"}
                     for r in protocol_runs]},
        "provenance": provenance,
    }


def _record_or_none(run: Run, job: Job) -> dict | None:
    """A job's record, or None for a learning-curve job that has not run (the curve may be written incomplete, and
    says which points it lacks)."""
    return run.stages.load(job.name) if run.stages.done(job.name) else None


def compute_minutes(run: Run) -> dict[str, float]:
    """Minutes of compute by kind of job, from the records (for the README's runs × minutes)."""
    minutes: dict[str, float] = {}
    for path in run.stages.root.glob("*.json"):
        if path.name == "run.json":
            continue
        record = json.loads(path.read_text())
        kind = path.name.split("-")[0]
        seconds = record.get("wall_time_s", record.get("protocol", {}).get("wall_time_s", 0.0))
        minutes[kind] = minutes.get(kind, 0.0) + (seconds + record.get("measure_time_s", 0.0)) / 60
    return {k: round(v, 1) for k, v in minutes.items()}

