"""The Markdown model card written next to the bundled toy weights."""
from pathlib import Path

from toyworld import LABELS


def write_model_card(path: Path, entries: list[dict], run: dict) -> None:
    """Write weights/MODEL_CARD.md from the manifest entries of one training run."""
    lines = [
        "# Model card: the bundled toy pair",
        "",
        "Two classifiers trained from scratch, on this project's procedural toy world, by",
        f"`{run['command']}`. They are the app's offline default pair (`toy`).",
        "",
        f"- **Data**: {entries[0]['provenance']['data']}",
        f"- **Classes** ({len(LABELS)}): {', '.join(LABELS)}. Scrambled (Picasso) faces never enter training.",
        f"- **Augmentation**: {run['augmentation']}",
        f"- **Hardware**: {run['hardware']}",
        f"- **Total wall time**: {run['wall_time_s'] / 60:.1f} min (rendering included)",
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
    lines += ["", "Hyperparameters (AdamW, one-cycle schedule, batch "
              f"{run['batch_size']}):", ""]
    for e in entries:
        lines.append(f"- {e['key']}: {e['provenance']['hyperparameters']}")
    lines += ["", "Each file's SHA-256 is in `weights/manifest.json`; the app refuses a file that does not match.",
              ""]
    path.write_text("\n".join(lines))
