"""FINDINGS.md's section on the arrangement experiment, from its results file (`python -m lab.arrangement`)."""
from pathlib import Path

from figures.arrangement import FIGURES, STYLES
from lab.picasso import Rates
from lab.statistics import Interval
from lab.verdicts import format_share


def _rate(interval: list[float]) -> str:
    return format_share(Interval(*interval), brief=True)


TASK_VARIANTS = {"moved": "moved", "homework": "(b) homework", "rotated only": "(a) rotated only"}
"""The Picasso variant names C7–C9 read (lab.claims) -> the arrangement experiment's held-out variant names."""
JUDGED = {"cnn": "cnn_pooled", "vit": "vit_position"}
"""The architectures C7–C9's mechanism lines judge; their ablations are quoted beside them."""


def task_rates(results: dict) -> Rates:
    """The experiment's held-out faces as Picasso rates (variant -> "cnn"/"vit" -> interval pooled over seeds), clean
    faces included."""
    pooled = {side: results["models"][key]["pooled"] for side, key in JUDGED.items()}
    rates = {name: {side: Interval(*p["held_out_called_face"][variant]) for side, p in pooled.items()}
             for name, variant in TASK_VARIANTS.items()}
    rates["clean"] = {side: Interval(*p["face_vs_jumbled"]["faces_called_face"]) for side, p in pooled.items()}
    return rates


