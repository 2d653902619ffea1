"""Sweeps: one image, one perturbation at growing strength, both models scored in a single batched pass."""
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import torch

from lab.transforms import patch_drop, patch_shuffle, rotate, rotations, translate
from models.inference import probabilities
from models.pairs import Pair
from runtime.messages import Message

BATCH_SIZE = 64
"""Most images sent through the models at once."""

Progress = Callable[[float, Message], object]
"""Called as progress(fraction_done, description); the description's str() is its English."""


@dataclass(frozen=True)
class SweepSpec:
    """One kind of sweep: its title in words a visitor reads, its x values, the random draws averaged at each x, and
    how to name x."""
    title: Message
    values: tuple[float, ...]
    identity: float  # the x that leaves the image unchanged
    draws: int
    axis: str
    caption: str
    description: str
    apply: Callable[[torch.Tensor, float, int, int], torch.Tensor]  # (image, x, draw, patch_size) -> image
    apply_all: Callable[[torch.Tensor, list[float]], torch.Tensor] | None = None  # (image, xs) -> [len(xs), 3, S, S]
    """Where set (single-draw sweeps only), every x's image in one batched call, equal to apply's one by one."""

    def label(self, x: float) -> str:
        """A short caption for one x, e.g. '45°', '+20%' or '4×4'."""
        return self.caption.format(x=x)


SWEEPS: dict[str, SweepSpec] = {
    "rotate": SweepSpec(
        title=Message("sweep_rotate"), values=tuple(range(0, 360, 15)), identity=0, draws=1,
        axis="rotation (degrees)", caption="{x:g}°",
        description="Rotate the crop about its centre in 15° steps. Convolutions share weights across "
                    "positions, not across orientations, so neither model is built to be rotation-invariant.",
        apply=lambda image, x, draw, patch: rotate(image, x),
        apply_all=rotations),
    "translate": SweepSpec(
        title=Message("sweep_translate"), values=tuple(i / 10 for i in range(-5, 6)), identity=0.0, draws=1,
        axis="horizontal shift (fraction of the image side)", caption="{x:+.0%}",
        description="Shift the crop left or right by up to half its width. Convolution is translation-"
                    "equivariant and global pooling makes the CNN nearly invariant; the ViT sees the content "
                    "move to other patches and other position embeddings.",
        apply=lambda image, x, draw, patch: translate(image, x)),
    "shuffle": SweepSpec(
        title=Message("sweep_shuffle"), values=(1, 2, 4, 8), identity=1, draws=4,
        axis="patch grid (n × n pieces shuffled)", caption="{x:g}×{x:g}",
        description="Cut the crop into n × n pieces and shuffle them (4 random orders averaged; pieces never "
                    "smaller than a ViT patch), as in Naseer et al. 2021, 'Intriguing Properties of Vision "
                    "Transformers'. Parts survive, their arrangement does not.",
        apply=lambda image, x, draw, patch: patch_shuffle(image, int(x), seed=draw)),
    "drop": SweepSpec(
        title=Message("sweep_drop"), values=tuple(i / 10 for i in range(10)), identity=0.0, draws=4,
        axis="fraction of ViT patches dropped", caption="{x:.0%}",
        description="Grey out a random fraction of the ViT's patches (4 random draws averaged; the same draw "
                    "keeps earlier patches dropped as the fraction grows), as in Naseer et al. 2021.",
        apply=lambda image, x, draw, patch: patch_drop(image, x, seed=draw, patch_size=patch)),
}


@dataclass(frozen=True)
class SweepCurve:
    """One model along a sweep: the score of the class it predicts on the unmodified image, and its top-1 label,
    at each x."""
    score: list[float]
    top1: list[str]

    def to_json(self) -> dict:
        """{"score", "top1"}."""
        return {"score": self.score, "top1": self.top1}


