"""Measure the homework's claims (lab.claim_list) and write FINDINGS.md and findings/results.json:
`python -m findings.report` (see --help).

On the toy pair it uses held-out toy-world test images; on a Hub pair, the images of a folder you name (then C2 and
C4, which need object masks, are not testable, and C5–C9 are graded only in the homework's setting, the toy pair).
C5–C9 are graded on every toy training run named with --toy-runs besides the bundled pair. C13, C14 and the mechanism
lines of C7–C9 come from the arrangement experiment's results file (--arrangement); C12c from the residual runs'
(--residual); C11 and C12 from the Swin measurement's files (--swin, written by `python -m findings.swin`). Everything
is measured first; then one document is written.
"""
import argparse
import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import torch
from tqdm import tqdm

from lab import claims
from lab.attention_cost import AttentionCost
from lab.window_crossing import WindowCrossing
from lab.attention_shares import measure_attention_shares
from lab.claim_list import CLAIMS, claim
from lab.verdicts import UNSTABLE
from lab.dataset_sweeps import DatasetSweep, sweep_dataset
from lab.explanation_scores import SAME_GRID, ExplanationScores, MapSummary, score_explanations
from lab.picasso import FACE, FaceRates, call_rates, face_calls, typical_seed
from lab.statistics import Interval, wilson
from figures.picasso import recognition_figure
from figures.sweeps import dataset_sweep_figure
from models import load_pair
from models.bundled import WEIGHTS_DIR, read_manifest
from models.inference import probabilities
from models.pairs import Pair, load_training_run
from toyworld.data import split_tensors
from training.augment import MAX_SHIFT_PX
from findings.arrangement import arrangement_section, save_figures
from findings.photos import cached_hub_pairs, measure_photos, photos_section
from figures.explanations import looking_distance_figure
from figures.swin import cost_figure, crossing_figure
from figures.filters import filters_figure
from lab.filters import cnn_filters, patch_filters, principal_components
from figures.explanation_scores import explanation_scores_figure, map_label
from explain.scores import RANDOM
from images.decode import load_image
from runtime.precision import SETTINGS, default_setting, precision, set_precision

ROOT = Path(__file__).resolve().parent.parent
TOY_TRAINING = ("Here the toy world draws objects at random positions and training adds shifts of up to "
                f"{MAX_SHIFT_PX} px, but no rotations beyond a few degrees of pose jitter.")
HUB_TRAINING = ("ImageNet training used random resized crops and flips; RandAugment's operations include "
                "rotations of up to about 30°.")
QUICK_COUNT = 12
"""Held-out images, Picasso faces and C2's images in --quick."""
FACE_SEEDS = 3_000_000
"""The first Picasso face seed: outside the train, val and test seed ranges."""
NO_MASKS = "needs object masks, which only the toy world draws; this pair was measured on photos"
SWIN_COST, SWIN_REACH = "swin_cost.json", "swin_reach.json"
"""The Swin measurement's files (C11, C12), written by `python -m findings.swin` into findings/."""
RESIDUAL = ROOT / "findings" / "residual.json"
"""The residual runs' results (C12c), read when present: {"runs": [{"seed", "with_residual": {"test_accuracy":
[v, lo, hi]}, "without_residual": {...}, "steps"}], "recipe", "computed"}."""
ARRANGEMENT = {
    "gate": "the face-vs-jumbled accuracy the ViT with learned positions must reach before the experiment is read: "
            "{model, threshold, measure, per_seed: [{seed, accuracy, faces, jumbles}], ...}",
    "models": "per architecture of the arrangement experiment (cnn_pooled, cnn_flattened, vit_position, vit_sincos, "
              "vit_no_position): title, parameters, recipe, and per training run (\"runs\", each with its seed) and "
              "pooled over them (\"pooled\"): face_vs_jumbled {accuracy, faces_called_face, jumbled_called_jumbled}, "
              "held_out_called_face per variant ([share, low, high] each), test accuracy, patch shuffle; C7–C9's "
              "mechanism lines read them",
    "learning_curve": "{\"sizes\": [...], \"accuracy\": {architecture: [[share, low, high] face vs jumbled face "
                      "per size]}, \"wall_time_s\": {architecture: [...]}, \"computed\": [...]}",
    "protocol": "the homework's fine-tuning protocol (C13, C14): {lrs, chosen_lr, rule, runs: [per learning rate and "
                "seed: {lr, seed, training: {epochs: [...]}, face_vs_jumbled: [per epoch], images (chosen lr)}]}",
    "provenance": "the command, seed, budget, machine and date of the arrangement run",
}
"""The arrangement experiment's results file: each key optional, with what it holds."""


