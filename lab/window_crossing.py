"""C12 graded on many tokens: after Swin-T's W-MSA block (block 1) and its SW-MSA block (block 2), does a token's
traced reach leave the W-MSA window it sits in?

Every token of the stage-1 grid (or a sample) is traced as lab.window_reach traces one (float64, the gradient of the token's
output projected on a fixed direction, reachable above TOLERANCE of the largest), with one forward pass per depth
shared by all tokens. Beside each traced reach, lab.reach's idealised one (the prediction), compared patch for patch:
after the SW-MSA block a token reaches beyond its window exactly when its shifted window straddles a border, along
its rows or its columns; for 56 × 56 tokens and 7 × 7 windows only the tokens whose row and column both lie in the
edge strips (the first 3 and last 4 rows and columns) stay inside: 7 × 7 = 49 of them, so 1 − (7/56)² = 98.4% cross.
"""
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from lab.reach import receptive_sets, window_labels
from lab.window_reach import PATCH, SCHEME, TOLERANCE, noise_image, relative_gradient, swin_tiny

ROW = ("row", "column", "reached_1", "reached_2", "outside_1", "outside_2", "predicted_reached_1",
       "predicted_reached_2", "predicted_outside_1", "predicted_outside_2", "identical_1", "identical_2")
"""The columns of a token's row in the JSON form."""


@dataclass(frozen=True)
class TokenCrossing:
    """One token's traced reach after the W-MSA and the SW-MSA block, in patches, and how much of it lies outside the
    token's W-MSA window; the same for lab.reach's prediction."""
    token: tuple[int, int]
    reached: tuple[int, int]  # after block 1, block 2
    outside: tuple[int, int]  # of those, outside the token's W-MSA window
    predicted_reached: tuple[int, int]
    predicted_outside: tuple[int, int]
    identical: tuple[bool, bool]  # the traced and the predicted reach are the same set of patches

    @property
    def as_predicted(self) -> bool:
        """Traced and predicted reach are the same patches at both depths."""
        return all(self.identical)


@dataclass(frozen=True)
class WindowCrossing:
    """Every sampled token's crossing, with the settings it was traced under."""
    image_size: int
    side: int
    window: int
    tolerance: float
    seed: int
    tokens: tuple[TokenCrossing, ...]

    def crossed(self, block: int) -> int:
        """How many sampled tokens reach outside their W-MSA window after block 1 or 2 (traced)."""
        return sum(t.outside[block - 1] > 0 for t in self.tokens)

    def predicted_crossed(self, block: int) -> int:
        """The same, predicted by lab.reach."""
        return sum(t.predicted_outside[block - 1] > 0 for t in self.tokens)

    @property
    def as_predicted(self) -> int:
        """How many sampled tokens' traced reach equals the prediction at both depths."""
        return sum(t.as_predicted for t in self.tokens)

    def to_json(self) -> dict:
        """Plain JSON types."""
        return {"image_size": self.image_size, "side": self.side, "window": self.window, "tolerance": self.tolerance,
                "seed": self.seed, "crossed": [self.crossed(1), self.crossed(2)],
                "predicted_crossed": [self.predicted_crossed(1), self.predicted_crossed(2)],
                "as_predicted": self.as_predicted,
                "columns": list(ROW),
                "tokens": [[*t.token, *t.reached, *t.outside, *t.predicted_reached, *t.predicted_outside,
                            *(int(same) for same in t.identical)] for t in self.tokens]}

    @classmethod
    def from_json(cls, data: dict) -> "WindowCrossing":
        """The inverse of to_json (the summary counts are recomputed from the tokens)."""
        pairs = [[tuple(row[i:i + 2]) for i in range(0, len(ROW), 2)] for row in data["tokens"]]
        tokens = tuple(TokenCrossing(*columns[:-1], tuple(bool(same) for same in columns[-1])) for columns in pairs)
        return cls(data["image_size"], data["side"], data["window"], data["tolerance"], data["seed"], tokens)


def sample_tokens(side: int, count: int | None, seed: int) -> list[tuple[int, int]]:
    """`count` distinct (row, column) tokens of a side × side grid, drawn uniformly with this seed; None: all."""
    if count is None:
        return [(row, column) for row in range(side) for column in range(side)]
    chosen = torch.randperm(side * side, generator=torch.Generator().manual_seed(seed))[:count]
    return [(int(i) // side, int(i) % side) for i in sorted(chosen.tolist())]


def traced_stage_one(model: nn.Module, tokens: Sequence[tuple[int, int]], blocks: int, tolerance: float,
                     seed: int, progress: Callable[[float], None] | None = None) -> list[np.ndarray]:
    """[side, side] bool per token: its traced reach after the first `blocks` blocks of stage 1 (one shared forward
    pass, one backward pass per token); `progress` is told the share of tokens done."""
    stage = model.layers[0]
    if blocks > len(stage.blocks):
        raise ValueError(f"stage 1 has {len(stage.blocks)} blocks, not {blocks}")
    image_size = model.patch_embed.img_size[0]
    inputs = model.patch_embed(noise_image(image_size, seed)).detach().requires_grad_()  # (1, H, W, C)
    x = stage.downsample(inputs)  # identity in stage 1
    for block in stage.blocks[:blocks]:
        x = block(x)
    reached = []
    for i, (row, column) in enumerate(tokens):
        reached.append(relative_gradient(inputs, x[0, row, column], seed, retain_graph=True) > tolerance)
        if progress is not None and i % 64 == 63:
            progress((i + 1) / len(tokens))
    return reached


def window_crossing(image_size: int = 224, count: int | None = None, tolerance: float = TOLERANCE,
                    seed: int = 0, progress: Callable[[float], None] | None = None) -> WindowCrossing:
    """Trace every token of Swin-T's stage 1 (random weights), or `count` random ones, after its W-MSA and its
    SW-MSA block; `progress` is told the share done."""
    side = image_size // PATCH
    model = swin_tiny(image_size, seed)
    window = model.layers[0].blocks[0].window_size[0]
    if side % window:
        raise ValueError(f"a {side} × {side} grid is not a whole number of {window} × {window} windows: timm pads it "
                         "after the shift (lab.window_reach), which this count does not model")
    tokens = sample_tokens(side, count, seed)
    labels = window_labels(side, window, shifted=False)
    traced = [traced_stage_one(model, tokens, blocks, tolerance, seed,
                               None if progress is None else lambda done, b=blocks: progress((b - 1 + done) / 2))
              for blocks in (1, 2)]
    crossings = []
    idealised = [receptive_sets(side, window, SCHEME, blocks) for blocks in (1, 2)]  # [tokens, tokens] each
    for i, token in enumerate(tokens):
        own = labels == labels[token]
        predicted = [sets[token[0] * side + token[1]].reshape(side, side) for sets in idealised]
        crossings.append(TokenCrossing(
            token, tuple(int(traced[b][i].sum()) for b in range(2)),
            tuple(int((traced[b][i] & ~own).sum()) for b in range(2)),
            tuple(int(p.sum()) for p in predicted), tuple(int((p & ~own).sum()) for p in predicted),
            tuple(bool(np.array_equal(traced[b][i], predicted[b])) for b in range(2))))
    return WindowCrossing(image_size, side, window, tolerance, seed, tuple(crossings))