def save_figures(results: dict, folder: Path) -> dict[str, str]:
    """Draw every figure of the experiment into `folder`; {file stem: path relative to FINDINGS.md}."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for stem, figure in FIGURES.items():
        figure(results).savefig(folder / f"{stem}.png", dpi=100)
        written[stem] = f"{folder.name}/{stem}.png"
    return written


ABLATIONS = {"Global pooling": ("cnn_pooled", "cnn_flattened", "moved"),
             "Position embeddings": ("vit_position", "vit_no_position", "(b) homework"),
             "Learning the positions": ("vit_position", "vit_sincos", "(b) homework")}
"""Mechanism -> (the architecture with it, the same without it, the held-out variant its claim reads)."""
TARGET = 0.95
"""The face-vs-jumbled accuracy the learning curve's summary looks for (the gate's)."""


def compared(with_it: list[float], without_it: list[float]) -> str:
    """How two shares compare, from their intervals (pooled over seeds)."""
    if with_it[1] > without_it[2]:
        return "clearly higher with it: the intervals are apart"
    if with_it[2] < without_it[1]:
        return "clearly lower with it: the intervals are apart"
    return "not clearly different: the intervals overlap"


def ablation_summary(results: dict) -> list[str]:
    """What each ablation changed, in sentences built from the pooled numbers."""
    models, curve = results["models"], results["learning_curve"]
    lines = []
    for mechanism, (with_key, without_key, variant) in ABLATIONS.items():
        a, b = models[with_key]["pooled"], models[without_key]["pooled"]
        accuracy = [a["face_vs_jumbled"]["accuracy"], b["face_vs_jumbled"]["accuracy"]]
        called = [a["held_out_called_face"][variant], b["held_out_called_face"][variant]]
        lines.append(f"- **{mechanism}** ({STYLES[with_key][0]} against {STYLES[without_key][0]}). Face vs jumbled "
                     f"face: {_rate(accuracy[0])} against {_rate(accuracy[1])} ({compared(*accuracy)}). Faces "
                     f"'{variant}' called a face: {_rate(called[0])} against {_rate(called[1])} "
                     f"({compared(*called)}). Eleven-class test accuracy: {_rate(a['test_accuracy'])} against "
                     f"{_rate(b['test_accuracy'])}.")
    reached = []
    for key, points in curve["accuracy"].items():
        measured = [(size, p) for size, p in zip(curve["sizes"], points) if p is not None]
        first = next((size for size, p in measured if p[0] >= TARGET), None)
        reached.append(f"{STYLES[key][0]} " + (f"from {first:,} images" if first else
                                               f"at none of {', '.join(f'{s:,}' for s, _ in measured)} (best "
                                               f"{max(p[0] for _, p in measured):.0%})"))
    lines.append(f"- **Data.** With the same {curve['steps']:,} steps at every size (seed {curve['seed']}), face vs "
                 f"jumbled face reaches {TARGET:.0%}: " + "; ".join(reached) + ".")
    return lines


def gate_line(results: dict) -> str:
    """The competence gate, set before the run, and how each seed met it."""
    gate = results["gate"]
    seeds = "; ".join(f"seed {g['seed']}: {_rate(g['accuracy'])} (faces {_rate(g['faces'])}, jumbles "
                      f"{_rate(g['jumbles'])})" for g in gate["per_seed"])
    verdict = "passed on every seed" if gate["passed"] else "NOT passed on every seed"
    return (f"**Gate** (set before the run): {STYLES[gate['model']][0]} reaches at least {gate['threshold']:.0%} "
            f"{gate['measure']}. {verdict.capitalize()}: {seeds}.")


def headline_table(results: dict) -> list[str]:
    """Architecture × seed: face vs jumbled, the other ten classes, steps run (and why it stopped), minutes."""
    lines = ["| architecture | seed | face vs jumbled | faces / jumbles | other ten classes | 8×8 patch shuffle: "
             "face vs jumbled | steps | stopped | minutes |", "|---|---|---|---|---|---|---|---|---|"]
    for key, (name, _, _, _) in STYLES.items():
        model = results["models"][key]
        for run in model["runs"]:
            fvj = run["face_vs_jumbled"]
            lines.append(f"| {name} | {run['seed']} | {_rate(fvj['accuracy'])} | {fvj['faces_called_face'][0]:.1%} / "
                         f"{fvj['jumbled_called_jumbled'][0]:.1%} | {_rate(run['other_classes_accuracy'])} | "
                         f"{_rate(run['patch_shuffle']['face_vs_jumbled'])} | {run['steps']:,} | "
                         f"{run['stopped']} (epoch {run['kept_epoch']} kept of {run['epochs_run']}) | "
                         f"{run['wall_time_s'] / 60:.1f} |")
        pooled = model["pooled"]
        lines.append(f"| {name} | pooled | {_rate(pooled['face_vs_jumbled']['accuracy'])} | "
                     f"{pooled['face_vs_jumbled']['faces_called_face'][0]:.1%} / "
                     f"{pooled['face_vs_jumbled']['jumbled_called_jumbled'][0]:.1%} | "
                     f"{_rate(pooled['other_classes_accuracy'])} | "
                     f"{_rate(pooled['patch_shuffle']['face_vs_jumbled'])} | | | |")
    return lines


def arrangement_section(results: dict, figures: dict[str, str]) -> list[str]:
    """The experiment's numbers per architecture and seed, where they were computed, and its figures."""
    models, provenance = results["models"], results["provenance"]
    seeds = provenance["budget"]["seeds"]
    first = next(iter(models.values()))
    variants = list(first["pooled"]["held_out_called_face"])
    grids = list(first["pooled"]["shuffle_top1_kept"])
    lines = [
        "## When arrangement matters: faces against jumbled faces",
        "",
        f"Five architectures trained from scratch on the ten toy classes plus `jumbled face` (a face's parts, none "
        f"rotated, out of place), {len(seeds)} seeds each ({', '.join(map(str, seeds))}); the held-out faces (a)–(d) "
        f"never appear in training. Recipe: {first['recipe']} (lab/arrangement/recipes.py says why). Written by "
        f"`{provenance['command']}` on {provenance['date']} from job records computed on "
        + "; ".join(f"{where} ({count} jobs)" for where, count in provenance["jobs_computed"].items())
        + ". Intervals in brackets: for one seed, Wilson's 95% interval over the test images; "
        "pooled, the t interval over seeds widened to hold the Wilson interval of all seeds' images "
        "(lab.statistics.pooled_counts).",
        "",
        gate_line(results),
        "",
        *headline_table(results),
        "",
        "Held-out faces called a face and patch-shuffle sensitivity, pooled over seeds:",
        "",
        "| architecture | " + " | ".join(f"{v}: called a face" for v in variants) + " | "
        + " | ".join(f"{g}×{g} shuffle keeps top-1" for g in grids) + " |",
        "|---" * (1 + len(variants) + len(grids)) + "|",
    ]
    for key, (name, _, _, _) in STYLES.items():
        pooled = models[key]["pooled"]
        lines.append(f"| {name} | " + " | ".join(_rate(pooled["held_out_called_face"][v]) for v in variants) + " | "
                     + " | ".join(_rate(pooled["shuffle_top1_kept"][g]) for g in grids) + " |")
    curve = results["learning_curve"]
    lines += ["", f"Learning curve (face vs jumbled face, {curve['steps']:,} steps at every size, seed "
              f"{curve['seed']}): " + "; ".join(f"{STYLES[key][0]}: " + ", ".join(
                  f"{size:,}: {p[0]:.0%}" for size, p in zip(curve["sizes"], points) if p is not None)
                  for key, points in curve["accuracy"].items()) + "."]
    if curve.get("missing"):
        lines += [f"Not computed: {', '.join(curve['missing'])} (the run's jobs that had not finished when it was "
                  "written; `python -m lab.arrangement` with the same --out resumes them)."]
    lines += [""]
    lines += ["What the ablations change (same images, same recipe; each mechanism against its removal, pooled over "
              "seeds):", "", *ablation_summary(results), ""]
    protocol = results["protocol"]
    chosen = [r for r in protocol["runs"] if r["lr"] == protocol["chosen_lr"]]
    lines += [f"Fine-tuning (C13, C14): {chosen[0]['protocol']['pretrained']}, "
              f"{chosen[0]['protocol']['train_images']:,} images; {chosen[0]['protocol']['recipe']}; learning rates "
              f"{', '.join(f'{lr:g}' for lr in protocol['lrs'])}, {len(chosen)} seeds each; the one graded, "
              f"{protocol['chosen_lr']:g}, by the rule: {protocol['rule']}.", ""]
    minutes = provenance.get("compute_minutes", {})
    if minutes:
        lines += ["Compute: " + ", ".join(f"{kind} jobs {value:.0f} min" for kind, value in minutes.items())
                  + " of one worker's time each summed (workers ran in parallel).", ""]
    for stem, path in figures.items():
        lines += [f"![{stem}]({path})", ""]
    return lines
