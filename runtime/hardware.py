"""What machine this is, in one line for the records: the one reader of /proc/cpuinfo."""
import functools
import os
import platform
from pathlib import Path

import torch


@functools.cache
def _cpuinfo() -> tuple[str, frozenset[str]]:
    """The first CPU's model name and the flags the kernel reports (empty where there is no /proc/cpuinfo)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine(), frozenset()
    name, flags = "", set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and not name:
            name = value.strip()
        elif key in ("flags", "Features"):
            flags.update(value.split())
    return name or platform.processor() or platform.machine(), frozenset(flags)


def cpu_name() -> str:
    """The CPU's model name as the kernel reports it."""
    return _cpuinfo()[0]


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as the kernel reports them (x86 `flags`, Arm `Features`)."""
    return _cpuinfo()[1]


def hardware() -> str:
    """A one-line description of this machine: the CPU with the vector instructions torch uses (machines of one name
    differ), the GPU when there is one, threads and torch version."""
    from runtime.precision import native_bf16  # precision reads the flags from here

    isa = torch.backends.cpu.get_cpu_capability() + (", native bfloat16" if native_bf16() else "")
    gpu = f", GPU {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else ""
    return f"{cpu_name()} ({isa}){gpu}, {os.cpu_count()} CPU threads, torch {torch.__version__}"
