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
"""The architectures C7–C9 judge (the bundled `toy-arrangement` pair); their ablations are quoted beside them."""


def task_rates(results: dict) -> Rates:
    """The experiment's held-out faces as Picasso rates (variant -> "cnn"/"vit" -> interval), clean faces included."""
    models = {side: results["models"][key] for side, key in JUDGED.items()}
    rates = {name: {side: Interval(*m["held_out_called_face"][variant]) for side, m in models.items()}
             for name, variant in TASK_VARIANTS.items()}
    rates["clean"] = {side: Interval(*m["face_vs_jumbled"]["faces_called_face"]) for side, m in models.items()}
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
             "Position embeddings": ("vit_position", "vit_no_position", "(b) homework")}
"""Mechanism -> (the architecture with it, the same without it, the held-out variant its claim reads)."""
TARGET = 0.95
"""The face-vs-jumbled accuracy the learning curve's summary looks for (the bundled pair's test asks as much)."""


def compared(with_it: list[float], without_it: list[float]) -> str:
    """How two shares compare, from their 95% intervals."""
    if with_it[1] > without_it[2]:
        return "clearly higher with it: the intervals are apart"
    if with_it[2] < without_it[1]:
        return "clearly lower with it: the intervals are apart"
    return "not clearly different: the intervals overlap"


def ablation_summary(results: dict) -> list[str]:
    """What each ablation changed, in sentences built from the numbers (the verdicts' 'why' reads these)."""
    models, curve = results["models"], results["learning_curve"]
    lines = []
    for mechanism, (with_key, without_key, variant) in ABLATIONS.items():
        a, b = models[with_key], models[without_key]
        accuracy = [a["face_vs_jumbled"]["accuracy"], b["face_vs_jumbled"]["accuracy"]]
        called = [a["held_out_called_face"][variant], b["held_out_called_face"][variant]]
        lines.append(f"- **{mechanism}.** Face vs jumbled face: {_rate(accuracy[0])} with it, {_rate(accuracy[1])} "
                     f"without ({compared(*accuracy)}). Faces '{variant}' called a face: {_rate(called[0])} with it, "
                     f"{_rate(called[1])} without ({compared(*called)}). Eleven-class test accuracy: "
                     f"{_rate(a['test_accuracy'])} with it, {_rate(b['test_accuracy'])} without.")
    reached = []
    for key, points in curve["accuracy"].items():
        first = next((size for size, p in zip(curve["sizes"], points) if p[0] >= TARGET), None)
        reached.append(f"{STYLES[key][0]} " + (f"from {first:,} images" if first else
                                               f"at none of them (best {max(p[0] for p in points):.0%})"))
    lines.append(f"- **Data.** With the same steps at every size, face vs jumbled face reaches {TARGET:.0%}: "
                 + "; ".join(reached) + ".")
    return lines


def curve_sources(curve: dict, provenance: dict) -> list[str]:
    """A line naming where the learning curve's points were computed, for those the section's run did not compute
    (points added to its curve later, `python -m lab.arrangement --add-to-curve`)."""
    fields = ("command", "device", "precision", "hardware", "date")
    main = tuple(provenance.get(k) for k in fields)
    added: dict[tuple, list[int]] = {}
    for size, source in zip(curve["sizes"], curve.get("computed", [])):
        where = tuple(source.get(k) for k in fields)
        if where != main:
            added.setdefault(where, []).append(size)
    lines = [f"The {' and '.join(f'{size:,}' for size in sizes)}-image points were added by `{command}` on {day}: "
             f"{device}, {precision}, {hardware}." for (command, device, precision, hardware, day), sizes in added.items()]
    return [" ".join(lines)] if lines else []


def arrangement_section(results: dict, figures: dict[str, str]) -> list[str]:
    """The experiment's numbers per architecture, where they were computed, and its figures."""
    models, provenance = results["models"], results["provenance"]
    variants = list(next(iter(models.values()))["held_out_called_face"])
    grids = list(next(iter(models.values()))["shuffle_top1_kept"])
    lines = [
        "## When arrangement matters: faces against jumbled faces",
        "",
        "Four architectures trained from scratch with one budget on the ten toy classes plus `jumbled face` (a "
        "face's parts, none rotated, out of place); the held-out faces (a)–(d) never appear in training. Written by "
        f"`{provenance['command']}` on {provenance['date']}: {provenance['device']}, {provenance['precision']}, "
        f"{provenance['hardware']}. 95% Wilson intervals in brackets.",
        "",
        "| architecture | parameters | steps | wall time | face vs jumbled | "
        + " | ".join(f"{v}: called a face" for v in variants) + " | "
        + " | ".join(f"{g}×{g} shuffle keeps top-1" for g in grids) + " |",
        "|---" * (5 + len(variants) + len(grids)) + "|",
    ]
    for key, (name, _, _, _) in STYLES.items():
        m = models[key]
        lines.append(f"| {name} | {m['parameters']:,} | {m['steps']:,} | {m['wall_time_s'] / 60:.1f} min | "
                     f"{_rate(m['face_vs_jumbled']['accuracy'])} | "
                     + " | ".join(_rate(m["held_out_called_face"][v]) for v in variants) + " | "
                     + " | ".join(_rate(m["shuffle_top1_kept"][g]) for g in grids) + " |")
    curve = results["learning_curve"]
    lines += ["", "Learning curve (face vs jumbled face, same steps at every size): "
              + "; ".join(f"{STYLES[key][0]}: " + ", ".join(f"{size:,}: {p[0]:.0%}" for size, p in
                                                             zip(curve["sizes"], points))
                          for key, points in curve["accuracy"].items()) + "."]
    lines += [*curve_sources(curve, provenance), ""]
    lines += ["What the ablations change (same images, same budget; each mechanism against its own removal):", "",
              *ablation_summary(results), ""]
    protocol = results["fine_tuning_protocol"]
    lines += [f"Fine-tuning (C13, C14): {protocol['pretrained']}, {protocol['train_images']:,} images, "
              f"{protocol['epochs']} epochs, {protocol['optimizer']}; {protocol['device']}, {protocol['precision']}.",
              ""]
    for stem, path in figures.items():
        lines += [f"![{stem}]({path})", ""]
    return lines
