"""C12 traced through timm's Swin-T (random weights, float64): a W-MSA block stays in its window, the SW-MSA block
crosses it, and the traced reach equals counts made by hand and lab.reach's idealised count."""
import json

import numpy as np
import pytest

from lab.reach import window_labels
from lab.window_reach import TOLERANCE, predicted_reach, swin_gradient, swin_tiny, window_reach


@pytest.fixture(scope="module")
def swin_56():
    """Swin-T at 56 px: a 14 × 14 stage-1 grid, 2 × 2 windows of 7 × 7."""
    return swin_tiny(56)


def _reach(model, token, blocks) -> np.ndarray:
    return swin_gradient(model, token, blocks) > TOLERANCE


# Along one axis of the 14-patch grid, W-MSA's windows are 0–6 and 7–13; SW-MSA's, displaced by 3 with no
# wrap-around, are 0–2, 3–9 and 10–13. After W-MSA then SW-MSA, an index in 0–2 has seen 0–6 (7), one in 3–9
# has seen everything (14), one in 10–13 has seen 7–13 (7). Windows are products of the axes: multiply.
HAND_AFTER_TWO = [7] * 3 + [14] * 7 + [7] * 4


@pytest.mark.parametrize("token", [(0, 0), (0, 5), (5, 5), (12, 8), (6, 7)])
def test_traced_reach_equals_the_hand_count(swin_56, token):
    assert _reach(swin_56, token, 1).sum() == 49
    assert _reach(swin_56, token, 2).sum() == HAND_AFTER_TWO[token[0]] * HAND_AFTER_TWO[token[1]]


@pytest.mark.parametrize("token", [(0, 0), (3, 10), (6, 6), (7, 7), (13, 2)])
def test_w_msa_never_crosses_its_window(swin_56, token):
    labels = window_labels(14, 7, shifted=False)
    reached = _reach(swin_56, token, 1)
    np.testing.assert_array_equal(reached, labels == labels[token])


@pytest.mark.parametrize("token", [(6, 6), (7, 7), (3, 3)])
def test_sw_msa_crosses_the_window_border(swin_56, token):
    labels = window_labels(14, 7, shifted=False)
    reached = _reach(swin_56, token, 2)
    assert (reached & (labels != labels[token])).any()


@pytest.mark.parametrize("token, blocks", [((0, 0), 3), ((5, 9), 3), ((5, 9), 4), ((13, 13), 4)])
def test_traced_reach_across_patch_merging_equals_the_prediction(swin_56, token, blocks):
    np.testing.assert_array_equal(_reach(swin_56, token, blocks), predicted_reach(14, 7, token, blocks))


def test_the_mask_leaks_e_to_the_minus_100_across_the_edge(swin_56):
    gradient = swin_gradient(swin_56, (0, 0), 2)
    leaked = (gradient > 0) & (gradient <= TOLERANCE)
    # the corner's shifted sub-window shares a rolled window with the far edges': exactly, it reaches them
    assert leaked[13, 13] and leaked[0, 13] and leaked[13, 0]
    assert gradient[leaked].max() < 1e-40
    assert gradient[gradient > TOLERANCE].min() > 1e-15


def test_padding_after_the_shift_lets_tokens_wrap_around():
    # 48 px: a 12 × 12 grid padded to 14 after the cyclic shift; the mask, built on the padded grid, no longer keeps
    # rows 10–11 (brought next to rows 0–1 by the shift) apart: row 0 reaches across the edge with full weight.
    reached = _reach(swin_tiny(48), (0, 0), 2)
    assert reached[11, 0] and reached[10, 0]
    assert reached.sum() == 144  # without the wrap-around: rows 0–6 by columns 0–6, 49


def test_window_reach_result(tmp_path):
    result = window_reach(112, (5, 5), blocks=(1, 2, 4))
    assert result.side == 28 and result.window == 7
    assert result.counts["traced"] == result.counts["predicted"] == (49, 196, 441)
    assert result.counts["exact"][-1] > result.counts["traced"][-1]  # the mask's leak, counted at tolerance 0
    assert min(result.weakest_reached) > 1e-15 > 1e-30 > max(result.strongest_unreached)
    assert result.vit_traced.all() and result.vit_traced.shape == (7, 7)
    assert json.loads(json.dumps(result.to_json()))["counts"]["traced"] == [49, 196, 441]


def test_window_reach_refuses_a_token_off_the_grid():
    with pytest.raises(ValueError, match="outside"):
        window_reach(112, (28, 0), blocks=(1,))
