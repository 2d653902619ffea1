"""Finished stages of a run, kept under its output folder so that a rerun skips them.

A stage is done when its record (JSON) exists; the record is written last, after any weights, so a stage cut short
is simply run again.
"""
import json
import os
from pathlib import Path

from safetensors.torch import load_file, save_file
from torch import nn


class Stages:
    """The stages of one run under `root`: `<name>.json` records and `<name>.safetensors` weights."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def record_path(self, name: str) -> Path:
        return self.root / f"{name}.json"

    def weights_path(self, name: str) -> Path:
        return self.root / f"{name}.safetensors"

    def done(self, name: str) -> bool:
        return self.record_path(name).exists()

    def load(self, name: str) -> dict:
        return json.loads(self.record_path(name).read_text())

    def save(self, name: str, record: dict, model: nn.Module | None = None) -> None:
        """Write the stage's weights (if any), then its record; the record's presence marks the stage done."""
        if model is not None:
            save_file({k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()},
                      str(self.weights_path(name)))
        partial = self.record_path(name).with_suffix(".json.partial")
        partial.write_text(json.dumps(record, indent=1) + "\n")
        os.replace(partial, self.record_path(name))

    def load_weights(self, name: str, model: nn.Module) -> nn.Module:
        """`model` with the stage's weights (strict: every key, every shape)."""
        model.load_state_dict(load_file(str(self.weights_path(name))), strict=True)
        return model.eval()


def stage_name(architecture: str, size: int) -> str:
    """The training stage of one architecture at one training-set size."""
    return f"train-{architecture}-{size}"
