"""Train one architecture of the arrangement experiment, at full size until its plateau or for the learning curve."""
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lab.arrangement.recipes import Architecture, Budget
from models.normalization import Normalization
from models.pairs import count_parameters
from runtime.device import compute_device
from runtime.precision import precision
from toyworld.arrangement import label_indices, render_specs, split_specs
from toyworld.data import to_tensor
from training.loop import Optimisation, Split, fit
from training.recipes import MEAN, STD


@dataclass(frozen=True)
class TaskData:
    """The task's largest training set and its validation set, normalised as the models take them."""
    train: Split
    val: Split

    def first(self, size: int) -> Split:
        """The first `size` training images: smaller sets are prefixes of larger ones."""
        return self.train[0][:size], self.train[1][:size]


def rendered(name: str, count: int, cache: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first `count` images of a split of the task (uint8) and their label indices; kept in `cache` (a .npz) when
    given, so parallel workers render a split once."""
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            return saved["images"], saved["labels"]
    specs = split_specs(name, count)
    images, labels = render_specs(specs), label_indices(specs)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(cache.stem + ".partial.npz")
        np.savez(partial, images=images, labels=labels)
        partial.replace(cache)
    return images, labels


def split(name: str, count: int, cache: Path | None = None) -> Split:
    """The first `count` images of a split of the task, normalised, with their label indices."""
    images, labels = rendered(name, count, cache)
    return Normalization(MEAN, STD)(to_tensor(images)), torch.from_numpy(labels)


def task_data(budget: Budget, cache_dir: Path | None = None) -> TaskData:
    def cached(name: str, count: int) -> Path | None:
        return cache_dir / f"{name}-{count}.npz" if cache_dir is not None else None
    return TaskData(split("train", budget.full_size, cached("train", budget.full_size)),
                    split("val", budget.val_size, cached("val", budget.val_size)))


def train_architecture(architecture: Architecture, train: Split, val: Split, recipe: Optimisation, seed: int,
                       checkpoint: Path | None = None) -> tuple[nn.Module, dict]:
    """The trained model and its record (parameters, recipe, every epoch, where it was computed)."""
    started = time.time()
    torch.manual_seed(seed)
    model = architecture.build().to(compute_device())
    history = fit(model, train, val, recipe, seed=seed, desc=f"{architecture.key} seed {seed} on {len(train[0]):,}",
                  checkpoint=checkpoint)
    record = {"architecture": architecture.key, "title": architecture.title, "size": len(train[0]), "seed": seed,
              "parameters": count_parameters(model),
              "trainable_parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
              "training": history.to_json(), "val_images": len(val[0]),
              "wall_time_s": round(time.time() - started, 1), "device": compute_device().type,
              "precision": precision()}
    return model, record