@dataclass(frozen=True)
class TrainingRun:
    """A toy pair C5–C9 were graded on: where its weights are, their hashes and the command that trained them."""
    name: str
    folder: str
    seed: int | None
    sha256: dict[str, str]  # "cnn", "vit" -> the weights' sha256 (the folder's manifest)
    command: str
    accuracy: dict[str, Interval]  # "cnn", "vit" -> held-out test accuracy measured here

    def to_json(self) -> dict:
        return {"name": self.name, "folder": self.folder, "seed": self.seed, "sha256": self.sha256,
                "command": self.command, "test_accuracy": {m: a.to_json() for m, a in self.accuracy.items()}}


@dataclass(frozen=True)
class Measured:
    """Everything the report writes: the claims in order, and the measurements beyond them."""
    findings: list[claims.Finding]  # in the claim list's order
    sweeps: dict[str, DatasetSweep]
    picasso: FaceRates  # results.json's "picasso"
    explanations: ExplanationScores | None  # toy pairs only
    runs: list[TrainingRun]  # the toy pairs C5–C9 were graded on (none for a Hub pair)
    arrangement: list[str]  # FINDINGS.md's arrangement section, if the experiment's models are in its file
    photos: list[str]  # FINDINGS.md's Picasso photo section


def folder_images(pair: Pair, folder: Path) -> torch.Tensor:
    """Every decodable image of a folder, preprocessed as the pair does."""
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    images = [pair.transform(load_image(p)) for p in paths]
    if not images:
        raise SystemExit(f"no images found in {folder}")
    return torch.stack(images)


def load_arrangement(path: Path | None) -> dict:
    """The arrangement experiment's results (keys of ARRANGEMENT), or {} without a file; unknown keys fail."""
    if path is None:
        return {}
    data = json.loads(path.read_text())
    unknown = set(data) - set(ARRANGEMENT)
    if unknown:
        raise SystemExit(f"{path}: unknown keys {sorted(unknown)}; expected some of {', '.join(ARRANGEMENT)}")
    return data


def load_swin(folder: Path | None) -> tuple[dict | None, dict | None]:
    """The Swin measurement's cost and reach files (findings.swin) from `folder`, each None when absent."""
    def load(name: str) -> dict | None:
        path = None if folder is None else folder / name
        return json.loads(path.read_text()) if path is not None and path.exists() else None

    return load(SWIN_COST), load(SWIN_REACH)


def save_swin_figures(cost: dict | None, reach: dict | None, figures: Path, folder: Path | None) -> None:
    """C11's and C12's figures under `figures`, drawn from the Swin measurement's files; the reach maps of one token
    (drawn by findings.swin, which keeps the maps) copied from the files' `folder` when it is elsewhere."""
    if cost is not None:
        cost_figure(AttentionCost.from_json(cost)).savefig(figures / "swin_cost.png", dpi=100)
    if reach is not None:
        crossing_figure(WindowCrossing.from_json(reach["crossing"])).savefig(figures / "swin_crossing.png", dpi=100)
        maps = None if folder is None else folder / "swin_reach.png"
        if maps is not None and maps.exists() and maps.resolve() != (figures / maps.name).resolve():
            shutil.copyfile(maps, figures / maps.name)


def load_residual(path: Path | None) -> dict | None:
    """The residual runs' results (RESIDUAL's shape), or None when the file does not exist."""
    return json.loads(path.read_text()) if path is not None and path.exists() else None


def _bar(desc: str, total: int):
    bar = tqdm(total=total, desc=desc, unit="image")
    return bar, lambda *_: bar.update(1)


def held_out_accuracy(pair: Pair, images01: torch.Tensor, labels: torch.Tensor,
                      batch: int = 250) -> dict[str, Interval]:
    """Each model's top-1 accuracy on labelled held-out images, with its Wilson interval."""
    correct = {"cnn": 0, "vit": 0}
    for start in range(0, len(images01), batch):
        truth = labels[start:start + batch]
        for model, probs in zip(correct, probabilities(pair, images01[start:start + batch])):
            correct[model] += int((probs.argmax(-1) == truth).sum())
    return {model: wilson(hits, len(labels)) for model, hits in correct.items()}


