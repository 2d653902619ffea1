"""How many tokens can have influenced a token after L attention layers: global MSA, W-MSA, alternating W-/SW-MSA.

Counted exactly on an n × n token grid, not timed: a token's receptive set starts as itself; a layer replaces it
by the union of the receptive sets of every token it attends to (its whole window, or the whole grid for global
attention). After L layers the set holds every token whose value can have reached it.

Windows follow Swin (Liu et al. 2021, Sec. 3.2). W-MSA splits the grid into non-overlapping M × M windows from
the top-left corner. SW-MSA displaces them by (⌊M/2⌋, ⌊M/2⌋), which leaves smaller windows along the edges. Swin
computes SW-MSA with a cyclic shift of the map toward the top-left plus an attention mask, and the mask keeps
attention inside the sub-windows that are contiguous on the unshifted map, so no token ever attends across the
image's edge: the count here is that of the displaced partition with no wrap-around. The alternating scheme starts
with W-MSA, as Swin's blocks do (W-MSA, SW-MSA, W-MSA, ...). Patch merging between stages is left out: all
layers work on the same grid.
"""
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from lab import swin

SCHEMES = ("global MSA", "W-MSA only", "W-MSA / SW-MSA")
"""The three attention schemes, in the order they are reported."""
LAYERS = (1, 2, 4, 8)


@dataclass(frozen=True)
class Reach:
    """Per scheme and depth, how many tokens can have influenced a token: on average and for the central token."""
    side: int
    window: int
    layers: tuple[int, ...]
    mean: dict[str, tuple[float, ...]]  # scheme -> one value per entry of layers, averaged over all tokens
    central: dict[str, tuple[int, ...]]  # scheme -> the same for the token at (side // 2, side // 2)

    @property
    def tokens(self) -> int:
        """Tokens on the grid: the most any token can be reached by."""
        return self.side * self.side


def window_labels(side: int, window: int, shifted: bool) -> np.ndarray:
    """[side, side] window index of every token: regular M × M windows, or displaced by ⌊M/2⌋ (SW-MSA)."""
    offset = window - window // 2 if shifted else 0  # a shifted window starts at ⌊M/2⌋ + kM
    along = (np.arange(side) + offset) // window
    return along[:, None] * (along.max() + 1) + along[None, :]


def _attend(receptive: np.ndarray, labels: np.ndarray | None) -> np.ndarray:
    """One layer: each token's new set is the union of the sets of the tokens in its window (all, if labels is None)."""
    if labels is None:
        return np.broadcast_to(receptive.any(axis=0), receptive.shape).copy()
    flat = labels.ravel()
    windows = np.zeros((flat.max() + 1, len(flat)), dtype=np.float32)
    windows[flat, np.arange(len(flat))] = 1  # one row per window, marking its tokens
    union = (windows @ receptive.astype(np.float32)) > 0  # [windows, tokens]: anything any member has seen
    return union[flat]


def _schedule(scheme: str, depth: int, side: int, window: int) -> list[np.ndarray | None]:
    """Each layer's window labels under `scheme` (None stands for global attention)."""
    if scheme == "global MSA":
        return [None] * depth
    if scheme == "W-MSA only":
        return [window_labels(side, window, shifted=False)] * depth
    if scheme == "W-MSA / SW-MSA":
        return [window_labels(side, window, shifted=layer % 2 == 1) for layer in range(depth)]
    raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")


def _check(side: int, window: int) -> None:
    if side % window:
        raise ValueError(f"the grid's side ({side}) must be a multiple of the window ({window}), as in Swin")


def _sets_by_depth(side: int, window: int, scheme: str, depth: int) -> Iterator[np.ndarray]:
    """After each of `depth` layers of `scheme`: [side², side²], row i marking the tokens that can have reached i."""
    _check(side, window)
    receptive = np.eye(side * side, dtype=bool)
    for labels in _schedule(scheme, depth, side, window):
        receptive = _attend(receptive, labels)
        yield receptive


def _counts_by_depth(side: int, window: int, scheme: str, depth: int) -> Iterator[np.ndarray]:
    """After each of `depth` layers of `scheme`: [side, side] how many tokens can have influenced each token."""
    for receptive in _sets_by_depth(side, window, scheme, depth):
        yield receptive.sum(axis=1).reshape(side, side)


def receptive_sets(side: int, window: int, scheme: str, depth: int) -> np.ndarray:
    """[side², side²] after `depth` layers of `scheme`: row i marks the tokens (row-major) that can have reached i."""
    *_, last = _sets_by_depth(side, window, scheme, depth)
    return last


def reach_counts(side: int, window: int, scheme: str, depth: int) -> np.ndarray:
    """[side, side] how many tokens can have influenced each token after `depth` layers of `scheme`."""
    *_, last = _counts_by_depth(side, window, scheme, depth)
    return last


def reach(side: int = swin.SIDE, window: int = swin.WINDOW, layers: tuple[int, ...] = LAYERS) -> Reach:
    """The reach of every scheme after each number of layers, on a side × side grid with window × window windows."""
    _check(side, window)
    if not layers or min(layers) < 1:
        raise ValueError(f"layers must be positive depths, not {layers}")
    mean, central = {}, {}
    for scheme in SCHEMES:
        counts = {depth: count for depth, count in enumerate(_counts_by_depth(side, window, scheme, max(layers)), 1)
                  if depth in layers}
        mean[scheme] = tuple(float(counts[depth].mean()) for depth in layers)
        central[scheme] = tuple(int(counts[depth][side // 2, side // 2]) for depth in layers)
    return Reach(side, window, tuple(layers), mean, central)
