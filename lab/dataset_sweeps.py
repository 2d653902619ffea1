"""Sweeps over many images at once: the score and top-1 agreement at each x, averaged with 95% intervals."""
from dataclasses import dataclass

import torch

from lab.statistics import Interval, mean_ci, mean_interval, wilson
from lab.sweeps import SWEEPS, Progress, run_sweep
from models.pairs import Pair


@dataclass(frozen=True)
class ModelCurve:
    """One model's aggregate along a sweep: per x, mean score ± CI and agreement rate [low, high]."""
    score: list[float]
    score_ci: list[float]
    agreement: list[float]
    agreement_low: list[float]
    agreement_high: list[float]
    kept: tuple[tuple[bool, ...], ...] = ()  # per image, per x: top-1 the same as at the identity


@dataclass(frozen=True)
class DatasetSweep:
    """A sweep over `count` images: x values and both models' curves."""
    kind: str
    x: list[float]
    count: int
    cnn: ModelCurve
    vit: ModelCurve

    def mean_agreement(self, model: str, keep) -> float:
        """Agreement averaged over the x values for which keep(x) is true."""
        curve = getattr(self, model)
        values = [a for x, a in zip(self.x, curve.agreement) if keep(x)]
        return sum(values) / len(values)

    def kept_interval(self, model: str, keep) -> Interval:
        """Per image, the share of the x values with keep(x) true at which the top-1 stays the identity's; their
        mean over images with its 95% interval (images, not image-x pairs, are the independent draws)."""
        columns = [j for j, x in enumerate(self.x) if keep(x)]
        rows = getattr(self, model).kept
        if not rows or not columns:
            raise ValueError(f"no per-image agreement kept for {model!r} at the x values asked for")
        mean, low, high = mean_interval([sum(row[j] for j in columns) / len(columns) for row in rows])
        return Interval(mean, max(low, 0.0), min(high, 1.0))  # a share: the normal approximation may overshoot


def sweep_dataset(pair: Pair, images01: torch.Tensor, kind: str, progress: Progress | None = None) -> DatasetSweep:
    """Run one sweep on every [3, S, S] image of a batch and aggregate per x."""
    runs = []
    for i, image01 in enumerate(images01):
        runs.append(run_sweep(pair, image01, kind))
        if progress is not None:
            progress((i + 1) / len(images01), f"{kind}: image {i + 1}/{len(images01)}")
    identity = SWEEPS[kind].identity
    x = runs[0]["x"]
    at_identity = x.index(identity)
    curves = {}
    for model in ("cnn", "vit"):
        kept = tuple(tuple(top1 == run[model]["top1"][at_identity] for top1 in run[model]["top1"]) for run in runs)
        score, score_ci, agreement, low, high = [], [], [], [], []
        for j in range(len(x)):
            mean, half = mean_ci([run[model]["score"][j] for run in runs])
            p, lo, hi = wilson(sum(row[j] for row in kept), len(runs))
            score.append(mean), score_ci.append(half), agreement.append(p), low.append(lo), high.append(hi)
        curves[model] = ModelCurve(score, score_ci, agreement, low, high, kept)
    return DatasetSweep(kind, x, len(runs), curves["cnn"], curves["vit"])