def training_run(pair: Pair, folder: Path, images01: torch.Tensor, labels: torch.Tensor) -> TrainingRun:
    """A toy pair's provenance from its folder's manifest, and its models' held-out test accuracy."""
    manifest = read_manifest(folder)
    entries = {"cnn": manifest["toy_cnn"], "vit": manifest["toy_vit"]}
    seed = entries["cnn"]["provenance"].get("hyperparameters", {}).get("seed")
    bundled = folder.resolve() == (WEIGHTS_DIR).resolve()
    name = f"toy (bundled, seed {seed})" if bundled else f"{folder.name} (seed {seed})"
    where = folder.relative_to(ROOT) if folder.is_absolute() and folder.is_relative_to(ROOT) else folder
    return TrainingRun(name, str(where), seed, {m: e["sha256"] for m, e in entries.items()},
                       entries["cnn"]["provenance"].get("command", ""), held_out_accuracy(pair, images01, labels))


def measure_toy_run(pair: Pair, run: TrainingRun, images01: torch.Tensor, seeds: list[int],
                    measured: tuple[dict[str, DatasetSweep], dict] | None = None) -> claims.ToyRun:
    """What C5–C9 read on one toy pair: its rotation and translation sweeps and its Picasso rates (`measured`:
    already computed for the report pair)."""
    if measured is None:
        sweeps = {}
        for kind in ("rotate", "translate"):
            bar, tick = _bar(f"{run.name}: {kind} sweep", len(images01))
            sweeps[kind] = sweep_dataset(pair, images01, kind, progress=tick)
            bar.close()
        bar, tick = _bar(f"{run.name}: Picasso faces", len(seeds))
        rates = call_rates(face_calls(pair, seeds, progress=tick))
        bar.close()
    else:
        sweeps, rates = measured
    return claims.ToyRun(run.name, run.accuracy, sweeps, rates, len(seeds))


def measure(pair: Pair, images01: torch.Tensor, seeds: list[int], out: Path, quick: bool,
            arrangement: dict | None = None, labels: torch.Tensor | None = None, toy_runs: list[Path] = (),
            residual: dict | None = None, swin_folder: Path | None = None) -> Measured:
    """Run every measurement, save the figures under out/findings; the claims' findings in order and the rest.
    `labels`: the held-out images' labels (toy pairs); `toy_runs`: folders of other toy training runs; `swin_folder`:
    where the Swin measurement's files are (load_swin)."""
    arrangement = arrangement or {}
    figures = out / "findings"
    figures.mkdir(parents=True, exist_ok=True)
    training = TOY_TRAINING if pair.name == "toy" else HUB_TRAINING
    sweeps = {}
    for kind in ("translate", "rotate", "shuffle", "drop"):
        bar, tick = _bar(f"{kind} sweep", len(images01))
        sweeps[kind] = sweep_dataset(pair, images01, kind, progress=tick)
        bar.close()
        dataset_sweep_figure(sweeps[kind]).savefig(figures / f"{kind}.png", dpi=100)
    bar, tick = _bar("Picasso faces", len(seeds))
    calls = face_calls(pair, seeds, progress=tick)
    bar.close()
    rates = call_rates(calls)
    measured_as = "share called 'face'" if FACE in pair.labels else "share given the clean face's top-1 class"
    recognition_figure(rates, measured_as, len(seeds)).savefig(figures / "picasso.png", dpi=100)
    locality, looking = claims.locality(pair, images01[:100])
    looking_distance_figure(looking.cnn, looking.vit, pair.input_size, looking.locations, looking.attention,
                            looking.receptive_fields).savefig(figures / "distance.png", dpi=100)
    scores, runs, homework_setting = None, [], []
    if pair.name == "toy":  # masks and labels exist only for toy images
        bar, tick = _bar("attention shares", len(images01))
        where = claims.where_it_looks(measure_attention_shares(pair, len(images01), progress=tick))
        bar.close()
        scores = measure_explanations(pair, EXPLANATION_QUICK_COUNT if quick else len(images01), out)
        runs.append(training_run(pair, WEIGHTS_DIR, images01, labels))
        homework_setting.append(measure_toy_run(pair, runs[0], images01, seeds, ({k: sweeps[k] for k in
                                                                                  ("rotate", "translate")}, rates)))
        for folder in toy_runs:
            other = load_training_run(folder)
            runs.append(training_run(other, folder, images01, labels))
            homework_setting.append(measure_toy_run(other, runs[-1], images01, seeds))
        models = arrangement.get("models")
        measurement = claims.picasso_measurement(len(seeds), measured_as)
        behaviour = [claims.rotation(homework_setting, training), claims.translation(homework_setting, training),
                     claims.moved_parts(homework_setting, measurement, models),
                     claims.homework_face_cnn(homework_setting, measurement, models),
                     claims.homework_face_vit(homework_setting, measurement, models)]
    else:
        where = claims.Finding("C2", "", None, None, "not testable here", NO_MASKS)
        behaviour = [claims.outside_the_homework_setting(id, pair.name) for id in ("C5", "C6", "C7", "C8", "C9")]
    interpretable = claims.interpretability(pair)
    filters_figure(cnn_filters(pair.cnn.model), principal_components(patch_filters(pair.vit))).savefig(
        figures / "filters.png", dpi=100)
    swin_cost, swin_reach = load_swin(swin_folder)
    save_swin_figures(swin_cost, swin_reach, figures, swin_folder)
    findings = [
        claims.parameters(pair),
        where,
        claims.not_measured("C2b"),
        locality,
        interpretable,
        *behaviour,
        claims.mha_count(),
        claims.not_measured("C10b"),
        claims.attention_cost(swin_cost),
        claims.window_reach(swin_reach),
        claims.not_measured("C12b"),
        claims.residual(residual),
        claims.underfit(arrangement.get("protocol")),
        claims.right_parts(arrangement.get("protocol")),
    ]
    assert [f.id for f in findings] == [c.id for c in CLAIMS]
    picasso = FaceRates(len(seeds), measured_as, rates, typical_seed(calls, seeds))
    section = []
    if "learning_curve" in arrangement:
        section = arrangement_section(arrangement, save_figures(arrangement, figures))
    return Measured(findings, sweeps, picasso, scores, runs, section,
                    photos_section(measure_photos(cached_hub_pairs())))


