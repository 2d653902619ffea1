"""How precisely the models compute: float32, or bfloat16 autocast where the hardware runs it natively; one setting
per process.

Settings (`python app.py --precision`, else `$CNN_VIT_PRECISION`; `python -m findings.report --precision`;
`python -m training.toy --precision`):
- `fp32`: plain float32.
- `bf16`: bfloat16 autocast (float16 on a CUDA GPU without bfloat16).
- `auto`: bf16 on a CUDA GPU (fp16 on one without bfloat16) and on a CPU with native bfloat16, fp32 elsewhere.

`set_precision` resolves a setting once for the process's device (runtime.device) and `precision()` names the
result (`fp32`, `bf16` or `fp16`); until it is called the process computes in fp32, so importing the library
changes no number. Every model call enters `autocast()`: torch's autocast with the resolved type, or nothing for
fp32. Weights stay float32 in every case. Autocast runs convolutions and matrix products in the lower precision
(float32 accumulation) and keeps norms, losses and the residual stream in float32; what leaves a
model call (probabilities, activations, maps) is turned back into float32 on the CPU. Attention rollout and Chefer's
relevance multiply their matrices in float32 (explain.rollout, explain.chefer).

Native bfloat16 on a CPU, and how `native_bf16` detects it. x86 CPUs with AVX512-BF16 (`avx512_bf16`: AMD Zen 4 on,
Intel Cooper Lake and Sapphire Rapids on) or AMX (`amx_bf16`: Intel Sapphire Rapids on) multiply bfloat16 pairs into
float32 sums in one instruction, and oneDNN, which runs torch's CPU convolutions and bfloat16 matrix products, uses
them; without them oneDNN emulates bfloat16 with float32 arithmetic and conversions, slower than float32 alone. So
native bf16 needs: the instructions, by torch's own CPU probe (`torch.cpu._is_avx512_bf16_supported`,
`_is_amx_tile_supported`: cpuinfo underneath, any OS) where this torch has it, else the flags in /proc/cpuinfo
(`avx512_bf16` or `amx_bf16`; `bf16` on Arm); oneDNN in this torch (`torch.backends.mkldnn.is_available()`); and no
`ONEDNN_MAX_CPU_ISA` (or `DNNL_MAX_CPU_ISA`) capping oneDNN below `AVX512_CORE_BF16`. That variable is oneDNN's
documented switch, so `ONEDNN_MAX_CPU_ISA=AVX512_CORE` shows on this machine what bf16 costs on a CPU without the
fast path (AVX-512 without its bfloat16 instructions), and `auto` then resolves to fp32. With native bfloat16, bf16
is faster than fp32 on the Hub pairs' models and, at larger batches, on the toy pair's; without it, bf16 is slower
than fp32, many times so on a CPU with AVX2 only, which is why `auto` does not choose it there. The numbers:
BENCHMARKS.md, "Precision" (measured on every run), and its Notes, "`auto` on a CPU without native bfloat16".
"""
import contextlib
import functools
import os
import platform

import torch

from runtime.device import compute_device
from runtime.hardware import cpu_flags

SETTINGS = ("auto", "fp32", "bf16")
PRECISION_ENV = "CNN_VIT_PRECISION"
LOWER = {"bf16": torch.bfloat16, "fp16": torch.float16}
"""The autocast type of each resolved precision other than fp32."""
ISA_ENV = ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA")
ISA_WITHOUT_BF16 = frozenset({"SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE",
                              "AVX512_CORE_VNNI", "AVX512_MIC", "AVX512_MIC_4OPS"})
"""oneDNN's CPU ISA levels below AVX512_CORE_BF16, which have no bfloat16 dot products."""

_resolved = "fp32"


def default_setting() -> str:
    """$CNN_VIT_PRECISION if set, else `auto`: the default of the app and the findings report."""
    setting = os.environ.get(PRECISION_ENV, "").strip().lower() or "auto"
    if setting not in SETTINGS:
        raise ValueError(f"${PRECISION_ENV} is {setting!r}; set it to one of {', '.join(SETTINGS)}")
    return setting


def native_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively for torch (see the module's docstring for how it is told)."""
    capped = next((os.environ[name].strip().upper() for name in ISA_ENV if os.environ.get(name)), "")
    return _cpu_has_bf16() and torch.backends.mkldnn.is_available() and capped not in ISA_WITHOUT_BF16


@functools.cache
def _cpu_has_bf16() -> bool:
    """bfloat16 dot-product instructions, by torch's CPU probe, else by /proc/cpuinfo's flags."""
    probes = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    if platform.machine().lower() in ("x86_64", "amd64") and all(probes):
        return any(probe() for probe in probes)
    flags = cpu_flags()
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})


def resolve(setting: str, device: torch.device | None = None) -> str:
    """The precision a setting means on `device` (default: the process's): `fp32`, `bf16` or `fp16`."""
    if setting not in SETTINGS:
        raise ValueError(f"precision must be one of {', '.join(SETTINGS)}, not {setting!r}")
    device = device or compute_device()
    if setting == "fp32":
        return "fp32"
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "bf16" if setting == "bf16" or native_bf16() else "fp32"


def set_precision(setting: str) -> str:
    """Make `setting`, resolved for the process's device, the precision of every model call; return its name."""
    global _resolved
    _resolved = resolve(setting)
    return _resolved


def precision() -> str:
    """The precision every model call computes at now: `fp32`, `bf16` or `fp16`."""
    return _resolved


@contextlib.contextmanager
def precision_set(setting: str):
    """set_precision(setting) for the block, then back to the precision before it (for measurements and tests)."""
    global _resolved
    before = _resolved
    try:
        yield set_precision(setting)
    finally:
        _resolved = before


def autocast(device: torch.device | str | None = None) -> contextlib.AbstractContextManager:
    """The context every model call runs in: autocast to the resolved type on `device`'s kind (default: the
    process's device), or nothing at fp32. (Recording a graph under CPU autocast, the seed's ViT writes its
    attention out instead of calling the fused kernel, whose bfloat16 backward is slow there: models.vit.)"""
    name = _resolved
    if name == "fp32":
        return contextlib.nullcontext()
    device_type = torch.device(device).type if device is not None else compute_device().type
    return torch.autocast(device_type, dtype=LOWER[name])


def describe(name: str | None = None) -> str:
    """A precision in words, for the latency line: e.g. "bf16 (bfloat16 autocast, float32 weights)"."""
    name = name or _resolved
    return "fp32" if name == "fp32" else f"{name} ({LOWER[name]} autocast, float32 weights)".replace("torch.", "")
