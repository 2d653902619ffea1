"""Swin's window attention, recomputed: the probabilities that timm's WindowAttention computes inside its forward and
never returns, rebuilt from the module's input and mask (kept by a hook) and its public weights: q and k from `qkv`,
`scale`, and the relative position bias looked up in `relative_position_bias_table` by `relative_position_index`."""
import threading

import torch
from torch import nn


class WindowAttentionInputs:
    """Inside a `with` block, keep the input x, the mask and the output of one WindowAttention's forwards run by this
    thread (the model is shared by the server's threads); the hooks are removed on exit."""

    def __init__(self, module: nn.Module):
        self.module = module
        self.thread = threading.get_ident()
        self.handles: list[torch.utils.hooks.RemovableHandle] = []
        self.x: torch.Tensor | None = None  # (windows × batch, N, C)
        self.mask: torch.Tensor | None = None  # (windows, N, N): 0 or −100; None in a block without shift
        self.output: torch.Tensor | None = None  # (windows × batch, N, C)

    def __enter__(self) -> "WindowAttentionInputs":
        self.handles = [self.module.register_forward_pre_hook(self.keep_inputs, with_kwargs=True),
                        self.module.register_forward_hook(self.keep_output)]
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def release(self) -> None:
        """Remove the hooks; safe to call twice."""
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def keep_inputs(self, module: nn.Module, args: tuple, kwargs: dict) -> None:
        if threading.get_ident() == self.thread:
            self.x = args[0].detach()
            mask = kwargs.get("mask", args[1] if len(args) > 1 else None)
            self.mask = None if mask is None else mask.detach()

    def keep_output(self, module: nn.Module, args: tuple, output: torch.Tensor) -> None:
        if threading.get_ident() == self.thread:
            self.output = output.detach()


def relative_position_bias(attention: nn.Module) -> torch.Tensor:
    """[heads, N, N]: each head's bias for every (query, key) pair of a window, from the module's table."""
    index = attention.relative_position_index  # [N, N] into the table's (2M − 1)² rows
    n = index.shape[0]
    return attention.relative_position_bias_table[index.reshape(-1)].reshape(n, n, -1).permute(2, 0, 1)


def attention_probabilities(attention: nn.Module, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """(windows × batch, heads, N, N): softmax(q kᵀ · scale + bias + mask) over each window's N keys, as timm's
    WindowAttention computes it."""
    windows_batch, n, _ = x.shape
    heads = attention.num_heads
    qkv = attention.qkv(x).reshape(windows_batch, n, 3, heads, -1).permute(2, 0, 3, 1, 4)  # 3 × (B_, heads, N, d)
    q, k = qkv[0], qkv[1]
    scores = (q * attention.scale) @ k.transpose(-2, -1) + relative_position_bias(attention)
    if mask is not None:  # the shifted block's: −100 between tokens the cyclic shift brought together
        windows = mask.shape[0]
        scores = (scores.reshape(-1, windows, heads, n, n) + mask[None, :, None]).reshape(-1, heads, n, n)
    return scores.softmax(dim=-1)


def attention_output(attention: nn.Module, x: torch.Tensor, probabilities: torch.Tensor) -> torch.Tensor:
    """(windows × batch, N, C): the module's output from these probabilities (their weighted values, heads
    concatenated, projected), to check a recomputation against the module's own output."""
    windows_batch, n, _ = x.shape
    v = attention.qkv(x).reshape(windows_batch, n, 3, attention.num_heads, -1).permute(2, 0, 3, 1, 4)[2]
    return attention.proj((probabilities @ v).transpose(1, 2).reshape(windows_batch, n, -1))