def anchor(id: str) -> str:
    """The stable anchor of a claim's section in FINDINGS.md (its heading also carries the verdict)."""
    return id.lower()


def shown_verdict(f: claims.Finding) -> str:
    """The verdict as headings and tables show it: 'partly (unstable across training runs)' where runs disagree."""
    return f"{f.verdict} ({UNSTABLE})" if f.unstable else f.verdict


def findings_document(pair: Pair, measured: Measured, count: int, command: str, seconds: float) -> str:
    """FINDINGS.md: the claims at a glance, one section per claim in the homework's order, then what else was
    measured (not the homework's claims)."""
    runs = ", ".join(f"{run.name}: `{run.command}`" for run in measured.runs)
    lines = [
        "# Findings: the homework's claims, measured",
        "",
        f"Pair **{pair.name}**: {pair.description}  ",
        f"{count} held-out images per sweep and {measured.picasso.faces} held-out Picasso faces, all classes in "
        f"equal numbers. Written by `{command}` on {date.today().isoformat()} in {seconds / 60:.1f} min."
        + (f" C5–C9 graded on {len(measured.runs)} toy training run{'s' if len(measured.runs) != 1 else ''}: "
           f"{runs}." if measured.runs else ""),
        "",
        "Each claim is the homework's own (`lab/claim_list.py`, in its order), stated in English and in Persian, "
        "with where it stands in the homework. Verdicts are computed from the numbers by the rule quoted with each "
        "claim (`lab/verdicts.py`): holds, partly, does not hold, or not testable here (with the reason). A verdict "
        "that reads a model's behaviour names the models it read and how well they learned their task, and is not "
        "testable below the gate. 95% intervals, in brackets: Wilson for shares of images or faces, normal "
        "approximation for means over images, widened by the spread between training runs where there are several. "
        "Where a measurement contradicts the homework, the measurement stands.",
        "",
        "| id | claim | CNN | ViT | verdict |",
        "|---|---|---|---|---|",
    ]
    for f in measured.findings:
        mechanism = f" (mechanism: **{f.mechanism.verdict}**)" if f.mechanism else ""
        lines.append(f"| [{f.id}](#{anchor(f.id)}) | {claim(f.id).title} | {f.cnn or '—'} | {f.vit or '—'} | "
                     f"**{shown_verdict(f)}**{mechanism} |")
    for f in measured.findings:
        lines += ["", *claim_section(f)]
    lines += ["", "# Also measured: not the homework's claims", "",
              "The sections below go beyond the homework's claims: how well each model's maps find the object and how "
              "faithful they are (toy pairs; once C4's reading, now measured on the filters themselves) and two "
              "sweeps from Naseer et al. 2021."]
    if measured.explanations is not None:
        lines += ["", *explanation_section(measured.explanations)]
    lines += ["", "## Patch shuffle and patch drop (Naseer et al. 2021)", ""]
    for kind in ("shuffle", "drop"):
        s = measured.sweeps[kind]
        row = ", ".join(f"{x:g}: CNN {c:.0%} / ViT {v:.0%}" for x, c, v in zip(s.x, s.cnn.agreement,
                                                                              s.vit.agreement))
        lines += [f"- **{kind}** (top-1 kept, by {kind == 'shuffle' and 'grid' or 'fraction dropped'}): {row}",
                  "", f"![{kind}](findings/{kind}.png)", ""]
    for section in (measured.arrangement, measured.photos):
        if section:
            lines += ["", *section]
    return "\n".join(lines) + "\n"


