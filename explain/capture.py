"""Forward hooks that act only for the current thread (keep a module's output, or count its calls) and remove themselves on exit."""
import threading

import torch
from torch import nn


class _ThreadHook:
    """A hook on `module` that acts only on forwards run by the thread that made it, inside a `with` block.

    The model is shared by the server's worker threads: a forward run by another request must not overwrite
    this request's tensors.
    """

    def __init__(self, module: nn.Module):
        self.module = module
        self._thread = threading.get_ident()
        self._handle = None

    def _register(self) -> torch.utils.hooks.RemovableHandle:
        raise NotImplementedError

    def __enter__(self):
        self._handle = self._register()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def release(self) -> None:
        """Remove the hook; safe to call twice."""
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def _mine(self) -> bool:
        return threading.get_ident() == self._thread


class OutputCapture(_ThreadHook):
    """Keep the output of `module` from forwards run by this thread while inside the `with` block."""

    def __init__(self, module: nn.Module):
        super().__init__(module)
        self.output: torch.Tensor | None = None

    def _register(self) -> torch.utils.hooks.RemovableHandle:
        return self.module.register_forward_hook(self._keep)

    def _keep(self, module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        if self._mine():
            self.output = output


class ForwardCalls(_ThreadHook):
    """Call `record(module, inputs, output)` after each forward of `module` run by this thread inside the block."""

    def __init__(self, module: nn.Module, record):
        super().__init__(module)
        self.record = record

    def _register(self) -> torch.utils.hooks.RemovableHandle:
        return self.module.register_forward_hook(self._call)

    def _call(self, module: nn.Module, inputs: tuple, output) -> None:
        if self._mine():
            self.record(module, inputs, output)
