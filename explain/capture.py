"""Forward hooks that keep one module's input or output for the current thread and remove themselves on exit."""
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
    """Keep the output of `module` from forwards run by this thread while inside the `with` block.

    With `as_leaf=True` the module's output is replaced by a detached copy that requires grad, so a gradient can be
    taken with respect to it and autograd records nothing upstream of it (given frozen parameters).
    """

    def __init__(self, module: nn.Module, as_leaf: bool = False):
        super().__init__(module)
        self.as_leaf = as_leaf
        self.output: torch.Tensor | None = None

    def _register(self) -> torch.utils.hooks.RemovableHandle:
        return self.module.register_forward_hook(self._keep)

    def _keep(self, module: nn.Module, inputs: tuple, output: torch.Tensor) -> torch.Tensor | None:
        if not self._mine():
            return None
        if self.as_leaf:
            output = output.detach().requires_grad_()
        self.output = output
        return output if self.as_leaf else None


class InputCapture(_ThreadHook):
    """Keep the first positional input of `module`, detached, from forwards run by this thread in the block."""

    def __init__(self, module: nn.Module):
        super().__init__(module)
        self.input: torch.Tensor | None = None

    def _register(self) -> torch.utils.hooks.RemovableHandle:
        return self.module.register_forward_pre_hook(self._keep)

    def _keep(self, module: nn.Module, inputs: tuple) -> None:
        if self._mine():
            self.input = inputs[0].detach()
