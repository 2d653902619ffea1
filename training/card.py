"""The Markdown model card written next to the bundled toy weights."""
from pathlib import Path

from toyworld import LABELS


def write_model_card(path: Path, entries: list[dict]) -> None:
    """Write weights/MODEL_CARD.md from the manifest entries of the bundled models."""
    first = entries[0]["provenance"]
    render_minutes = max(e["provenance"]["render_time_s"] for e in entries) / 60
    train_minutes = sum(e["provenance"]["wall_time_s"] for e in entries) / 60
    lines = [
        "# Model card: the bundled toy pair",
        "",
        "Two classifiers trained from scratch on this project's procedural toy world by",
        "`python -m training.toy` (the same seeds give the same weights). They are the app's offline",
        "default pair (`toy`).",
        "",
        f"- **Data**: {first['data']}",
        f"- **Classes** ({len(LABELS)}): {', '.join(LABELS)}. Scrambled (Picasso) faces never enter training.",
        f"- **Augmentation**: {first['augmentation']}",
        f"- **Hardware**: {first['hardware']}",
        f"- **Wall time**: {render_minutes:.1f} min rendering the data + {train_minutes:.1f} min training and "
        f"evaluating = {render_minutes + train_minutes:.1f} min",
        "",
        "| model | architecture | parameters | epochs | val accuracy | test accuracy | wall time | file |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        p = e["provenance"]
        lines.append(f"| {e['key']} | {e['name']} | {p['parameters']:,} | {p['hyperparameters']['epochs']} | "
                     f"{p['val_accuracy']:.2%} | {p['test_accuracy']:.2%} | {p['wall_time_s'] / 60:.1f} min | "
                     f"`weights/{e['file']}` |")
    lines += ["", "Validation accuracy after each epoch:", ""]
    for e in entries:
        history = ", ".join(f"{a:.3f}" for a in e["provenance"]["val_history"])
        lines.append(f"- {e['key']}: {history}")
    lines += ["", "Hyperparameters (AdamW, one-cycle schedule):", ""]
    for e in entries:
        lines.append(f"- {e['key']}: {e['provenance']['hyperparameters']}")
    lines += ["", "Each file's SHA-256 is in `weights/manifest.json`; the app refuses a file that does not match.",
              ""]
    path.write_text("\n".join(lines))