@dataclass(frozen=True)
class ImageSweep:
    """One image swept: the x values and both models' curves."""
    kind: str
    x: list[float]
    cnn: SweepCurve
    vit: SweepCurve

    def to_json(self) -> dict:
        """{"kind", "x", "cnn": {"score", "top1"}, "vit": {...}}: /sweep's answer, less its precision."""
        return {"kind": self.kind, "x": self.x, "cnn": self.cnn.to_json(), "vit": self.vit.to_json()}


def _spec(kind: str) -> SweepSpec:
    if kind not in SWEEPS:
        raise ValueError(f"unknown sweep kind {kind!r}; choose one of: {', '.join(SWEEPS)}")
    return SWEEPS[kind]


def sweep_values(kind: str, side: int, patch_size: int) -> list[float]:
    """The x values of a sweep on an image of this side; shuffle grids stop where pieces would undercut a patch."""
    values = _spec(kind).values
    if kind == "shuffle":
        return [grid for grid in values if side // grid >= patch_size]
    return list(values)


def sweep_images(image01: torch.Tensor, kind: str, patch_size: int) -> list[tuple[float, torch.Tensor]]:
    """Every transformed image of a sweep: (x, [draws, 3, S, S]) for each x, deterministic."""
    spec = _spec(kind)
    values = sweep_values(kind, image01.shape[-1], patch_size)
    if spec.apply_all is not None and spec.draws == 1:
        return [(x, stack[None]) for x, stack in zip(values, spec.apply_all(image01, values))]
    return [(x, torch.stack([spec.apply(image01, x, draw, patch_size) for draw in range(spec.draws)]))
            for x in values]


def _chunked_probabilities(pair: Pair, batch: torch.Tensor, progress: Progress | None,
                           kind: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Both models' probabilities for a batch of any length, BATCH_SIZE images at a time."""
    cnn, vit = [], []
    title = SWEEPS[kind].title
    for start in range(0, len(batch), BATCH_SIZE):
        if progress is not None:
            progress(start / len(batch), Message("sweep_progress", kind=title, done=start, total=len(batch)))
        cnn_probs, vit_probs = probabilities(pair, batch[start:start + BATCH_SIZE])
        cnn.append(cnn_probs)
        vit.append(vit_probs)
    if progress is not None:
        progress(1.0, Message("sweep_done", kind=title))
    return torch.cat(cnn), torch.cat(vit)


def _curve(probs: torch.Tensor, draws: int, labels: list[str]) -> SweepCurve:
    """Score of the clean prediction and the majority top-1 label at each x; row 0 of probs is the clean image."""
    clean_class = int(probs[0].argmax())
    per_x = probs[1:].reshape(-1, draws, probs.shape[-1])  # (x * draws, classes) -> (x, draws, classes)
    scores = per_x[..., clean_class].mean(-1).tolist()
    top1 = [labels[Counter(row.argmax(-1).tolist()).most_common(1)[0][0]] for row in per_x]
    return SweepCurve(scores, top1)


def run_sweep(pair: Pair, image01: torch.Tensor, kind: str, progress: Progress | None = None, *,
              images: list[tuple[float, torch.Tensor]] | None = None) -> ImageSweep:
    """Score both models along a sweep.

    A curve's score is the probability of the class each model predicts on the unmodified image (averaged over the
    random draws), top1 the label predicted at each x (the most common one over the draws). The clean image
    rides in the same batch. Pass `images` from `sweep_images` to reuse images already built for a strip.
    """
    spec = _spec(kind)
    side = pair.input_size
    if image01.shape != (3, side, side):
        raise ValueError(f"expected a [3, {side}, {side}] crop from pair.transform, got {list(image01.shape)}")
    points = sweep_images(image01, kind, pair.vit.patch_size) if images is None else images
    batch = torch.cat([image01[None]] + [stack for _, stack in points])
    cnn_probs, vit_probs = _chunked_probabilities(pair, batch, progress, kind)
    return ImageSweep(kind, [x for x, _ in points], _curve(cnn_probs, spec.draws, pair.labels),
                      _curve(vit_probs, spec.draws, pair.labels))
