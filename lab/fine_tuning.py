"""What the homework's fine-tuning protocol measured (lab.arrangement.protocol), summarised for C13 and C14.

C13 reads the trend after epoch 5: the least-squares slope of validation accuracy per epoch over epochs 5 to the last,
with its 95% t interval (epochs as the samples), and whether the training accuracy was still rising (a model that
still fits its training data better is underfit, not overfit). C14 compares the validation images the model got
wrong after the early epoch with those it got right: the share of its Chefer map on the object beyond the object's
area, how many of the wrong ones are right by the end against how many right ones turn wrong anyway (the churn
baseline), and both class by class.
"""
import math
from dataclasses import dataclass

from lab.statistics import Interval, mean_interval, t975, wilson

FIRST_EPOCH = 5
"""The homework stopped after this epoch; C13's trend starts here."""


def slope_interval(values: list[float], first_epoch: int = FIRST_EPOCH) -> Interval:
    """The least-squares slope of `values` (one per epoch, epoch 1 first) per epoch, from `first_epoch` on, with its
    95% t interval."""
    ys = values[first_epoch - 1:]
    n = len(ys)
    if n < 3:
        return Interval(float("nan"), float("nan"), float("nan"))
    xs = list(range(n))
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    residual = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys)) / (n - 2)
    t = t975(n - 2)
    half = t * math.sqrt(residual / sxx)
    return Interval(slope, slope - half, slope + half)


@dataclass(frozen=True)
class Trend:
    """One fine-tuning run after epoch 5: validation accuracy at epoch 5 and at its best, the slope after epoch 5,
    and the training accuracy at epoch 5 and at the end."""
    seed: int
    val_at_first: float
    val_best: float
    slope: Interval
    train_at_first: float
    train_last: float

    @property
    def improving(self) -> bool:
        """More epochs clearly help: the slope's interval lies above zero."""
        return self.slope.low > 0

    @property
    def still_fitting(self) -> bool:
        """Training accuracy was still rising after epoch 5 (underfit, not overfit)."""
        return self.train_last > self.train_at_first

    def to_json(self) -> dict:
        return {"seed": self.seed, "val_at_epoch_5": self.val_at_first, "val_best": self.val_best,
                "slope_per_epoch": self.slope.to_json(), "train_at_epoch_5": self.train_at_first,
                "train_last": self.train_last}


def trend(run: dict) -> Trend:
    """The trend of one protocol record (lab.arrangement.protocol.run_protocol)."""
    epochs = run["training"]["epochs"]
    val = [e["val_accuracy"] for e in epochs]
    return Trend(run["seed"], val[FIRST_EPOCH - 1], max(val), slope_interval(val),
                 epochs[FIRST_EPOCH - 1]["train_accuracy"], epochs[-1]["train_accuracy"])


@dataclass(frozen=True)
class Misclassified:
    """One fine-tuning run's validation images after the early epoch, wrong against right."""
    seed: int
    wrong: int
    right: int
    excess_wrong: Interval  # mean share of the Chefer map on the object minus the object's area, wrong images
    excess_right: Interval
    fixed_later: Interval  # share of the wrong images right at the end
    broken_later: Interval  # share of the right images wrong at the end: the churn baseline
    by_class: dict[str, tuple[int, float]]  # label -> (wrong after the early epoch, share of them right at the end)

    def to_json(self) -> dict:
        return {"seed": self.seed, "wrong": self.wrong, "right": self.right,
                "excess_wrong": self.excess_wrong.to_json(), "excess_right": self.excess_right.to_json(),
                "fixed_later": self.fixed_later.to_json(), "broken_later": self.broken_later.to_json(),
                "by_class": {k: list(v) for k, v in self.by_class.items()}}


def misclassified(run: dict, labels: list[str]) -> Misclassified:
    """The C14 comparison for one protocol record."""
    images = run["images"]
    truth, early, final = images["label"], images["top1_early"], images["top1_final"]
    excess = [c - a for c, a in zip(images["chefer_on_object"], images["object_area"])]
    wrong = [i for i, (t, e) in enumerate(zip(truth, early)) if t != e]
    right = [i for i, (t, e) in enumerate(zip(truth, early)) if t == e]
    by_class = {}
    for index, label in enumerate(labels):
        mine = [i for i in wrong if truth[i] == index]
        if mine:
            by_class[label] = (len(mine), sum(final[i] == truth[i] for i in mine) / len(mine))
    return Misclassified(
        run["seed"], len(wrong), len(right), _mean_or_nan([excess[i] for i in wrong]),
        _mean_or_nan([excess[i] for i in right]),
        wilson(sum(final[i] == truth[i] for i in wrong), len(wrong)),
        wilson(sum(final[i] != truth[i] for i in right), len(right)), by_class)



def _mean_or_nan(values: list[float]) -> Interval:
    """mean_interval, or nan where no image falls in the group."""
    return mean_interval(values) if values else Interval(float("nan"), float("nan"), float("nan"))
