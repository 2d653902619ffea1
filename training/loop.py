"""One supervised training loop for every model this project trains: AdamW, a learning-rate schedule, optional
gradient clipping and early stopping on a plateau, a record of every epoch, and resuming from the last finished one.

The model trains where it is (runtime.device) at the process's precision (runtime.precision): under bf16 the forward
runs in bfloat16 autocast while the weights, their gradients and AdamW's state stay float32 (fp16, on a CUDA GPU
without bfloat16, adds loss scaling). Batches are drawn from a CPU generator, so a seed means the same batches on any
device; at a fixed precision on one machine, the same seed gives the same weights, resumed or not.
"""
import copy
import math
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from runtime.device import module_device
from runtime.precision import autocast, precision
from training.augment import augment, on_device

SCHEDULES = ("one-cycle", "constant", "warmup-cosine")
Split = tuple[torch.Tensor, torch.Tensor]


@dataclass(frozen=True)
class Optimisation:
    """How a model is optimised: AdamW at peak `lr` under `schedule`, for at most `epochs` epochs of `epoch_size`
    images (default: the training set once; a larger one runs through fresh permutations until it is full).

    `warmup-cosine`: linear warmup over `warmup_epochs`, then cosine decay to zero at the last epoch (Beyer et al.
    2022); `one-cycle`: torch's OneCycleLR with 15% warmup; `constant`: the peak throughout (the homework's trainer).
    `clip_norm` clips the gradient's global norm; `patience` stops when validation accuracy has not risen by more
    than `min_delta` for that many epochs, and the weights of the best epoch are kept.
    """
    epochs: int
    lr: float
    weight_decay: float = 0.05
    label_smoothing: float = 0.0
    batch_size: int = 128
    schedule: str = "one-cycle"
    warmup_epochs: float = 0.0
    clip_norm: float | None = None
    patience: int | None = None
    min_delta: float = 0.001
    augment: bool = True
    epoch_size: int | None = None

    def __post_init__(self):
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, not {self.schedule!r}")

    def describe(self) -> str:
        """The recipe in words, for records and model cards."""
        parts = [f"AdamW (weight decay {self.weight_decay}), peak learning rate {self.lr:g}, batch {self.batch_size}",
                 {"one-cycle": "one-cycle schedule",
                  "constant": "constant learning rate",
                  "warmup-cosine": f"{self.warmup_epochs:g} epochs of linear warmup then cosine decay to 0"}[
                     self.schedule],
                 f"at most {self.epochs} epochs"]
        if self.clip_norm:
            parts.append(f"gradients clipped at norm {self.clip_norm:g}")
        if self.label_smoothing:
            parts.append(f"label smoothing {self.label_smoothing:g}")
        if self.patience:
            parts.append(f"stops after {self.patience} epochs without a gain of more than {self.min_delta:.1%} in "
                         "validation accuracy, keeping the best epoch's weights")
        parts.append("flips and shifts of up to 4 px" if self.augment else "no augmentation")
        return "; ".join(parts)


@dataclass(frozen=True)
class EpochRecord:
    """One finished epoch: the optimisation steps so far, the learning rate at its end, the mean training loss (with
    label smoothing, as optimised) and accuracy over its augmented batches, validation loss (plain cross-entropy) and
    accuracy, and the wall time so far."""
    epoch: int
    steps: int
    lr: float
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    wall_time_s: float


@dataclass(frozen=True)
class TrainingHistory:
    """Every epoch's record, which epoch's weights were kept, and why training stopped."""
    epochs: tuple[EpochRecord, ...]
    kept_epoch: int
    stopped: str  # "end of schedule" or "plateau"
    recipe: Optimisation = field(repr=False, default=None)

    @property
    def val_accuracy(self) -> list[float]:
        return [e.val_accuracy for e in self.epochs]

    @property
    def kept(self) -> EpochRecord:
        return self.epochs[self.kept_epoch - 1]

    @property
    def steps(self) -> int:
        """Optimisation steps actually run."""
        return self.epochs[-1].steps if self.epochs else 0

    def to_json(self) -> dict:
        return {"epochs": [asdict(e) for e in self.epochs], "kept_epoch": self.kept_epoch, "stopped": self.stopped,
                "steps": self.steps, "recipe": asdict(self.recipe) | {"described": self.recipe.describe()}}


@torch.inference_mode()
def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 512) -> tuple[float, float]:
    """(mean cross-entropy, top-1 accuracy) of a model on images as it takes them."""
    model.eval()
    device = module_device(model)
    loss, correct = 0.0, 0
    for i in range(0, len(images), batch_size):
        target = labels[i:i + batch_size].to(device)
        with autocast(device):
            logits = model(images[i:i + batch_size].to(device))
        loss += F.cross_entropy(logits.float(), target, reduction="sum").item()
        correct += (logits.argmax(-1) == target).sum().item()
    return loss / len(images), correct / len(images)


def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 512) -> float:
    """Top-1 accuracy of a model on images as it takes them."""
    return evaluate(model, images, labels, batch_size)[1]


