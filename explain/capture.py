"""A forward hook that keeps one module's output for the current thread and removes itself on exit."""
import threading

import torch
from torch import nn


class OutputCapture:
    """Keep the output of `module` from forwards run by this thread while inside the `with` block."""

    def __init__(self, module: nn.Module):
        self.module = module
        self.output: torch.Tensor | None = None
        self._thread = threading.get_ident()
        self._handle = None

    def __enter__(self) -> "OutputCapture":
        self._handle = self.module.register_forward_hook(self._keep)
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def release(self) -> None:
        """Remove the hook; safe to call twice."""
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def _keep(self, module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        # The model is shared by the server's worker threads: a forward run by another request must not
        # overwrite this request's activation.
        if threading.get_ident() == self._thread:
            self.output = output
