"""ZeroGPU: how long each model-running handler may hold a GPU there, and whether this process runs on ZeroGPU.

Every handler that runs a model is decorated with `@spaces.GPU(duration=...)`. Off ZeroGPU (`SPACES_ZERO_GPU`
unset: locally, on CPU basic, on a GPU Space) `spaces.GPU` returns the function itself, so nothing changes. On
ZeroGPU, `import spaces` makes torch report a CUDA device at start-up (an emulated one), so `models.load_pair` places
the models on `cuda` then, as ZeroGPU requires; each decorated call runs in a worker that holds a real GPU for at
most its duration. app.py imports `spaces` first of all, before anything asks torch for its device.

Durations, from times measured on this project's 2-core CPU on the slowest pair (resnet50-vs-vit-base) at fp32, a
new image every call, with other jobs running (so on the high side): one analysis (compare, picasso_panel) 6.5 to
6.8 s; a patch-drop sweep 36 s; how far each looks 22 s; the faithfulness curves 159 s. A GPU runs these models at
least ten times faster than these two cores (151 GFLOP/s of fp32 matmul, BENCHMARKS.md; a ZeroGPU slice of an H200
has hundreds of TFLOP/s), so a tenth of each time bounds its GPU time; each duration adds room for the worker's start
(moving every pair's weights, 0.6 GB, to the GPU) and rounds up. A shorter duration puts a visitor earlier in
ZeroGPU's queue; a call that overruns its duration is stopped. (No ZeroGPU machine was at hand to time them there.)
"""
from spaces.config import Config

QUICK = 15
"""Seconds for one analysis of one image (top-k, the four maps, feature maps and attention), the Picasso faces, FLOP
counts: at most 6.8 s on the CPU here, under 1 s on a GPU."""
LONG = 60
"""Seconds for many forward or backward passes (sweeps, faithfulness curves, effective receptive fields): at most
159 s on the CPU here, about 16 s on a GPU; ZeroGPU's default."""


def on_zerogpu() -> bool:
    """Whether this process runs on a ZeroGPU Space, where CUDA exists only inside `@spaces.GPU` calls."""
    return Config.zero_gpu