def _scheduler(optimizer: torch.optim.Optimizer, recipe: Optimisation, steps_per_epoch: int):
    total = recipe.epochs * steps_per_epoch
    if recipe.schedule == "one-cycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=recipe.lr, total_steps=total, pct_start=0.15)
    if recipe.schedule == "constant":
        return torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0)
    warmup = max(1, round(recipe.warmup_epochs * steps_per_epoch))

    def factor(step: int) -> float:  # of the peak, after `step` steps
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def fit(model: nn.Module, train: Split, val: Split, recipe: Optimisation, *, seed: int, desc: str,
        checkpoint: Path | None = None,
        after_epoch: Callable[[int, nn.Module], None] | None = None) -> TrainingHistory:
    """Train `model` in place by `recipe`, printing and recording every epoch; return the history.

    With `checkpoint`, the state after every epoch (weights, optimiser, schedule, batch generator, history) is written
    there, and a later call with the same path resumes after the last finished epoch. `after_epoch(epoch, model)` runs
    after each epoch's validation (not again for epochs a resumed run skips).
    """
    images, labels = train
    device = module_device(model)
    if device.type != "cpu":  # the whole set once on the device, not a copy per batch
        images, labels = images.to(device), labels.to(device)
    val_images, val_labels = (t.to(device) for t in val)
    scaler = torch.amp.GradScaler(device.type, enabled=precision() == "fp16")  # bf16 needs no loss scaling
    generator = torch.Generator().manual_seed(seed)
    epoch_size = recipe.epoch_size or len(images)
    steps_per_epoch = epoch_size // recipe.batch_size
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=recipe.lr,
                                  weight_decay=recipe.weight_decay)
    scheduler = _scheduler(optimizer, recipe, steps_per_epoch)
    records: list[EpochRecord] = []
    best: tuple[float, int, dict | None] = (-1.0, 0, None)  # accuracy, epoch, weights
    elapsed = 0.0
    if checkpoint is not None and Path(checkpoint).exists():
        state = torch.load(checkpoint, map_location=device, weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        scaler.load_state_dict(state["scaler"])
        generator.set_state(state["generator"])
        records = [EpochRecord(**r) for r in state["records"]]
        best = state["best"]
        elapsed = records[-1].wall_time_s if records else 0.0
        print(f"{desc}: resumed after epoch {len(records)}", flush=True)
    started = time.time() - elapsed
    stopped = "end of schedule"
    for epoch in range(len(records) + 1, recipe.epochs + 1):
        if recipe.patience and epoch - best[1] > recipe.patience:
            stopped = "plateau"
            break
        model.train()
        order = torch.cat([torch.randperm(len(images), generator=generator)
                           for _ in range(-(-epoch_size // len(images)))])[:epoch_size]
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.long)
        bar = tqdm(range(steps_per_epoch), desc=f"{desc} epoch {epoch}/{recipe.epochs}", unit="batch", leave=False,
                   mininterval=5)
        for step in bar:
            index = on_device(order[step * recipe.batch_size:(step + 1) * recipe.batch_size], images.device)
            batch, target = images[index], labels[index]
            if recipe.augment:
                batch = augment(batch, generator)
            with autocast(device):
                logits = model(batch.to(device))
            target = target.to(device)
            loss = F.cross_entropy(logits.float(), target, label_smoothing=recipe.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            if recipe.clip_norm:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), recipe.clip_norm)
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            loss_sum += loss.detach()
            correct += (logits.argmax(-1) == target).sum()
        val_loss, val_accuracy = evaluate(model, val_images, val_labels)
        seen = steps_per_epoch * recipe.batch_size
        records.append(EpochRecord(
            epoch=epoch, steps=epoch * steps_per_epoch, lr=optimizer.param_groups[0]["lr"],
            train_loss=loss_sum.item() / steps_per_epoch, train_accuracy=correct.item() / seen,
            val_loss=val_loss, val_accuracy=val_accuracy, wall_time_s=round(time.time() - started, 1)))
        print(f"{desc} epoch {epoch}/{recipe.epochs} accuracy: {val_accuracy:.4f} (train {records[-1].train_accuracy:.4f}, "
              f"loss {records[-1].train_loss:.3f}, val loss {val_loss:.3f})", flush=True)
        if val_accuracy > best[0] + recipe.min_delta:
            best = (val_accuracy, epoch, copy.deepcopy(model.state_dict()) if recipe.patience else None)
        if after_epoch is not None:
            after_epoch(epoch, model)
        if checkpoint is not None:
            _save(Path(checkpoint), {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                     "scheduler": scheduler.state_dict(), "scaler": scaler.state_dict(),
                                     "generator": generator.get_state(), "records": [asdict(r) for r in records],
                                     "best": best})
    kept = len(records)
    if recipe.patience and best[2] is not None:
        model.load_state_dict(best[2])
        kept = best[1]
    return TrainingHistory(tuple(records), kept, stopped, recipe)


def _save(path: Path, state: dict) -> None:
    """Write a checkpoint whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    torch.save(state, partial)
    os.replace(partial, path)
