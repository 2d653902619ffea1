"""Reachability of C12 against counts worked out by hand on a 4 × 4 grid with 2 × 2 windows."""
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from figures.reach import reach_figure
from lab.reach import SCHEMES, reach, reach_counts, window_labels

# 4 × 4 grid, M = 2. Along one axis, W-MSA's windows are {0, 1} {2, 3}; SW-MSA's, displaced by 1 with no
# wrap-around, are {0} {1, 2} {3}. Along one axis after W-MSA every index has seen its pair: 2 each. After SW-MSA,
# 0 sees {0, 1} (2), 1 sees {0, 1} ∪ {2, 3} (4), 2 the same (4), 3 sees {2, 3} (2). A third layer (W-MSA again)
# gives 0 the union of 0's and 1's sets: everything (4), and so for all. Windows are products of the two axes, so a
# token's count is the product of its row's and its column's.
HAND_ALTERNATING = {
    1: np.full((4, 4), 4),
    2: np.outer([2, 4, 4, 2], [2, 4, 4, 2]),
    3: np.full((4, 4), 16),
}


def _windows(labels: np.ndarray) -> set[frozenset]:
    """The partition as sets of (row, column) tokens."""
    return {frozenset(zip(*np.nonzero(labels == label))) for label in np.unique(labels)}


def _block(rows: range, columns: range) -> frozenset:
    return frozenset((r, c) for r in rows for c in columns)


def test_window_partitions_by_hand():
    halves = [range(0, 2), range(2, 4)]
    displaced = [range(0, 1), range(1, 3), range(3, 4)]  # no wrap-around: edge windows are smaller
    assert _windows(window_labels(4, 2, shifted=False)) == {_block(r, c) for r in halves for c in halves}
    assert _windows(window_labels(4, 2, shifted=True)) == {_block(r, c) for r in displaced for c in displaced}


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_alternating_windows_match_the_hand_count(depth):
    np.testing.assert_array_equal(reach_counts(4, 2, "W-MSA / SW-MSA", depth), HAND_ALTERNATING[depth])


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_windows_alone_never_leave_the_window_and_global_sees_everything(depth):
    np.testing.assert_array_equal(reach_counts(4, 2, "W-MSA only", depth), np.full((4, 4), 4))
    np.testing.assert_array_equal(reach_counts(4, 2, "global MSA", depth), np.full((4, 4), 16))


def test_reach_summary_on_the_small_grid():
    result = reach(4, 2, layers=(1, 2, 3))
    assert result.tokens == 16
    assert result.mean == {"global MSA": (16, 16, 16), "W-MSA only": (4, 4, 4), "W-MSA / SW-MSA": (4, 9, 16)}
    assert result.central == {"global MSA": (16, 16, 16), "W-MSA only": (4, 4, 4), "W-MSA / SW-MSA": (4, 16, 16)}


def test_count_is_the_product_of_the_two_axes_on_a_larger_grid():
    counts = reach_counts(12, 3, "W-MSA / SW-MSA", 3)
    along = np.sqrt(np.diag(counts)).astype(int)  # the same partition on both axes: counts[i, j] = a[i] * a[j]
    np.testing.assert_array_equal(counts, np.outer(along, along))
    assert 9 < counts.mean() < 144


def test_swin_stage_one_numbers():
    result = reach(56, 7, layers=(1, 2, 4, 8))
    assert result.mean["global MSA"] == (3136,) * 4
    assert result.mean["W-MSA only"] == (49,) * 4
    assert result.central["W-MSA / SW-MSA"] == (49, 196, 784, 3136)  # 7, 14, 28, 56 along each axis
    assert result.mean["W-MSA / SW-MSA"][0] == 49 and result.mean["W-MSA / SW-MSA"][-1] == 42 ** 2


def test_grid_must_hold_whole_windows():
    with pytest.raises(ValueError, match="multiple"):
        reach(10, 3)
    with pytest.raises(ValueError, match="scheme"):
        reach_counts(4, 2, "sliding", 1)
    assert SCHEMES == ("global MSA", "W-MSA only", "W-MSA / SW-MSA")


def test_reach_figure_draws_every_scheme(tmp_path):
    result = reach(8, 2, layers=(1, 2, 4))
    fig = reach_figure(result)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    drawn = {tuple(line.get_ydata()) for line in ax.get_lines()}
    for scheme in SCHEMES:
        assert tuple(result.mean[scheme]) in drawn and tuple(result.central[scheme]) in drawn
    fig.savefig(tmp_path / "reach.png")
    assert Image.open(tmp_path / "reach.png").size[0] > 200
