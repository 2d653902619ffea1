"""Toy-world splits as float tensors in [0, 1], ready for training and evaluation."""
import numpy as np
import torch

from toyworld.splits import render_split


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, H, W, 3] array -> float [N, 3, H, W] in [0, 1]."""
    return torch.from_numpy(images).permute(0, 3, 1, 2).float().div_(255)


def split_tensors(split: str, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The first `count` images of a split in [0, 1], with their labels."""
    images, labels = render_split(split, count)
    return to_tensor(images), torch.from_numpy(labels).long()
