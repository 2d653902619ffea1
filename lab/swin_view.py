"""Swin-T on one image, for the Theory tab: the image as Swin-T sees it (224 px), which window a token attends in at
each block (regular, or shifted with timm's cyclic shift), one window's attention probabilities recomputed from the
block's input, and the traced reach of a token with these weights (lab.window_reach).

Tokens are named by their stage-1 patch: (row, column) on the 56 × 56 grid of 4 px patches of the 224 px image; at
stage s the token holding that patch is (row, column) // 2^(s−1), on a grid of 56 / 2^(s−1) tokens of 4 · 2^(s−1) px.
"""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps
from timm.data import resolve_data_config
from torch import nn

from explain.window_attention import WindowAttentionInputs, attention_probabilities
from lab.window_reach import PATCH, WindowReach, window_reach
from models.swin import SwinWeights
from runtime.messages import UserError

IMAGE_SIZE = 224
SIDE = IMAGE_SIZE // PATCH
"""Stage-1 patches per side."""
STAGES = (1, 2, 3, 4)
REACH_BLOCKS = (1, 2, 4)
"""The reach the view traces: after stage 1's W-MSA, its SW-MSA, and stage 2's two blocks."""
COST_FILE = Path(__file__).resolve().parent.parent / "findings" / "swin_cost.json"


