"""The training augmentation: random horizontal flips and small shifts, never a rotation."""
import torch
import torch.nn.functional as F

MAX_SHIFT_PX = 4
"""Training shifts each image by up to this many pixels each way (and flips half of them); it never rotates."""


def augment(images: torch.Tensor, generator: torch.Generator, shift: int = MAX_SHIFT_PX) -> torch.Tensor:
    """Random horizontal flips and shifts of up to `shift` pixels (reflect padding), per image. The draws come from
    `generator` (on the CPU) whatever device the images are on, so a seed means the same batches everywhere."""
    n, channels, size = len(images), images.shape[1], images.shape[-1]
    flip = on_device(torch.rand(n, generator=generator) < 0.5, images.device)
    images = torch.where(flip[:, None, None, None], images.flip(-1), images)
    padded = F.pad(images, (shift,) * 4, mode="reflect")  # (n, c, size + 2 shift, size + 2 shift)
    dx, dy = on_device(torch.randint(0, 2 * shift + 1, (2, n), generator=generator), images.device)
    offsets = torch.arange(size, device=images.device)
    rows = (dy[:, None] + offsets)[:, None, :, None]  # (n, 1, size, 1)
    cols = (dx[:, None] + offsets)[:, None, None, :]  # (n, 1, 1, size)
    batch = torch.arange(n, device=images.device)[:, None, None, None]
    channel = torch.arange(channels, device=images.device)[None, :, None, None]
    return padded[batch, channel, rows, cols]  # each image's own (size, size) window


def on_device(tensor: torch.Tensor, device: torch.device) -> torch.Tensor:
    """A CPU tensor on `device`; to a GPU through pinned memory, without waiting for the GPU's queue to drain."""
    if device.type == "cpu":
        return tensor
    return tensor.pin_memory().to(device, non_blocking=True)
