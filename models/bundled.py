"""The weights shipped in weights/: a manifest with hashes, configs, labels and provenance."""
import hashlib
import json
from pathlib import Path

import timm
from safetensors.torch import load_file
from torch import nn

from models.vit import ViT

WEIGHTS_DIR = Path(__file__).resolve().parent.parent / "weights"
MANIFEST = WEIGHTS_DIR / "manifest.json"


class WeightsError(RuntimeError):
    """A bundled weights file is missing, tampered with, or not yet trained."""


def read_manifest(weights_dir: Path = WEIGHTS_DIR) -> dict:
    """The manifest: one entry per weights file, keyed by model name."""
    manifest = weights_dir / MANIFEST.name
    return json.loads(manifest.read_text()) if manifest.exists() else {}


def write_manifest_entry(key: str, entry: dict, weights_dir: Path = WEIGHTS_DIR) -> None:
    """Add or replace one entry of the manifest."""
    manifest = read_manifest(weights_dir) | {key: entry}
    (weights_dir / MANIFEST.name).write_text(json.dumps(manifest, indent=2) + "\n")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_path(entry: dict, weights_dir: Path = WEIGHTS_DIR) -> Path:
    """The entry's file, after checking it exists and its hash matches the manifest."""
    path = weights_dir / entry["file"]
    fix = "restore it with `git checkout -- weights/` or retrain with `python -m training.toy`"
    if not path.exists():
        raise WeightsError(f"weights/{entry['file']} is missing: {fix}.")
    if sha256(path) != entry["sha256"]:
        raise WeightsError(f"weights/{entry['file']} does not match the sha256 in weights/manifest.json "
                           f"(changed or corrupted); refusing to load it: {fix}.")
    return path


def build_model(entry: dict) -> nn.Module:
    """An untrained model of the entry's architecture."""
    if entry["kind"] == "vit":
        return ViT(**entry["config"])
    if entry["kind"] == "timm":
        return timm.create_model(entry["architecture"], num_classes=len(entry["labels"]), **entry["model_args"])
    raise WeightsError(f"unknown model kind {entry['kind']!r} in weights/manifest.json")


def load_bundled(key: str, weights_dir: Path = WEIGHTS_DIR) -> tuple[nn.Module, dict]:
    """A bundled model with its verified weights, and its manifest entry."""
    manifest = read_manifest(weights_dir)
    if key not in manifest:
        raise WeightsError(f"{key} is not trained yet: run `python -m training.toy` to train the toy pair.")
    entry = manifest[key]
    model = build_model(entry)
    model.load_state_dict(load_file(verified_path(entry, weights_dir)), strict=True)
    return model.eval(), entry
