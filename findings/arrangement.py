"""FINDINGS.md's section on the arrangement experiment, from its results file (`python -m lab.arrangement`)."""
from pathlib import Path

from figures.arrangement import FIGURES, STYLES
from lab.verdicts import format_share


def _rate(interval: list[float]) -> str:
    return format_share(tuple(interval), brief=True)


def save_figures(results: dict, folder: Path) -> dict[str, str]:
    """Draw every figure of the experiment into `folder`; {file stem: path relative to FINDINGS.md}."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for stem, figure in FIGURES.items():
        figure(results).savefig(folder / f"{stem}.png", dpi=100)
        written[stem] = f"{folder.name}/{stem}.png"
    return written


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
                          for key, points in curve["accuracy"].items()) + ".", ""]
    protocol = results["fine_tuning_protocol"]
    lines += [f"Fine-tuning (C13, C14): {protocol['pretrained']}, {protocol['train_images']:,} images, "
              f"{protocol['epochs']} epochs, {protocol['optimizer']}; {protocol['device']}, {protocol['precision']}.",
              ""]
    for stem, path in figures.items():
        lines += [f"![{stem}]({path})", ""]
    return lines
