"""The bundled `toy-arrangement` pair: the pooled CNN and the ViT with learned position embeddings of the first seed
whose ViT passed the competence gate (else the first seed), copied into weights/ with manifest entries (sha256,
provenance) and a section of weights/MODEL_CARD.md."""
import shutil
from datetime import date
from pathlib import Path

from lab.arrangement.recipes import BUNDLED, GATE, Budget, vit_config
from lab.arrangement.stages import Stages
from models.bundled import WEIGHTS_DIR, read_manifest, sha256, write_manifest_entry
from toyworld.arrangement import CONTACT_SHEET_ROWS, LABELS, contact_sheet
from toyworld.splits import SPLITS
from training.card import write_model_card
from training.recipes import MEAN, STD, TOY_CNN

CONTACT_SHEET = "arrangement_faces.png"
SIZE_LIMIT = 25 * 1024 * 1024
"""All bundled weights together stay under this many bytes."""
_TOY_KEYS = ("toy_cnn", "toy_vit")


def architecture_fields(architecture: str) -> dict:
    """The manifest fields models.bundled.build_model reads back, for a bundled architecture."""
    if architecture == "cnn_pooled":
        return {"name": f"{TOY_CNN.name}, eleven classes", "kind": "timm", "architecture": TOY_CNN.architecture,
                "model_args": TOY_CNN.model_args}
    return {"name": "the seed's ViT (6 layers, 4 heads, d_model 128, patch 8), eleven classes", "kind": "vit",
            "config": vit_config()}


def bundled_seed(results: dict) -> int:
    """The seed whose pair is bundled: the first whose ViT passed the gate, else the first."""
    passing = [run["seed"] for run in results["gate"]["per_seed"] if run["accuracy"][0] >= GATE]
    return passing[0] if passing else results["gate"]["per_seed"][0]["seed"]


def bundle(stages: Stages, budget: Budget, results: dict, command: str, weights_dir: Path = WEIGHTS_DIR) -> list[str]:
    """Copy the pair's weights into `weights_dir`, write their manifest entries and the model card; the files
    written. Refuses when the weights of all bundled pairs together would exceed SIZE_LIMIT."""
    written = []
    data = (f"the arrangement task: the toy world's ten classes plus 'jumbled face', {budget.full_size:,} "
            f"training images (seeds {SPLITS['train']}..), {budget.val_size:,} validation (seeds {SPLITS['val']}..), "
            f"{len(LABELS)} balanced classes, 64×64 RGB")
    seed = bundled_seed(results)
    for architecture, key in BUNDLED.items():
        name = f"main-{architecture}-seed{seed}"
        record = stages.load(name)
        target = weights_dir / f"{key}.safetensors"
        shutil.copyfile(stages.weights_path(name), target)
        run = next(r for r in results["models"][architecture]["runs"] if r["seed"] == seed)
        training = record["training"]
        entry = architecture_fields(architecture) | {
            "key": key, "file": target.name, "sha256": sha256(target), "labels": LABELS,
            "preprocessing": {"size": 64, "mean": list(MEAN), "std": list(STD)},
            "provenance": {
                "data": data, "command": command, "parameters": record["parameters"],
                "hyperparameters": {"recipe": training["recipe"]["described"], "steps": training["steps"],
                                    "kept_epoch": training["kept_epoch"], "seed": seed,
                                    "precision": record["precision"]},
                "training_set": budget.full_size, "val_history": [e["val_accuracy"] for e in training["epochs"]],
                "val_accuracy": training["epochs"][training["kept_epoch"] - 1]["val_accuracy"],
                "test_accuracy": run["test_accuracy"][0], "face_vs_jumbled": run["face_vs_jumbled"]["accuracy"],
                "wall_time_s": record["wall_time_s"], "device": record["device"],
                "hardware": record.get("hardware", results["provenance"]["hardware"]),
                "date": date.today().isoformat(),
            },
        }
        write_manifest_entry(key, entry, weights_dir)
        written.append(target.name)
    total = sum((weights_dir / e["file"]).stat().st_size for e in read_manifest(weights_dir).values())
    if total >= SIZE_LIMIT:
        raise SystemExit(f"bundled weights would total {total / 2 ** 20:.1f} MiB, over the "
                         f"{SIZE_LIMIT / 2 ** 20:.0f} MiB limit")
    contact_sheet().save(weights_dir / CONTACT_SHEET)
    write_card(weights_dir)
    return [*written, CONTACT_SHEET, "manifest.json", "MODEL_CARD.md"]


def write_card(weights_dir: Path = WEIGHTS_DIR) -> None:
    """weights/MODEL_CARD.md: the toy pair's card, then the arrangement pair's section when it is bundled."""
    manifest = read_manifest(weights_dir)
    path = weights_dir / "MODEL_CARD.md"
    write_model_card(path, [manifest[key] for key in _TOY_KEYS if key in manifest])
    entries = [manifest[key] for key in BUNDLED.values() if key in manifest]
    if entries:
        path.write_text(path.read_text() + "\n" + "\n".join(card_section(entries)) + "\n")


def card_section(entries: list[dict]) -> list[str]:
    """The model card's section on the `toy-arrangement` pair, from its manifest entries."""
    first = entries[0]["provenance"]
    lines = [
        "# Model card: the arrangement pair (`toy-arrangement`)",
        "",
        "Two classifiers trained from scratch by `python -m lab.arrangement` on a task where only the arrangement of",
        "a face's parts separates two classes: `face` and `jumbled face` (all of a face's parts, none rotated, out of",
        "place), beside the other nine toy classes. Rotated parts, the homework's picture, the upside-down layout and",
        "the full Picasso scramble never enter training; the findings report tests them.",
        "",
        f"- **Data**: {first['data']}",
        f"- **Classes** ({len(LABELS)}): {', '.join(LABELS)}.",
        f"- **Command**: `{first['command']}`",
        f"- **Hardware**: {first['hardware']} ({first['device']}, {first['hyperparameters']['precision']})",
        "",
        "| model | architecture | parameters | steps | val accuracy | test accuracy | face vs jumbled face | "
        "wall time | file |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        p = e["provenance"]
        share, low, high = p["face_vs_jumbled"]
        lines.append(f"| {e['key']} | {e['name']} | {p['parameters']:,} | {p['hyperparameters']['steps']:,} | "
                     f"{p['val_accuracy']:.2%} | {p['test_accuracy']:.2%} | {share:.1%} [{low:.1%}–{high:.1%}] | "
                     f"{p['wall_time_s'] / 60:.1f} min | `weights/{e['file']}` |")
    lines += ["", f"![Rows: {', '.join(CONTACT_SHEET_ROWS)}; eight seeds each]({CONTACT_SHEET})", "",
              f"Rows, top to bottom: {'; '.join(CONTACT_SHEET_ROWS)}."]
    return lines
