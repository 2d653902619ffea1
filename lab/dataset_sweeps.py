"""Sweeps over many images at once: the score and top-1 agreement at each x, averaged with 95% intervals."""
from dataclasses import dataclass

import torch

from lab.statistics import Interval, mean_ci, mean_interval, wilson
from lab.sweeps import SWEEPS, Progress, run_sweep
from models.pairs import Pair
from runtime.messages import Message


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
        share = mean_interval([sum(row[j] for j in columns) / len(columns) for row in rows])
        return Interval(share.value, max(share.low, 0.0), min(share.high, 1.0))  # a normal interval may pass 0 or 1


def sweep_dataset(pair: Pair, images01: torch.Tensor, kind: str, progress: Progress | None = None) -> DatasetSweep:
    """Run one sweep on every [3, S, S] image of a batch and aggregate per x."""
    runs = []
    for i, image01 in enumerate(images01):
        runs.append(run_sweep(pair, image01, kind))
        if progress is not None:
            done = Message("dataset_sweep_progress", kind=SWEEPS[kind].title, done=i + 1, total=len(images01))
            progress((i + 1) / len(images01), done)
    identity = SWEEPS[kind].identity
    x = runs[0].x
    at_identity = x.index(identity)
    curves = {}
    for model in ("cnn", "vit"):
        model_curves = [getattr(run, model) for run in runs]
        kept = tuple(tuple(top1 == curve.top1[at_identity] for top1 in curve.top1) for curve in model_curves)
        score, score_ci, agreement, low, high = [], [], [], [], []
        for j in range(len(x)):
            mean, half = mean_ci([curve.score[j] for curve in model_curves])
            agreed = wilson(sum(row[j] for row in kept), len(runs))
            score.append(mean), score_ci.append(half)
            agreement.append(agreed.value), low.append(agreed.low), high.append(agreed.high)
        curves[model] = ModelCurve(score, score_ci, agreement, low, high, kept)
    return DatasetSweep(kind, x, len(runs), curves["cnn"], curves["vit"])