def claim_section(f: claims.Finding) -> list[str]:
    """One claim's section: heading with its verdict, the claim in English and Persian, where it stands, the
    measurement, the models read, the numbers (per run where there are several), the verdict with its reason and
    rule, the mechanism line where there is one, the figure."""
    c = claim(f.id)
    lines = [f'<a id="{anchor(f.id)}"></a>', "", f"## {c.id}. {c.title} — {shown_verdict(f)}", "",
             f"**The claim.** {c.english}", "", f'<div dir="rtl" lang="fa">{c.persian}</div>', "",
             f"**Where in the homework.** {c.where}", "",
             f"**Measurement.** {c.measurement}" + (f" *This run:* {f.measurement}" if f.measurement else ""), ""]
    if f.setting is not None:
        lines += [f"**Measured on.** {_sentence(f.setting.text)}", ""]
    if f.models:
        lines += [f"**Models read.** {_sentence(f.models)}", ""]
    if f.cnn or f.vit:
        lines += [f"- CNN: {f.cnn or '—'}", f"- ViT: {f.vit or '—'}", ""]
    if len(f.runs) > 1 or (f.runs and f.id == "C12c"):
        lines += ["Each training run:", "", *(f"- {run}" for run in f.runs), ""]
    lines += [f"**Verdict: {shown_verdict(f)}.** {_sentence(f.why)}", "", f"*Rule.* {c.rule}"]
    if f.mechanism is not None:
        lines += ["", f"**When the task demands arrangement: {f.mechanism.verdict}.** {_sentence(f.mechanism.why)} "
                  f"Models read: {f.mechanism.models}.", "", f"*Rule.* {c.mechanism}"]
        if f.mechanism.figure:
            lines += ["", f"![{c.id}, when the task demands arrangement: what the position embeddings learned]"
                          f"({f.mechanism.figure})"]
    elif c.mechanism:
        lines += ["", "**When the task demands arrangement: not run.** The arrangement experiment's models are not "
                  "in its results file (--arrangement).", "", f"*Rule.* {c.mechanism}"]
    if f.context:
        lines += ["", f"*Context.* {f.context}"]
    if f.figure:
        lines += ["", f"![{c.id}: {c.title}]({f.figure})"]
    return lines


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def results(pair: Pair, measured: Measured, count: int, command: str) -> dict:
    """findings/results.json: every number the app shows without recomputing it (see findings.results)."""
    return {"pair": pair.name, "count": count, "date": date.today().isoformat(), "command": command,
            "runs": [run.to_json() for run in measured.runs],
            "claims": [claim_entry(f) for f in measured.findings],
            "picasso": measured.picasso.to_json()}


def claim_entry(f: claims.Finding) -> dict:
    """One claim in results.json: `verdict` is the homework-setting verdict; a mechanism line adds `mechanism`."""
    entry = {"id": f.id, "verdict": f.verdict, "why": f.why, "cnn": f.cnn, "vit": f.vit,
             "setting": f.setting.to_json() if f.setting else None,
             "models": f.models, "unstable": f.unstable, "runs": list(f.runs)}
    if f.mechanism is not None:
        entry["mechanism"] = f.mechanism.to_json()
    return entry