def swin_crop(picture: Image.Image) -> Image.Image:
    """The image as the view shows it to Swin-T: its central square, resized to 224 × 224 px (bicubic)."""
    return ImageOps.fit(picture.convert("RGB"), (IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BICUBIC)


def swin_input(model: nn.Module, crop: Image.Image) -> torch.Tensor:
    """(1, 3, 224, 224): the crop in [0, 1], normalised with the mean and std of the model's weights."""
    config = resolve_data_config({}, model=model)
    pixels = torch.from_numpy(np.asarray(crop, dtype=np.float32) / 255.0).permute(2, 0, 1)  # (H, W, 3) -> (3, H, W)
    mean, std = (torch.tensor(config[key]).reshape(3, 1, 1) for key in ("mean", "std"))
    return ((pixels - mean) / std)[None]


def check_token(token: tuple[int, int]) -> tuple[int, int]:
    """The token as integers, or a message when it is not on the 56 × 56 stage-1 grid."""
    row, column = (int(t) for t in token)
    if not (0 <= row < SIDE and 0 <= column < SIDE):
        raise UserError("swin_token_range", row=row, column=column, side=SIDE, last=SIDE - 1)
    return row, column


def stage_block(model: nn.Module, stage: int, block: int) -> nn.Module:
    """The block-th block (1-based) of a stage (1-based), or a message naming the valid ranges."""
    if int(stage) not in STAGES:
        raise UserError("swin_stage_range", stage=stage)
    blocks = model.layers[int(stage) - 1].blocks
    if not 1 <= int(block) <= len(blocks):
        raise UserError("swin_block_range", stage=int(stage), blocks=len(blocks), block=block)
    return blocks[int(block) - 1]


def window_of(side: int, window: int, shift: int,
              query: tuple[int, int]) -> tuple[int, int, list[tuple[int, int]], bool]:
    """(window index, the query's place in it, its keys, whether it wraps): the window a token of a side × side grid
    attends in, as timm forms it. With a shift, timm rolls the grid `shift` tokens toward the top-left before cutting
    windows, so a window at the bottom or right edge wraps: it holds tokens from the opposite edge too, which the
    shifted block's mask keeps apart. Indices and keys follow timm's order (windows row by row on the rolled grid;
    keys row by row inside a window); keys are unrolled coordinates."""
    rolled = ((query[0] - shift) % side, (query[1] - shift) % side)
    window_row, window_column = rolled[0] // window, rolled[1] // window
    keys = [((window_row * window + i + shift) % side, (window_column * window + j + shift) % side)
            for i in range(window) for j in range(window)]
    place = (rolled[0] % window) * window + rolled[1] % window
    wrapped = shift > 0 and max(window_row, window_column) * window + window + shift > side
    return window_row * (side // window) + window_column, place, keys, wrapped


@dataclass(frozen=True)
class SwinWindowAttention:
    """One query token's attention over the keys of its window, at one block and head of Swin-T."""
    stage: int
    block: int  # 1-based, within the stage
    head: int  # 1-based
    heads: int
    token: tuple[int, int]  # the stage-1 patch chosen
    query: tuple[int, int]  # the token holding it on this stage's grid
    side: int  # tokens per side at this stage
    token_pixels: int  # pixels per token side at this stage
    window: int
    shift: int  # 0: W-MSA; ⌊window / 2⌋: SW-MSA (timm drops it where one window fills the grid)
    window_index: int  # timm's index of the window
    wrapped: bool  # the window joins tokens of opposite edges (kept apart by the mask)
    keys: tuple[tuple[int, int], ...]  # window² (row, column) on this stage's grid, in timm's order
    probabilities: np.ndarray  # [window²] the query's attention over keys, summing to 1
    masked: np.ndarray  # [window²] bool: keys the shifted block's mask separates from the query (−100)
    weights: dict  # models.swin.SwinWeights.to_json()

    @property
    def kind(self) -> str:
        """W-MSA (regular windows) or SW-MSA (shifted)."""
        return "SW-MSA" if self.shift else "W-MSA"

    def heat(self) -> np.ndarray:
        """[side, side] the attention on this stage's grid: each key's probability, 0 outside the window."""
        grid = np.zeros((self.side, self.side))
        for (row, column), p in zip(self.keys, self.probabilities):
            grid[row, column] = p
        return grid

    def to_json(self) -> dict:
        """Plain JSON types; keys as [row, column], probabilities in the keys' order."""
        return {"stage": self.stage, "block": self.block, "head": self.head, "heads": self.heads,
                "token": list(self.token), "query": list(self.query), "side": self.side,
                "token_pixels": self.token_pixels, "window": self.window, "shift": self.shift, "kind": self.kind,
                "window_index": self.window_index, "wrapped": self.wrapped, "keys": [list(k) for k in self.keys],
                "probabilities": [float(p) for p in self.probabilities], "masked": [bool(m) for m in self.masked],
                "weights": self.weights}


def window_attention(weights: SwinWeights, crop: Image.Image, stage: int, block: int, head: int,
                     token: tuple[int, int]) -> SwinWindowAttention:
    """The attention of the token holding stage-1 patch `token` over its window's keys, at a block and head (all
    1-based), recomputed from the block's input on this 224 px crop."""
    model = weights.model
    swin_block = stage_block(model, stage, block)
    attention = swin_block.attn
    if not 1 <= int(head) <= attention.num_heads:
        raise UserError("swin_head_range", stage=int(stage), heads=attention.num_heads, head=head)
    token = check_token(token)
    scale = 2 ** (int(stage) - 1)
    side, window, shift = SIDE // scale, swin_block.window_size[0], swin_block.shift_size[0]
    query = (token[0] // scale, token[1] // scale)
    with WindowAttentionInputs(attention) as captured, torch.inference_mode():
        model.forward_features(swin_input(model, crop))
        probabilities = attention_probabilities(attention, captured.x, captured.mask)  # (windows, heads, N, N)
    index, place, keys, wrapped = window_of(side, window, shift, query)
    masked = np.zeros(window * window, dtype=bool) if captured.mask is None else \
        captured.mask[index, place].numpy() != 0
    return SwinWindowAttention(int(stage), int(block), int(head), attention.num_heads, token, query, side,
                               PATCH * scale, window, shift, index, wrapped,
                               tuple(keys), probabilities[index, int(head) - 1, place].double().numpy(), masked,
                               weights.to_json())


def traced_reach(weights: SwinWeights, token: tuple[int, int], blocks: tuple[int, ...] = REACH_BLOCKS) -> WindowReach:
    """lab.window_reach's trace of one token with these weights (a float64 copy; about 2 s for blocks 1, 2, 4 on
    one CPU core), the ViT's reach beside it."""
    token = check_token(token)
    blocks = tuple(int(b) for b in blocks)
    if not blocks or any(b not in (1, 2, 3, 4) for b in blocks):
        raise UserError("swin_blocks_range", blocks=", ".join(str(b) for b in blocks) or "none")
    return window_reach(IMAGE_SIZE, token, tuple(sorted(set(blocks))), model=weights.float64())


def recorded_cost() -> dict | None:
    """findings/swin_cost.json (lab.attention_cost's result and its provenance), or None when it is missing."""
    if not COST_FILE.exists():
        return None
    return json.loads(COST_FILE.read_text())
