"""Means and proportions with 95% intervals, against values published or worked out by hand."""
import math

import pytest

from lab.statistics import Interval, mean_ci, mean_interval, pooled_counts, pooled_over_runs, t975, wilson

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


def test_an_interval_is_one_small_type():
    interval = wilson(8, 10)
    assert isinstance(interval, Interval) and interval.value == 0.8
    value, low, high = interval  # unpacks as (value, low, high)
    assert interval.to_json() == [value, low, high] == list(interval)
    assert mean_interval([1.0, 3.0]) == Interval(2.0, 2.0 - 1.959964 * 1.0, 2.0 + 1.959964 * 1.0)


def test_t_quantiles_by_table():
    assert t975(1) == 12.7062 and t975(2) == 4.3027 and t975(30) == 2.0423 and t975(200) == 1.959964


def test_pooled_over_three_runs_by_hand():
    # runs 45/50, 40/50, 48/50: shares 0.90, 0.80, 0.96, mean 0.886667; sd √((0.013333² + 0.086667² + 0.073333²)/2)
    # = 0.080829; t(2) = 4.3027: half 4.3027 · 0.080829 / √3 = 0.200791 -> 0.685876 … 1.087458, clipped to 1.
    # Wilson of 133/150 (0.8260–0.9280) lies inside, so the runs' spread decides.
    assert tuple(pooled_counts([(45, 50), (40, 50), (48, 50)])) == pytest.approx((0.886667, 0.685876, 1.0),
                                                                                 abs=5e-6)


def test_identical_runs_keep_the_wilson_interval_of_their_pooled_counts():
    # three runs at 8/10: no spread between runs, so the interval is Wilson's for 24/30 (wider than 0 ± 0)
    assert tuple(pooled_counts([(8, 10)] * 3)) == pytest.approx(tuple(wilson(24, 30)))
    assert pooled_counts([(8, 10)]) == wilson(8, 10)  # one run: its own interval


def test_pooled_intervals_without_counts_contain_the_runs_average_interval():
    runs = [Interval(0.5, 0.4, 0.6), Interval(0.7, 0.6, 0.8)]
    # mean 0.6, sd 0.141421, t(1) = 12.7062: half 12.7062 · 0.141421 / √2 = 1.27062 -> [0, 1] for a share
    assert pooled_over_runs(runs) == Interval(pytest.approx(0.6), 0.0, 1.0)
    assert tuple(pooled_over_runs(runs, share=False)) == pytest.approx((0.6, 0.6 - 1.27062, 0.6 + 1.27062))
    same = [Interval(0.5, 0.4, 0.6)] * 3
    assert tuple(pooled_over_runs(same)) == pytest.approx((0.5, 0.4, 0.6))
