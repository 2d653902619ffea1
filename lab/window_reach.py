"""C12 traced through real blocks: which input patches one token of timm's Swin-T depends on after 1, 2, 3 and 4
blocks (stage 1's W-MSA and SW-MSA blocks, then stage 2's two, across patch merging), beside the idealised count of
lab.reach and the seed's ViT (global after one block).

A patch is reachable when the gradient of the token's output (projected on a fixed random direction) with respect to
that patch's embedded input token has a norm above TOLERANCE times the largest. Tracing runs in float64, where the
two kinds of small gradient lie far apart: at random init the weakest genuine path, through stage 2, is about 6e-9 of
the largest, while the shifted-window mask's leak is below 1e-40. timm masks the sub-windows that the cyclic shift
brings together with −100 added to the scores, not −∞, so a token across the image's edge keeps a weight of about
e^−100 ≈ 4e-44: reachable in exact arithmetic, nothing in practice. Counted exactly (tolerance 0) the shifted block
wraps around the edge; above the tolerance it does not, as lab.reach assumes.

Where the grid is not a whole number of windows, timm pads it, but after the cyclic shift: the mask is then computed
on the padded grid and no longer separates the tokens the shift brought across the edge, so they attend to each other
with full weight (timm issue #2438, reported for Swin V2; Swin V1's code does the same). Padding itself adds no reach:
the padded tokens are zeros. At Swin-T's own sizes (224 px and its multiples) nothing is padded.
"""
import copy
from dataclasses import dataclass

import numpy as np
import timm
import torch
from torch import nn

from lab.attention_cost import deit_small
from lab.reach import receptive_sets
from models.swin import SWIN_ARCHITECTURE
from models.vit import ViT

PATCH = 4
"""Pixels per side of one stage-1 token of Swin-T."""
TOLERANCE = 1e-20
"""Reachable: a gradient norm above this fraction of the largest (float64)."""
BLOCKS = (1, 2, 3, 4)
"""Swin-T's first four blocks: stage 1's W-MSA and SW-MSA, stage 2's W-MSA and SW-MSA after patch merging."""
SCHEME = "W-MSA / SW-MSA"