EXPLANATION_QUICK_COUNT = 10
"""Held-out toy images scored per map in --quick (one per class)."""


def measure_explanations(pair: Pair, count: int, out: Path) -> ExplanationScores:
    """Score every map against ground truth on `count` toy test images; save the figure and the raw scores."""
    bar = tqdm(total=count, desc="explanations", unit="image")
    scores = score_explanations(pair, count, progress=lambda done, total: bar.update(1))
    bar.close()
    figures = out / "findings"
    figures.mkdir(parents=True, exist_ok=True)
    explanation_scores_figure(scores).savefig(figures / "explanations.png", dpi=100)
    (figures / "explanations.json").write_text(json.dumps(scores.to_json(), indent=1))
    return scores


def explanation_section(scores: ExplanationScores, figure: str = "findings/explanations.png") -> list[str]:
    """FINDINGS.md's "Explanations checked against ground truth": the tables, the measures and a plain reading."""
    cnn_accuracy, vit_accuracy = scores.accuracy("cnn"), scores.accuracy("vit")
    lines = [
        "## Explanations checked against ground truth",
        "",
        f"{scores.count} held-out toy images, all classes in equal numbers, each drawn with its object's mask. "
        "Every map explains its own model's top-1 class (CNN correct on "
        f"{_rate(cnn_accuracy)}, ViT on {_rate(vit_accuracy)}). Raw per-image scores: "
        "`findings/explanations.json`.",
        "",
        *_explanation_table(scores.summary("all"), with_count=False),
        "",
        f"![Explanations checked against ground truth]({figure})",
        "",
        "**Split by whether the explaining model's top-1 is right** (n: images in the row).",
        "",
    ]
    for subset in ("correct", "wrong"):
        rows = scores.summary(subset)
        if not any(s.count for s in rows):
            lines += [f"*{subset.capitalize()} predictions*: none among these images.", ""]
            continue
        few = " Under 10 images in some rows: read their intervals, not their means." if min(
            s.count for s in rows) < 10 else ""
        lines += [f"*{subset.capitalize()} predictions*.{few}", "", *_explanation_table(rows, True), ""]
    blur = {model: scores.blurred_probability(model)[0] for model in ("cnn", "vit")}
    lines += [
        "**Measures.** Pointing game (Zhang et al. 2016): a hit when the map's maximum, at the crop's resolution "
        "(where every map is upsampled as the app draws it), lies on the object's mask dilated by one pixel. "
        "Mass inside: the share of the map's total value on the object's pixels, against the share of the crop the "
        "object covers, which is what a map blind to the object would score. Deletion and insertion (Petsiuk et al. "
        f"2018): the crop's pixels, most salient first, in {scores.steps} steps of {1 / scores.steps:.0%}, are "
        "replaced by a blurred copy of the image (deletion) or restored onto it (insertion, from the blurred copy); "
        "the area under the model's probability of its class (lower is better for deletion, higher for insertion). "
        "Each map is scored against the model it explains, beside a random map (a new one per image) as the "
        "baseline; AUCs compare maps of one model. Across models they also reflect how much each model still sees "
        f"in the fully blurred image: the CNN keeps {blur['cnn']:.0%} of its class's probability there on average, "
        f"the ViT {blur['vit']:.0%}. The CNN's Grad-CAM is computed on its last stage's {_grid(scores.grids['cnn'])} "
        f"grid, the ViT's maps on its {_grid(scores.grids['vit'])} patch grid, both upsampled bilinearly"
        + ((": the coarser grid spreads its mass more widely, which caps how much of it can lie on a small object"
            + (f"; the row {map_label('cnn', SAME_GRID)} is the CNN's Grad-CAM on the stage whose grid is the ViT's "
               f"({_grid(scores.grids[SAME_GRID])}), like with like, and the reading below compares that one."
               if SAME_GRID in scores.grids else "."))
           if scores.grids["cnn"] != scores.grids["vit"] else "."),
        "",
        *_explanation_reading(scores),
    ]
    return lines


