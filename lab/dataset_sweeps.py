"""Sweeps over many images at once: the score and top-1 agreement at each x, averaged with 95% intervals."""
from dataclasses import dataclass

import torch

from lab.statistics import mean_ci, wilson
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
        score, score_ci, agreement, low, high = [], [], [], [], []
        for j in range(len(x)):
            mean, half = mean_ci([run[model]["score"][j] for run in runs])
            agree = sum(run[model]["top1"][j] == run[model]["top1"][at_identity] for run in runs)
            p, lo, hi = wilson(agree, len(runs))
            score.append(mean), score_ci.append(half), agreement.append(p), low.append(lo), high.append(hi)
        curves[model] = ModelCurve(score, score_ci, agreement, low, high)
    return DatasetSweep(kind, x, len(runs), curves["cnn"], curves["vit"])
