"""Means and proportions with 95% intervals, against values published or worked out by hand."""
import math

import pytest

from lab.statistics import Interval, mean_ci, wilson

NEWCOMBE_1998 = [  # successes, n, Wilson score interval (Newcombe 1998, Stat. Med. 17:857, Table I, method 3)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize("successes, n, low, high", NEWCOMBE_1998)
def test_wilson_matches_published_intervals(successes, n, low, high):
    interval = wilson(successes, n)
    assert interval.value == successes / n
    assert (interval.low, interval.high) == pytest.approx((low, high), abs=5e-5)


def test_wilson_for_8_of_10_by_hand():
    # z² = 3.8415: centre (0.8 + z²/20) / (1 + z²/10) = 0.7167, half z·√(0.016 + z²/400) / (1 + z²/10) = 0.2266
    assert wilson(8, 10).to_json() == pytest.approx([0.8, 0.4902, 0.9433], abs=5e-5)


@pytest.mark.parametrize("n", [1, 10, 37])
def test_wilson_is_symmetric_and_stays_in_0_1(n):
    for successes in range(n + 1):
        share, mirrored = wilson(successes, n), wilson(n - successes, n)
        assert 0.0 <= share.low <= share.value + 1e-12 and share.value <= share.high + 1e-12 and share.high <= 1.0
        assert (share.low, share.high) == pytest.approx((1 - mirrored.high, 1 - mirrored.low), abs=1e-12)
    assert wilson(0, n).low == pytest.approx(0.0, abs=1e-12) and wilson(n, n).high == pytest.approx(1.0, abs=1e-12)


def test_wilson_narrows_as_n_grows():
    widths = [wilson(n // 2, n).high - wilson(n // 2, n).low for n in (10, 100, 1000)]
    assert widths[0] > widths[1] > widths[2]
    assert widths[2] == pytest.approx(2 * 1.959964 * math.sqrt(0.25 / 1000), rel=5e-3)  # near the normal one


def test_wilson_of_nothing_is_undefined():
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_an_interval_unpacks_and_is_written_as_value_low_high():
    interval = Interval(0.5, 0.25, 0.75)
    value, low, high = interval
    assert (value, low, high) == (0.5, 0.25, 0.75) and interval.to_json() == [0.5, 0.25, 0.75]
    assert list(wilson(3, 4)) == wilson(3, 4).to_json()


def test_mean_ci_by_hand():
    # sample variance of 1..5 is 2.5: half-width 1.959964 · √(2.5 / 5) = 1.38590
    assert mean_ci([1.0, 2.0, 3.0, 4.0, 5.0]) == pytest.approx((3.0, 1.38590), abs=5e-6)
    assert mean_ci([0.25, 0.75]) == pytest.approx((0.5, 1.959964 * math.sqrt(0.125 / 2)))
    assert mean_ci([0.5] * 4) == (0.5, 0.0)


def test_mean_ci_of_one_value_has_no_width():
    mean, half = mean_ci([0.7])
    assert mean == 0.7 and math.isnan(half)
