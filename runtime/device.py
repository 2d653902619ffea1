"""Where the models compute: the CUDA GPU when there is one, else the CPU; chosen once per process.

`models.pairs.load_pair` places the served models there once; every model call moves its request's tensors to the
model's own device (`module_device`) and brings what it returns back to the CPU, so the same code runs on either.
"""
import functools
import itertools

import torch
from torch import nn


@functools.cache
def compute_device() -> torch.device:
    """The device served models are placed on: `cuda` when torch sees a CUDA GPU, else `cpu`."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def module_device(module: nn.Module) -> torch.device:
    """The device of a module's first parameter (or buffer); the CPU for a module that holds neither."""
    first = next(itertools.chain(module.parameters(), module.buffers()), None)
    return torch.device("cpu") if first is None else first.device
