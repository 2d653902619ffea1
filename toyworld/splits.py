"""Disjoint seed ranges for train / val / test, and pre-rendering a split into arrays."""

from multiprocessing import Pool

import numpy as np

from toyworld.canvas import IMAGE_SIZE
from toyworld.compose import LABELS, render

SPLITS: dict[str, int] = {"train": 0, "val": 1_000_000, "test": 2_000_000}
SPLIT_SIZE = 1_000_000  # indices per split; seeds of different splits never meet below this
_WORKERS = 2
_CHUNK = 256


def sample(split: str, index: int, labels: list[str] = LABELS) -> tuple[str, int]:
    """The (label, seed) of sample `index` in `split`; `labels` cycle so every class is equally common."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; valid splits: {', '.join(SPLITS)}")
    if not 0 <= index < SPLIT_SIZE:
        raise ValueError(f"index {index} is outside 0..{SPLIT_SIZE - 1}")
    return labels[index % len(labels)], SPLITS[split] + index


def _render_range(job: tuple[str, int, int]) -> np.ndarray:
    split, start, stop = job
    return np.stack([np.asarray(render(*sample(split, index))) for index in range(start, stop)])


def render_split(split: str, count: int, workers: int = _WORKERS) -> tuple[np.ndarray, np.ndarray]:
    """The first `count` samples of a split: uint8 images (count, 64, 64, 3) and int64 label indices (count,)."""
    jobs = [(split, start, min(start + _CHUNK, count)) for start in range(0, count, _CHUNK)]
    if workers > 1 and len(jobs) > 1:
        with Pool(workers) as pool:
            chunks = pool.map(_render_range, jobs)
    else:
        chunks = [_render_range(job) for job in jobs]
    images = np.concatenate(chunks) if chunks else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 3), np.uint8)
    labels = np.arange(count, dtype=np.int64) % len(LABELS)
    return images, labels
