"""Profiles that explain a missed target: torch.profiler for model code, cProfile for whole requests."""
import cProfile
import io
import pstats
import site
import sys
from pathlib import Path
from typing import Callable

import torch

ROOT = Path(__file__).resolve().parent.parent


def operator_profile(run: Callable[[], object], calls: int = 3, rows: int = 12) -> str:
    """The torch operators taking most self CPU time over `calls` calls of run()."""
    run()
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as profiler:
        for _ in range(calls):
            run()
    return profiler.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows)


def python_profile(run: Callable[[], object], rows: int = 20, sort: str = "tottime",
                   before: Callable[[], object] | None = None) -> str:
    """cProfile's top functions of one call of run() after a warm-up call, `before` running ahead of both; paths
    into site-packages and the repository are shortened."""
    prepare = before or (lambda: None)
    prepare()
    run()
    prepare()
    profiler = cProfile.Profile()
    profiler.runcall(run)
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats(sort).print_stats(rows)
    text = stream.getvalue()
    for prefix in [*site.getsitepackages(), sys.prefix, str(ROOT)]:
        text = text.replace(prefix + "/", "")
    lines = text.strip().splitlines()
    start = next((i for i, line in enumerate(lines) if "function calls" in line), 0)
    return "\n".join(lines[start:])
