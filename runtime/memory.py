"""glibc malloc settings for the long-running server (B5 in BENCHMARKS.md).

Gradio answers requests on a pool of worker threads, and glibc gives each thread that allocates under contention
its own arena (up to 8 per core), each keeping what it freed: resident memory creeps up with every thread that
ever worked. Large blocks are a second leak-alike: glibc's adaptive mmap threshold rises to the largest block
freed, after which tensors of that size come from the arenas and stay there. So the served app caps the arenas
at two and fixes the mmap threshold, which keeps a request's working memory in the arenas for the next request
to reuse (no page faults) while bounding how much of it is kept; it also hands back what loading the weights left
free. Measured effect and the alternatives tried are in BENCHMARKS.md.

Does nothing off glibc, and leaves every setting alone if any MALLOC_* variable is set (an operator's choice wins).
"""
import ctypes
import os
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
SERVER_SETTINGS = {M_ARENA_MAX: 2, M_MMAP_THRESHOLD: 32 * 2 ** 20, M_TRIM_THRESHOLD: 64 * 2 ** 20}
"""Two arenas; blocks of 32 MB and more mmapped (returned on free); free memory above 64 MB at an arena's top
trimmed."""


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018  (present on glibc only, not on musl)
    except (OSError, AttributeError):
        return None
    return libc


def tune_malloc(settings: dict[int, int] = SERVER_SETTINGS) -> bool:
    """Apply `settings` with mallopt; True if all took. Call it early, before the server starts its threads."""
    libc = _glibc()
    if libc is None or any(name.startswith("MALLOC_") for name in os.environ):
        return False
    return all(libc.mallopt(ctypes.c_int(option), ctypes.c_int(value)) == 1 for option, value in settings.items())


def release_free_memory() -> bool:
    """Give the kernel back the free pages of every arena (malloc_trim); True if any were released."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(ctypes.c_size_t(0)))
