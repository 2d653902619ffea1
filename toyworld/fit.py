"""A plain supervised training loop with a progress bar and the seed's per-epoch accuracy log."""
import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

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
    """Top-1 accuracy of a model on normalised images."""
    model.eval()
    correct = sum((model(images[i:i + batch_size]).argmax(-1) == labels[i:i + batch_size]).sum().item()
                  for i in range(0, len(images), batch_size))
    return correct / len(images)


def fit(model: nn.Module, train: tuple[torch.Tensor, torch.Tensor], val: tuple[torch.Tensor, torch.Tensor], *,
        epochs: int, lr: float, weight_decay: float, label_smoothing: float, batch_size: int, seed: int,
        desc: str, augment_batches: bool = True) -> list[float]:
    """Train with AdamW and a one-cycle schedule; print and return the validation accuracy after each epoch."""
    images, labels = train
    generator = torch.Generator().manual_seed(seed)
    steps = epochs * (len(images) // batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.15)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(images), generator=generator)
        batches = range(0, len(images) - batch_size + 1, batch_size)
        bar = tqdm(batches, desc=f"{desc} epoch {epoch}/{epochs}", unit="batch", leave=False)
        for start in bar:
            index = order[start:start + batch_size]
            batch = augment(images[index], generator) if augment_batches else images[index]
            loss = F.cross_entropy(model(batch), labels[index], label_smoothing=label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            bar.set_postfix(loss=f"{loss.item():.3f}")
        history.append(accuracy(model, *val))
        print(f"{desc} epoch {epoch}/{epochs} accuracy: {history[-1]:.4f}", flush=True)
    return history
