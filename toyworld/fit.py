"""A plain supervised training loop with a progress bar and the seed's per-epoch accuracy log.

The model trains where it is (runtime.device) at the process's precision (runtime.precision): under bf16, the
forward runs in bfloat16 autocast while the weights, their gradients and AdamW's state stay float32 (fp16, on a
CUDA GPU without bfloat16, adds loss scaling). At a fixed precision on one machine, the same seed gives the same
weights.
"""
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from runtime.device import module_device
from runtime.precision import autocast, precision

SCHEDULES = ("one-cycle", "constant")
MAX_SHIFT_PX = 4
"""Training shifts each image by up to this many pixels each way (and flips half of them); it never rotates."""


def augment(images: torch.Tensor, generator: torch.Generator, shift: int = MAX_SHIFT_PX) -> torch.Tensor:
    """Random horizontal flips and shifts of up to `shift` pixels (reflect padding), per image."""
    flip = torch.rand(len(images), generator=generator) < 0.5
    images = torch.where(flip[:, None, None, None], images.flip(-1), images)
    size = images.shape[-1]
    padded = F.pad(images, (shift,) * 4, mode="reflect")
    dx, dy = torch.randint(0, 2 * shift + 1, (2, len(images)), generator=generator).tolist()
    return torch.stack([padded[i, :, y:y + size, x:x + size] for i, (x, y) in enumerate(zip(dx, dy))])


@torch.inference_mode()
def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 256) -> float:
    """Top-1 accuracy of a model on images as it takes them."""
    model.eval()
    device = module_device(model)
    correct = 0
    for i in range(0, len(images), batch_size):
        with autocast(device):
            logits = model(images[i:i + batch_size].to(device))
        correct += (logits.argmax(-1).cpu() == labels[i:i + batch_size]).sum().item()
    return correct / len(images)


def fit(model: nn.Module, train: tuple[torch.Tensor, torch.Tensor], val: tuple[torch.Tensor, torch.Tensor], *,
        epochs: int, lr: float, weight_decay: float, label_smoothing: float, batch_size: int, seed: int,
        desc: str, augment_batches: bool = True, epoch_size: int | None = None, schedule: str = "one-cycle",
        after_epoch: Callable[[int, nn.Module], None] | None = None) -> list[float]:
    """Train with AdamW and a one-cycle (or constant) learning rate; print and return the validation accuracy after
    each epoch.

    An epoch is `epoch_size` images (default: the training set once); a larger one runs through fresh permutations of
    the training set until it is full, so sets of different sizes can share one number of optimisation steps.
    `after_epoch(epoch, model)` is called after each epoch's validation (e.g. to keep a snapshot).
    """
    images, labels = train
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, not {schedule!r}")
    device = module_device(model)
    scaler = torch.amp.GradScaler(device.type, enabled=precision() == "fp16")  # bf16 needs no loss scaling
    generator = torch.Generator().manual_seed(seed)
    epoch_size = epoch_size or len(images)
    steps = epochs * (epoch_size // batch_size)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr,
                                  weight_decay=weight_decay)
    schedule = (torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.15)
                if schedule == "one-cycle" else torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0))
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.cat([torch.randperm(len(images), generator=generator)
                           for _ in range(-(-epoch_size // len(images)))])[:epoch_size]
        batches = range(0, epoch_size - batch_size + 1, batch_size)
        bar = tqdm(batches, desc=f"{desc} epoch {epoch}/{epochs}", unit="batch", leave=False)
        for start in bar:
            index = order[start:start + batch_size]
            batch = augment(images[index], generator) if augment_batches else images[index]
            with autocast(device):
                logits = model(batch.to(device))
            loss = F.cross_entropy(logits.float(), labels[index].to(device), label_smoothing=label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            schedule.step()
            bar.set_postfix(loss=f"{loss.item():.3f}")
        history.append(accuracy(model, *val))
        print(f"{desc} epoch {epoch}/{epochs} accuracy: {history[-1]:.4f}", flush=True)
        if after_epoch is not None:
            after_epoch(epoch, model)
    return history
