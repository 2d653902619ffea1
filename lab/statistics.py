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