def swin_tiny(img_size: int = 224, seed: int = 0) -> nn.Module:
    """Swin-T with random weights at this image size (window 7), in eval and float64, the global RNG left as it was."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return timm.create_model(SWIN_ARCHITECTURE, pretrained=False, img_size=img_size).eval().double()


def noise_image(size: int, seed: int) -> torch.Tensor:
    """A (1, 3, size, size) float64 image of uniform noise."""
    return torch.rand(1, 3, size, size, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


def relative_gradient(inputs: torch.Tensor, output: torch.Tensor, seed: int,
                      retain_graph: bool = False) -> np.ndarray:
    """Per input token, the norm of d(output · v)/d(input) over channels, divided by the largest (v random, fixed);
    retain_graph keeps the graph for another output of the same forward pass."""
    direction = torch.randn(output.shape[-1], dtype=output.dtype, generator=torch.Generator().manual_seed(seed))
    (gradient,) = torch.autograd.grad(output @ direction, inputs, retain_graph=retain_graph)
    norms = gradient[0].norm(dim=-1)
    return (norms / norms.max()).numpy()


def swin_gradient(model: nn.Module, token: tuple[int, int], blocks: int, seed: int = 0) -> np.ndarray:
    """[H, W] over the stage-1 patch grid: the relative gradient norm of the token holding patch `token`, after the
    first `blocks` blocks, with respect to every patch-embedded input token."""
    image_size = model.patch_embed.img_size[0]
    inputs = model.patch_embed(noise_image(image_size, seed)).detach().requires_grad_()  # (1, H, W, C)
    x, done = inputs, 0
    for stage in model.layers:
        if done == blocks:
            break
        x = stage.downsample(x)  # patch merging: (1, H, W, C) -> (1, H/2, W/2, 2C); identity in stage 1
        for block in stage.blocks[:blocks - done]:
            x = block(x)
            done += 1
    if done < blocks:
        raise ValueError(f"the model has {done} blocks, not {blocks}")
    scale = inputs.shape[1] // x.shape[1]  # stage-1 patches per token side at the stage reached
    return relative_gradient(inputs, x[0, token[0] // scale, token[1] // scale], seed)


def vit_gradient(vit: ViT, patch: tuple[int, int], blocks: int, seed: int = 0) -> np.ndarray:
    """[g, g] over the ViT's patches: the relative gradient norm of patch `patch`'s token after `blocks` encoder blocks
    with respect to every patch token entering the encoder (class token left out)."""
    vit = copy.deepcopy(vit).double()  # the caller's model keeps its precision
    tokens = vit.process_input(noise_image(vit.image_size, seed))
    inputs = torch.cat((vit.class_token.expand(1, -1, -1), tokens), dim=1).detach().requires_grad_()
    x = vit.encoder.pos_embedding + inputs
    for layer in vit.encoder.layers[:blocks]:
        x, _ = layer(x)
    g = vit.grid_size
    return relative_gradient(inputs, x[0, 1 + patch[0] * g + patch[1]], seed)[1:].reshape(g, g)


def predicted_reach(side: int, window: int, token: tuple[int, int], blocks: int,
                    first_stage_depth: int = 2) -> np.ndarray:
    """[side, side] the idealised reach (lab.reach, no wrap-around) of the token holding patch `token` after `blocks`
    blocks: stage 1's grid for the first `first_stage_depth`, then stage 2's grid of 2 × 2 merged patches, where a
    merged token starts from the union of its four patches' stage-1 reach."""
    index = token[0] * side + token[1]
    fine = receptive_sets(side, window, SCHEME, min(blocks, first_stage_depth))
    if blocks <= first_stage_depth:
        return fine[index].reshape(side, side)
    coarse_side = side // 2
    coarse = receptive_sets(coarse_side, min(window, coarse_side), SCHEME, blocks - first_stage_depth)
    merged = coarse[(token[0] // 2) * coarse_side + token[1] // 2].reshape(coarse_side, coarse_side)
    patches = np.kron(merged, np.ones((2, 2), dtype=bool)).ravel()  # the stage-1 patches of the reached tokens
    return fine[patches].any(axis=0).reshape(side, side)


@dataclass(frozen=True)
class WindowReach:
    """The traced and the predicted reach of one token of Swin-T after each number of blocks, and the ViT's."""
    image_size: int
    side: int  # stage-1 patches per side
    window: int
    token: tuple[int, int]  # (row, column) of the patch on the stage-1 grid
    blocks: tuple[int, ...]
    tolerance: float
    traced: tuple[np.ndarray, ...]  # [side, side] bool per entry of blocks: above the tolerance
    exact: tuple[np.ndarray, ...]  # [side, side] bool: any non-zero gradient (the mask's e^−100 leak included)
    predicted: tuple[np.ndarray, ...]  # [side, side] bool: lab.reach's idealised count, no wrap-around
    weakest_reached: tuple[float, ...]  # the smallest relative gradient above the tolerance
    strongest_unreached: tuple[float, ...]  # the largest one at or below it (0 if none)
    vit_patch: tuple[int, int]  # the ViT's 16 px patch holding the same pixel
    vit_traced: np.ndarray  # [g, g] bool: the ViT's reach after one block

    @property
    def counts(self) -> dict[str, tuple[int, ...]]:
        """How many patches are reachable per entry of blocks: traced, exact (tolerance 0) and predicted."""
        return {name: tuple(int(m.sum()) for m in maps) for name, maps in
                (("traced", self.traced), ("exact", self.exact), ("predicted", self.predicted))}

    def to_json(self) -> dict:
        """Plain JSON types; maps as nested lists of booleans."""
        def maps(values: tuple[np.ndarray, ...]) -> list:
            return [m.tolist() for m in values]

        return {"image_size": self.image_size, "side": self.side, "window": self.window, "token": list(self.token),
                "blocks": list(self.blocks), "tolerance": self.tolerance, "counts": {k: list(v) for k, v in
                                                                                   self.counts.items()},
                "traced": maps(self.traced), "exact": maps(self.exact), "predicted": maps(self.predicted),
                "weakest_reached": list(self.weakest_reached), "strongest_unreached": list(self.strongest_unreached),
                "vit_patch": list(self.vit_patch), "vit_traced": self.vit_traced.tolist(),
                "vit_count": int(self.vit_traced.sum())}


def window_reach(image_size: int = 224, token: tuple[int, int] = (28, 28), blocks: tuple[int, ...] = BLOCKS,
                 tolerance: float = TOLERANCE, seed: int = 0, vit: ViT | None = None,
                 model: nn.Module | None = None) -> WindowReach:
    """Trace the reach of the Swin-T token holding patch `token` after each number of blocks, random weights unless a
    float64 Swin-T `model` at image_size is given; the ViT's after one block beside it (DeiT-S's shape with random
    weights unless a ViT at image_size is given). The stage-1 grid must be a whole number of windows (lab.reach's
    condition): image_size a multiple of 28 px, and of 16 px for the ViT, so a multiple of 112 px."""
    side = image_size // PATCH
    if not all(0 <= t < side for t in token):
        raise ValueError(f"token {token} is outside the {side} × {side} patch grid")
    model = swin_tiny(image_size, seed) if model is None else model
    window = model.layers[0].blocks[0].window_size[0]
    traced, exact, predicted, weakest, strongest = [], [], [], [], []
    for depth in blocks:
        gradient = swin_gradient(model, token, depth, seed)
        reached = gradient > tolerance
        traced.append(reached)
        exact.append(gradient > 0)
        predicted.append(predicted_reach(side, window, token, depth))
        weakest.append(float(gradient[reached].min()))
        strongest.append(float(gradient[~reached].max()) if (~reached).any() else 0.0)
    if vit is None:
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            vit = deit_small(image_size)
    vit_patch = (token[0] * PATCH // vit.patch_size, token[1] * PATCH // vit.patch_size)
    vit_traced = vit_gradient(vit, vit_patch, 1, seed) > tolerance
    return WindowReach(image_size, side, window, tuple(token), tuple(blocks), tolerance, tuple(traced), tuple(exact),
                       tuple(predicted), tuple(weakest), tuple(strongest), vit_patch, vit_traced)
