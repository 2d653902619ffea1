"""ZeroGPU: how long each model-running handler may hold a GPU there, and whether this process runs on ZeroGPU.

Every handler that runs a model is decorated with `@spaces.GPU(duration=...)`. Off ZeroGPU (`SPACES_ZERO_GPU`
unset: locally, on CPU basic, on a GPU Space) `spaces.GPU` returns the function itself, so nothing changes. On
ZeroGPU, `import spaces` makes torch report a CUDA device at start-up (an emulated one), so `models.load_pair` places
the models on `cuda` then, as ZeroGPU requires; each decorated call runs in a worker that holds a real GPU for at
most its duration. app.py imports `spaces` first of all, before anything asks torch for its device.

Durations: a GPU runs these models at least ten times faster than this project's 2-core CPU, so a tenth of a
handler's time there, on the slowest pair (resnet50-vs-vit-base) at fp32, bounds its GPU time; each duration adds
room for the worker's start (moving every pair's weights to the GPU) and rounds up. A shorter duration puts a visitor
earlier in ZeroGPU's queue; a call that overruns its duration is stopped. The times they come from: BENCHMARKS.md,
Notes, "ZeroGPU durations" (no ZeroGPU machine was at hand to time them there).
"""
from spaces.config import Config

QUICK = 15
"""Seconds for one analysis of one image (top-k, the four maps, feature maps and attention), the Picasso faces, FLOP
counts."""
LONG = 60
"""Seconds for many forward or backward passes (sweeps, faithfulness curves, effective receptive fields); ZeroGPU's
default."""


def on_zerogpu() -> bool:
    """Whether this process runs on a ZeroGPU Space, where CUDA exists only inside `@spaces.GPU` calls."""
    return Config.zero_gpu