def _explanation_table(rows: list[MapSummary], with_count: bool) -> list[str]:
    head = ("| map |" + (" n |" if with_count else "") + " pointing game | mass inside vs object's area share | "
            "deletion AUC (lower is better) | insertion AUC (higher is better) |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for s in rows:
        count = f" {s.count} |" if with_count else ""
        if s.count == 0:
            lines.append(f"| {map_label(s.model, s.name)} |{count} — | — | — | — |")
            continue
        lines.append(f"| {map_label(s.model, s.name)} |{count} {_rate(s.pointing)} | {_share(s.inside)} vs "
                     f"{s.area[0]:.0%} | {_mean(s.deletion)} | {_mean(s.insertion)} |")
    return lines


def _explanation_reading(scores: ExplanationScores) -> list[str]:
    """A plain reading from the numbers: which maps find the object, which are faithful, and the homework's claim."""
    summaries = {(s.model, s.name): s for s in scores.summary("all")}
    cnn = ("cnn", SAME_GRID) if ("cnn", SAME_GRID) in scores.maps() else ("cnn", "gradcam")
    vit_maps = [key for key in scores.maps() if key[0] == "vit" and key[1] != RANDOM]
    best_vit = max(vit_maps, key=lambda key: summaries[key].inside[0] - summaries[key].area[0])
    gaps = {key: (scores.paired("excess", cnn, key), scores.paired("hit", cnn, key)) for key in vit_maps}
    mass_gap, hit_gap = gaps[best_vit]
    s, b = summaries[cnn], summaries[best_vit]
    lines = ["**Reading.**", ""]
    lines.append(
        f"- *Finding the object.* The {map_label(*cnn)} has its maximum on the object on {_rate(s.pointing)} of images "
        f"and {_share(s.inside)} of its mass there (area {s.area[0]:.0%}). The ViT map with the most mass on the "
        f"object is {map_label(*best_vit)}: {_rate(b.pointing)} hits, {_share(b.inside)} of its mass. Paired over "
        "the same images, CNN Grad-CAM minus each ViT map: "
        + "; ".join(f"{map_label(*key)}: mass {_points(mass)}, pointing game {_points(hit)}"
                    for key, (mass, hit) in gaps.items()) + ".")
    faithful, unfaithful = [], []
    for model, name in scores.maps():
        if name == RANDOM:
            continue
        deletion = scores.paired("deletion", (model, RANDOM), (model, name))
        insertion = scores.paired("insertion", (model, name), (model, RANDOM))
        faithful.append(f"{map_label(model, name)} {_auc_gap(deletion)} lower deletion, "
                        f"{_auc_gap(insertion)} higher insertion")
        if _sign(deletion) <= 0:
            unfaithful.append(map_label(model, name))
    lines.append("- *Faithfulness, against the same model's random map, paired.* " + "; ".join(faithful) + ".")
    faith = ("every map beats its model's random map on deletion" if not unfaithful else
             f"{', '.join(unfaithful)} {'does' if len(unfaithful) == 1 else 'do'} not clearly beat the random map on "
             "deletion")
    lines.append(
        "- *The homework's claim* (part 1(a)): a CNN is more interpretable and easier to debug, because its filters "
        "and layer outputs can be drawn, while attention weights are hard to interpret, although an attention map "
        f"shows where the network looked. On finding the object, {_claim_reading(mass_gap, hit_gap)} On "
        f"faithfulness, {faith}. This checks the maps the app draws (C4's verdict reads the filters), on one "
        "small pair and toy images; the best ViT map is chosen after the fact, among three.")
    return lines


def _claim_reading(mass_gap: tuple[float, float], hit_gap: tuple[float, float]) -> str:
    leads = {_sign(mass_gap), _sign(hit_gap)}
    if leads == {1}:
        return "the CNN's Grad-CAM does better than the best ViT map on both measures, as the claim expects."
    if leads == {-1}:
        return "the best ViT map does better than the CNN's Grad-CAM on both measures: the opposite of the claim."
    if leads == {0}:
        return "the CNN's Grad-CAM and the best ViT map do about equally well: no support for the claim."
    return "the comparison is mixed (the two measures disagree, or only one shows a clear difference)."


def _sign(gap: tuple[float, float]) -> int:
    """+1 if the 95% interval of a paired difference lies above 0, -1 below, 0 if it contains 0."""
    mean, half = gap
    return 1 if mean - half > 0 else -1 if mean + half < 0 else 0


def _rate(p: Interval) -> str:
    return f"{p.value:.0%} [{p.low:.0%}–{p.high:.0%}]"


def _share(m: tuple[float, float]) -> str:
    return f"{m[0]:.0%} ± {m[1] * 100:.0f}" if m[1] == m[1] else f"{m[0]:.0%}"


def _mean(m: tuple[float, float]) -> str:
    return f"{m[0]:.3f} ± {m[1]:.3f}" if m[1] == m[1] else f"{m[0]:.3f}"


def _points(gap: tuple[float, float]) -> str:
    return f"{gap[0] * 100:+.0f} ± {gap[1] * 100:.0f} points".replace("-", "−")


def _grid(grid: tuple[int, int]) -> str:
    return "×".join(map(str, grid))


def _auc_gap(gap: tuple[float, float]) -> str:
    return f"{gap[0]:.3f} ± {gap[1]:.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", default="toy")
    parser.add_argument("--images", type=Path, help="folder of images (required for Hub pairs)")
    parser.add_argument("--count", type=int, default=500, help="held-out toy images and Picasso faces")
    parser.add_argument("--quick", action="store_true", help="a small, fast run (for tests)")
    parser.add_argument("--out", type=Path, default=ROOT, help="folder for FINDINGS.md and findings/")
    parser.add_argument("--toy-runs", type=Path, nargs="+", default=[], metavar="DIR",
                        help="other training runs of the toy pair, each a folder with toy_cnn and toy_vit weights and "
                             "a manifest.json like weights/manifest.json: C5–C9 are graded on them too")
    parser.add_argument("--arrangement", type=Path,
                        help="the arrangement experiment's results (JSON), for C13, C14 and the mechanism lines of "
                             "C7–C9; keys: " + "; ".join(f"{k}: {v}" for k, v in ARRANGEMENT.items()))
    parser.add_argument("--residual", type=Path, default=RESIDUAL,
                        help="the residual runs' results (JSON) for C12c, read when present (default: "
                             "findings/residual.json)")
    parser.add_argument("--swin", type=Path, default=ROOT / "findings",
                        help=f"folder with the Swin measurement's {SWIN_COST} and {SWIN_REACH} for C11 and C12 "
                             "(`python -m findings.swin`), read when present (default: findings/)")
    parser.add_argument("--precision", choices=SETTINGS, default=default_setting(),
                        help="fp32, bf16 or auto (bf16 where the hardware has it); default: $CNN_VIT_PRECISION, "
                             "else auto (runtime/precision.py)")
    args = parser.parse_args(argv)
    set_precision(args.precision)
    arrangement = load_arrangement(args.arrangement)
    started = time.time()
    pair = load_pair(args.pair)
    count = QUICK_COUNT if args.quick else args.count
    labels = None
    if args.images:
        images01 = folder_images(pair, args.images)
    elif pair.name == "toy":
        images01, labels = split_tensors("test", count)
    else:
        raise SystemExit("Hub pairs need --images FOLDER (ImageNet-like photos); the toy world has other classes.")
    if args.toy_runs and labels is None:
        raise SystemExit("--toy-runs grades C5–C9 on held-out toy images: use it with the toy pair, without --images")
    seeds = list(range(FACE_SEEDS, FACE_SEEDS + count))
    measured = measure(pair, images01, seeds, args.out, args.quick, arrangement, labels, args.toy_runs,
                       load_residual(args.residual), args.swin)
    command = "python -m findings.report " + " ".join(
        f"--{k} {v}" for k, v in [("pair", args.pair), ("images", args.images), ("arrangement", args.arrangement),
                                  ("toy-runs", " ".join(map(str, args.toy_runs))),
                                  ("count", None if args.quick or args.count == 500 else args.count),
                                  ("precision", precision())] if v and v != "toy")
    command = command.strip() + (" --quick" if args.quick else "")
    (args.out / "FINDINGS.md").write_text(findings_document(pair, measured, len(images01), command,
                                                             time.time() - started))
    (args.out / "findings" / "results.json").write_text(
        json.dumps(results(pair, measured, len(images01), command), indent=1, ensure_ascii=False))
    print(f"wrote {args.out / 'FINDINGS.md'} and {args.out / 'findings'}/")


if __name__ == "__main__":
    main()
