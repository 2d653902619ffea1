"""Means and proportions with 95% confidence intervals, for dataset-level measurements, and figures pooled over
several training runs."""
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Z95 = 1.959964
T975 = (12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788, 2.1604,
        2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
        2.0518, 2.0484, 2.0452, 2.0423)
"""Student's t 0.975 quantile for 1–30 degrees of freedom (beyond 30, Z95 is within 2.5% of it)."""


@dataclass(frozen=True)
class Interval:
    """A measured value with its 95% interval."""
    value: float
    low: float
    high: float

    def to_json(self) -> list[float]:
        """[value, low, high], as results files store it."""
        return [self.value, self.low, self.high]

    def __iter__(self) -> Iterator[float]:
        return iter((self.value, self.low, self.high))


def mean_ci(values: list[float]) -> tuple[float, float]:
    """The mean and the half-width of its normal-approximation 95% interval."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan")
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, Z95 * math.sqrt(variance / n)


def mean_interval(values: Sequence[float]) -> Interval:
    """The mean of per-image values with its normal-approximation 95% interval."""
    mean, half = mean_ci(list(values))
    return Interval(mean, mean - half, mean + half)


def wilson(successes: int, n: int) -> Interval:
    """A proportion with its Wilson 95% interval."""
    if n == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    p = successes / n
    denominator = 1 + Z95 ** 2 / n
    centre = (p + Z95 ** 2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def t975(degrees_of_freedom: int) -> float:
    """Student's t 0.975 quantile."""
    return T975[degrees_of_freedom - 1] if degrees_of_freedom <= len(T975) else Z95


def pooled_over_runs(runs: Sequence[Interval], within: Interval | None = None, share: bool = True) -> Interval:
    """One figure over k training runs: the mean of the runs' values, with mean ± t(k−1, 0.975)·sd/√k over the
    runs, widened to contain `within` (the interval of the pooled observations: for shares of images, the Wilson
    interval of the pooled counts; default, the runs' own intervals averaged), clipped to [0, 1] for a share."""
    values = [run.value for run in runs]
    k = len(values)
    mean = sum(values) / k
    if within is None:
        within = Interval(mean, sum(run.low for run in runs) / k, sum(run.high for run in runs) / k)
    low, high = within.low, within.high
    if k > 1:
        sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (k - 1))
        half = t975(k - 1) * sd / math.sqrt(k)
        low, high = min(low, mean - half), max(high, mean + half)
    if share:
        low, high = max(low, 0.0), min(high, 1.0)
    return Interval(mean, low, high)


def pooled_counts(counts: Sequence[tuple[int, int]]) -> Interval:
    """Shares of images from k training runs, (successes, images) each, pooled by pooled_over_runs with the Wilson
    interval of the pooled counts."""
    return pooled_over_runs([wilson(s, n) for s, n in counts],
                            wilson(sum(s for s, _ in counts), sum(n for _, n in counts)))
