"""Wall-clock timing for noisy machines: cases run in turn, medians compared, and the machine described."""
import gc
import os
import platform
import resource
import statistics
import time
from dataclasses import dataclass
from typing import Callable

import psutil
import torch

from runtime.hardware import cpu_name


@dataclass(frozen=True)
class Samples:
    """Seconds per call of each case, in the order they ran."""
    seconds: dict[str, list[float]]

    def median(self, case: str) -> float:
        return statistics.median(self.seconds[case])

    def ms(self, case: str) -> float:
        """The case's median in milliseconds."""
        return self.median(case) * 1e3

    def ratio(self, case: str, baseline: str) -> float:
        """Median over rounds of case / baseline, each round's two runs side by side (a burst of load elsewhere
        slows both)."""
        return statistics.median(a / b for a, b in zip(self.seconds[case], self.seconds[baseline]))


def alternate(cases: dict[str, Callable[[], object]], repeats: int, warmup: int = 1,
              before: Callable[[], object] | None = None) -> Samples:
    """Time every case `repeats` times, in turn (A B C, C B A, A B C, ...), so drift and noise hit them alike.

    Each case runs `warmup` untimed times first. `before` runs, untimed, ahead of every call (to clear a cache);
    so does a garbage collection, so one case's garbage is not collected on another's clock. A case that returns
    a float has timed itself: that many seconds are recorded instead (for calls whose clean-up must not count).
    """
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            if before is not None:
                before()
            cases[name]()
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else names[::-1]:
            if before is not None:
                before()
            gc.collect()
            start = time.perf_counter()
            result = cases[name]()
            if torch.cuda.is_available():
                torch.cuda.synchronize()  # what the case queued on the GPU counts too
            seconds[name].append(result if isinstance(result, float) else time.perf_counter() - start)
    return Samples(seconds)


def minor_page_faults(run: Callable[[], object], calls: int = 10) -> float:
    """Minor page faults per call of run(): each is a page of memory the kernel had to hand over anew."""
    run()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(calls):
        run()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / calls


def matmul_peak(threads: int, side: int = 2048, repeats: int = 10) -> float:
    """Float32 GFLOP/s of torch.mm on side × side matrices with `threads` threads: the fastest of `repeats`, a peak
    being what the machine can do when nothing else gets in the way."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        generator = torch.Generator().manual_seed(0)
        a, b = (torch.randn(side, side, generator=generator) for _ in range(2))
        samples = alternate({"mm": lambda: torch.mm(a, b)}, repeats)
    finally:
        torch.set_num_threads(previous)
    return 2 * side ** 3 / min(samples.seconds["mm"]) / 1e9


def machine() -> dict[str, str]:
    """What the figures were measured on, as name -> description."""
    import gradio
    import timm

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "CPU": f"{cpu_name()}, {os.cpu_count()} logical cores ({usable} usable by this process)",
        "torch threads": f"{torch.get_num_threads()} intra-op (set explicitly; OMP_NUM_THREADS and "
                         f"MKL_NUM_THREADS likewise for the app subprocesses)",
        "memory": f"{psutil.virtual_memory().total / 2 ** 30:.1f} GiB",
        "load average at start": f"{load} (1, 5, 15 min)",
        "software": f"Python {platform.python_version()}, torch {torch.__version__}, timm {timm.__version__}, "
                    f"gradio {gradio.__version__}, {platform.platform()}",
    }
