"""Means and proportions with 95% confidence intervals, for dataset-level measurements."""
import math
from collections.abc import Iterator
from dataclasses import dataclass

Z95 = 1.959964


@dataclass(frozen=True)
class Interval:
    """A measured value with its 95% interval; unpacks as (value, low, high) and is written as that list."""
    value: float
    low: float
    high: float

    def __iter__(self) -> Iterator[float]:
        return iter((self.value, self.low, self.high))

    def to_json(self) -> list[float]:
        """[value, low, high]."""
        return [self.value, self.low, self.high]


def mean_ci(values: list[float]) -> tuple[float, float]:
    """The mean and the half-width of its normal-approximation 95% interval."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan")
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, Z95 * math.sqrt(variance / n)


def wilson(successes: int, n: int) -> Interval:
    """A proportion with its Wilson 95% interval."""
    if n == 0:
        return Interval(float("nan"), float("nan"), float("nan"))
    p = successes / n
    denominator = 1 + Z95 ** 2 / n
    centre = (p + Z95 ** 2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)
"""Student's t 0.975 quantiles for 1 to 10 degrees of freedom (larger: the normal's Z95 is close enough)."""


def pooled_share(shares: list[float], counts: list[int]) -> Interval:
    """A share measured on several independently trained models, pooled so its interval covers both the variation
    between the models and the sampling of each: (mean of the runs' shares, low, high), where the interval is the
    t interval of the runs' mean (k − 1 degrees of freedom), widened where needed to hold the Wilson interval of all
    the runs' counts together. One run: its Wilson interval."""
    k = len(shares)
    successes = sum(round(s * n) for s, n in zip(shares, counts))
    _, low, high = wilson(successes, sum(counts))
    mean = sum(shares) / k
    if k < 2:
        return Interval(mean, low, high)
    sd = math.sqrt(sum((s - mean) ** 2 for s in shares) / (k - 1))
    t = T975[k - 2] if k - 1 <= len(T975) else Z95
    half = t * sd / math.sqrt(k)
    return Interval(mean, max(0.0, min(mean - half, low)), min(1.0, max(mean + half, high)))
