"""Train one architecture on the arrangement task at one training-set size, within the shared budget."""
import time
from dataclasses import dataclass

import torch
from torch import nn

from lab.arrangement.recipes import Architecture, Budget
from models.normalization import Normalization
from models.pairs import count_parameters
from runtime.device import compute_device
from runtime.precision import precision
from toyworld.arrangement import label_indices, render_specs, split_specs
from toyworld.data import to_tensor
from toyworld.fit import fit
from toyworld.recipes import MEAN, STD

Split = tuple[torch.Tensor, torch.Tensor]


@dataclass(frozen=True)
class TaskData:
    """The task's largest training set and its validation set, normalised as the models take them."""
    train: Split
    val: Split

    def first(self, size: int) -> Split:
        """The first `size` training images: smaller sets are prefixes of larger ones."""
        return self.train[0][:size], self.train[1][:size]


def split(name: str, count: int) -> Split:
    """The first `count` images of a split of the task, normalised, with their label indices."""
    specs = split_specs(name, count)
    return Normalization(MEAN, STD)(to_tensor(render_specs(specs))), torch.from_numpy(label_indices(specs))


def task_data(budget: Budget) -> TaskData:
    return TaskData(split("train", budget.full_size), split("val", budget.val_size))


def train_architecture(architecture: Architecture, data: TaskData, size: int, budget: Budget,
                       seed: int) -> tuple[nn.Module, dict]:
    """The trained model and its record: every size gets budget.steps optimisation steps (epochs of the largest
    set's length, drawn from the first `size` images)."""
    started = time.time()
    torch.manual_seed(seed)
    model = architecture.build().to(compute_device())
    history = fit(model, data.first(size), data.val, epochs=budget.epochs, lr=architecture.lr,
                  weight_decay=budget.weight_decay, label_smoothing=budget.label_smoothing,
                  batch_size=budget.batch_size, seed=seed, desc=f"{architecture.key} on {size:,}",
                  epoch_size=budget.full_size)
    record = {"architecture": architecture.key, "title": architecture.title, "size": size,
              "parameters": count_parameters(model),
              "trainable_parameters": sum(p.numel() for p in model.parameters() if p.requires_grad),
              "steps": budget.steps, "epochs_of_largest_set": budget.epochs, "batch_size": budget.batch_size,
              "lr": architecture.lr, "weight_decay": budget.weight_decay, "label_smoothing": budget.label_smoothing,
              "optimizer": "AdamW, one-cycle schedule", "seed": seed, "val_history": history,
              "val_images": len(data.val[0]), "wall_time_s": round(time.time() - started, 1),
              "device": compute_device().type, "precision": precision()}
    return model, record
