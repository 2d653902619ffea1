"""C12 on every token: traced through timm's Swin-T at 56 px (a 14 × 14 grid of 2 × 2 windows), no token leaves its
window after the W-MSA block, and after the SW-MSA block exactly the tokens counted by hand do."""
import json

import pytest

from lab.window_crossing import WindowCrossing, sample_tokens, window_crossing


@pytest.fixture(scope="module")
def crossing_56() -> WindowCrossing:
    return window_crossing(56)


def test_every_token_is_traced(crossing_56):
    assert len(crossing_56.tokens) == 14 * 14 and crossing_56.side == 14 and crossing_56.window == 7
    assert {t.token for t in crossing_56.tokens} == {(r, c) for r in range(14) for c in range(14)}


def test_no_token_leaves_its_window_after_w_msa(crossing_56):
    assert crossing_56.crossed(1) == 0
    assert all(t.reached[0] == 49 for t in crossing_56.tokens)


# Along one axis SW-MSA's windows are 0–2, 3–9 and 10–13 (displaced by 3, no wrap-around): an index in 3–9 shares a
# shifted window with the other W-MSA window's side, one in 0–2 or 10–13 does not. A token stays inside when neither
# its row nor its column is in 3–9: 7 × 7 = 49 of 196.
def test_after_sw_msa_the_hand_counted_tokens_leave(crossing_56):
    assert crossing_56.crossed(2) == 196 - 49 == crossing_56.predicted_crossed(2)
    inside = {t.token for t in crossing_56.tokens if t.outside[1] == 0}
    assert inside == {(r, c) for r in (0, 1, 2, 10, 11, 12, 13) for c in (0, 1, 2, 10, 11, 12, 13)}
    assert crossing_56.as_predicted == 196


def test_json_round_trip(crossing_56):
    data = json.loads(json.dumps(crossing_56.to_json()))
    assert WindowCrossing.from_json(data) == crossing_56
    assert data["crossed"] == [0, 147] and data["columns"][:2] == ["row", "column"]


def test_a_sample_is_distinct_and_repeatable():
    first = sample_tokens(56, 64, seed=3)
    assert len(set(first)) == 64 and first == sample_tokens(56, 64, seed=3) != sample_tokens(56, 64, seed=4)
    assert all(0 <= r < 56 and 0 <= c < 56 for r, c in first)


def test_a_padded_grid_is_refused_by_name():
    with pytest.raises(ValueError, match="12 × 12 grid is not a whole number of 7 × 7 windows"):
        window_crossing(48, count=4)
