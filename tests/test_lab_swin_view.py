"""Swin-T's view: the windows a token attends in are timm's, the recomputed attention is timm's, the hooks go away,
bad settings get their own messages, and the weights say where they come from."""
import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file
from timm.models.swin_transformer import window_partition

from explain.window_attention import WindowAttentionInputs, attention_output, attention_probabilities
from lab.attention_cost import AttentionCost
from lab.swin_view import (SIDE, check_token, recorded_cost, stage_block, swin_crop,
                           swin_input, traced_reach, window_attention, window_of)
from models.swin import HUB_CACHE, RANDOM_INIT, SWIN_MODEL, load_swin
from runtime.messages import UserError
from ui.examples import EXAMPLES_DIR

CAT = EXAMPLES_DIR / "photo_cat_chelsea.jpg"


@pytest.fixture(scope="module")
def weights():
    return load_swin()


@pytest.fixture(scope="module")
def crop() -> Image.Image:
    return swin_crop(Image.open(CAT))


def timm_windows(side: int, window: int, shift: int) -> np.ndarray:
    """[windows, window²] the token indices (row × side + column) of each window, as timm's block cuts them."""
    grid = torch.arange(side * side).reshape(1, side, side, 1)
    rolled = torch.roll(grid, shifts=(-shift, -shift), dims=(1, 2)) if shift else grid
    return window_partition(rolled, (window, window)).reshape(-1, window * window).numpy()


@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_every_tokens_window_is_the_one_timm_cuts(weights, stage):
    for block in (1, 2):
        swin_block = stage_block(weights.model, stage, block)
        window, shift = swin_block.window_size[0], swin_block.shift_size[0]
        side = SIDE // 2 ** (stage - 1)
        expected = timm_windows(side, window, shift)
        for query in [(0, 0), (side - 1, side - 1), (side // 2, 1), (2, side - 3)]:
            index, place, keys, _ = window_of(side, window, shift, query)
            assert [r * side + c for r, c in keys] == list(expected[index])
            assert keys[place] == query


def test_shifted_windows_are_offset_by_three_tokens_and_wrap_at_the_edges():
    assert window_of(56, 7, 0, (3, 3))[2][0] == (0, 0)  # W-MSA: windows start at multiples of 7
    _, _, keys, wrapped = window_of(56, 7, 3, (3, 3))
    assert keys[0] == (3, 3) and keys[-1] == (9, 9) and not wrapped  # SW-MSA: 3 tokens further
    _, _, keys, wrapped = window_of(56, 7, 3, (0, 30))
    assert wrapped and sorted({r for r, _ in keys}) == [0, 1, 2, 52, 53, 54, 55]  # the top strip with the bottom one
    assert not window_of(56, 7, 0, (0, 0))[3]  # a regular window never wraps


def test_stage_grids_and_shifts_follow_swin_t(weights):
    shifts = [[block.shift_size[0] for block in stage.blocks] for stage in weights.model.layers]
    assert shifts == [[0, 3], [0, 3], [0, 3] * 3, [0, 0]]  # stage 4's 7 × 7 grid is one window: no shift
    assert [stage.blocks[0].attn.num_heads for stage in weights.model.layers] == [3, 6, 12, 24]


@pytest.mark.parametrize("stage, block", [(1, 1), (1, 2), (3, 4)])
@pytest.mark.parametrize("fused", [False, True])
def test_recomputed_attention_gives_timms_output(weights, crop, stage, block, fused):
    attention = stage_block(weights.model, stage, block).attn
    default = attention.fused_attn
    attention.fused_attn = fused
    try:
        with WindowAttentionInputs(attention) as captured, torch.inference_mode():
            weights.model.forward_features(swin_input(weights.model, crop))
            recomputed = attention_output(attention, captured.x, attention_probabilities(attention, captured.x,
                                                                                          captured.mask))
    finally:
        attention.fused_attn = default
    assert (captured.mask is not None) == (block % 2 == 0)
    tolerance = {"atol": 1e-5, "rtol": 1e-4} if fused else {"atol": 0, "rtol": 0}  # unfused: the very same operations
    torch.testing.assert_close(recomputed, captured.output, **tolerance)


def test_the_hooks_are_removed_after_use(weights, crop):
    attention = stage_block(weights.model, 1, 1).attn
    with WindowAttentionInputs(attention) as captured, torch.inference_mode():
        weights.model.forward_features(swin_input(weights.model, crop))
    kept = captured.x
    with torch.inference_mode():
        weights.model.forward_features(swin_input(weights.model, crop.rotate(90)))
    assert captured.x is kept
    # internal: the test checks that no hook outlives the block
    assert not attention._forward_hooks and not attention._forward_pre_hooks


def test_a_wrapped_windows_masked_keys_get_no_attention(weights, crop):
    result = window_attention(weights, crop, 1, 2, 3, (55, 0))
    assert result.kind == "SW-MSA" and result.wrapped and result.shift == 3
    assert result.masked.sum() == 49 - 12  # the query's piece: 4 rows × 3 columns at the bottom-left
    assert result.probabilities[result.masked].max() < 1e-40
    assert result.probabilities.sum() == pytest.approx(1.0) and result.heat().sum() == pytest.approx(1.0)
    regular = window_attention(weights, crop, 2, 1, 6, (20, 30))
    assert regular.kind == "W-MSA" and regular.query == (10, 15) and not regular.masked.any()
    assert regular.to_json()["weights"]["source"] == weights.source


@pytest.mark.parametrize("stage, block, head, token, key", [
    (5, 1, 1, (0, 0), "swin_stage_range"), (1, 3, 1, (0, 0), "swin_block_range"),
    (1, 1, 4, (0, 0), "swin_head_range"), (1, 1, 1, (56, 0), "swin_token_range"),
    (1, 1, 1, (0, -1), "swin_token_range")])
def test_bad_settings_get_their_own_messages(weights, crop, stage, block, head, token, key):
    with pytest.raises(UserError) as error:
        window_attention(weights, crop, stage, block, head, token)
    assert error.value.key == key


def test_the_head_message_names_the_stages_heads(weights, crop):
    with pytest.raises(UserError, match="Stage 2 of Swin-T has 6 heads"):
        window_attention(weights, crop, 2, 1, 7, (0, 0))


def test_without_cached_weights_swin_t_is_random_and_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    weights = load_swin()
    assert weights.source == RANDOM_INIT
    assert weights.to_json() == {"source": "random init", "repo": f"timm/{SWIN_MODEL}", "seed": 0}


def test_with_cached_weights_swin_t_loads_them(monkeypatch, hub_cache):
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    weights = load_swin()
    assert weights.source == HUB_CACHE and weights.seed is None
    stored = load_file(weights.file)
    assert all(torch.equal(stored[name], value) for name, value in weights.model.state_dict().items())


def test_the_reach_traced_with_the_views_weights_is_one_window_after_one_block(weights):
    result = traced_reach(weights, (28, 28), (1,))
    assert result.counts["traced"] == (49,) == result.counts["predicted"]
    assert result.vit_traced.all()
    with pytest.raises(UserError, match="blocks"):
        traced_reach(weights, (28, 28), (5,))
    with pytest.raises(UserError, match="outside"):
        check_token((0, 56))


def test_the_recorded_cost_curve_reads_back():
    recorded = recorded_cost()
    cost = AttentionCost.from_json(recorded)
    assert [m.name for m in cost.models] == ["DeiT-S", "Swin-T", "ResNet-50"]
    assert cost.to_json() == {key: value for key, value in recorded.items() if key != "provenance"}
