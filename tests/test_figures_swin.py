"""Swin's figures: cost curves, windows on an image, traced reach maps (small inputs, random weights)."""
import numpy as np
import pytest
from PIL import Image

from figures.swin import window_attention_figure, window_edges, cost_figure, reach_maps_figure, windows_figure
from lab.attention_cost import AttentionCost, ModelCost, growth_exponent
from lab.swin_view import SwinWindowAttention, window_of
from lab.window_reach import window_reach
from tests.saved_figure import assert_saves


def _cost(name: str, tokens: tuple[int, ...], power: float, attention: bool) -> ModelCost:
    flops = tuple(int(1e6 * n ** power) for n in tokens)
    ms = tuple(1e-3 * n ** power for n in tokens)
    fit = growth_exponent(tokens, flops)
    part = flops if attention else (0,) * len(tokens)
    predicted, part_fit = (flops, fit) if attention else (None, None)
    return ModelCost(name, tokens, flops, part, part, predicted, predicted, ms, fit, part_fit, part_fit, part_fit,
                     part_fit, growth_exponent(tokens, ms))


def test_cost_figure(tmp_path):
    result = AttentionCost((224, 448, 672), 1, 2, (_cost("DeiT-S", (196, 784, 1764), 1.4, True),
                                                    _cost("Swin-T", (3136, 12544, 28224), 1.0, True),
                                                    _cost("ResNet-50", (3136, 12544, 28224), 1.0, False)))
    fig = cost_figure(result)
    assert [ax.get_xscale() for ax in fig.axes] == ["log", "log"]
    assert any("tokens^1.40" in text.get_text() for text in fig.axes[0].get_legend().get_texts())
    assert any("mixing (QKᵀ, AV)" in text.get_text() for text in fig.axes[0].get_legend().get_texts())
    assert_saves(fig, tmp_path / "cost.png")


def testwindow_edges_follow_swin():
    assert window_edges(14, 7, shifted=False) == [7]
    assert window_edges(14, 7, shifted=True) == [3, 10]
    assert window_edges(7, 7, shifted=True) == []  # one window fills the grid: no shift


@pytest.mark.parametrize("stage", [1, 2, 4])
def test_windows_figure(tmp_path, stage):
    image = Image.fromarray(np.random.default_rng(0).integers(0, 255, (100, 150, 3), dtype=np.uint8))
    fig = windows_figure(image, stage)
    lines = [len(ax.get_lines()) for ax in fig.axes]
    assert lines == ([2 * 7, 2 * 8] if stage == 1 else [0, 0] if stage == 4 else [2 * 3, 2 * 4])
    assert_saves(fig, tmp_path / "windows.png")


def test_windows_figure_hatches_the_wrapped_windows_and_marks_the_token(tmp_path):
    fig = windows_figure(Image.new("RGB", (224, 224)), 1, token=(55, 0))
    regular, shifted = fig.axes
    assert len(regular.patches) == 0 and len(shifted.patches) == 4  # the four edge strips
    assert len(shifted.get_lines()) == 2 * 8 + 1  # the shifted windows' edges and the token
    assert "wraps" in shifted.get_title()
    assert_saves(fig, tmp_path / "windows_token.png")


def _attention(shift: int, query: tuple[int, int]) -> SwinWindowAttention:
    index, place, keys, wrapped = window_of(56, 7, shift, query)
    probabilities = np.full(49, 1 / 49)
    return SwinWindowAttention(1, 2 if shift else 1, 1, 3, query, query, 56, 4, 7, shift, index, wrapped, tuple(keys),
                               probabilities, np.zeros(49, dtype=bool), {"source": "random init", "repo": "r",
                                                                         "seed": 0})


@pytest.mark.parametrize("shift, query, pieces", [(0, (20, 30), 1), (3, (20, 30), 1), (3, (55, 0), 4),
                                                  (3, (20, 0), 2)])
def test_window_attention_figure_outlines_each_piece_of_the_window(tmp_path, shift, query, pieces):
    fig = window_attention_figure(_attention(shift, query), Image.new("RGB", (300, 200)))
    image_ax = fig.axes[0]
    assert len(image_ax.patches) == pieces
    assert ("wraps" in image_ax.get_title()) == (pieces > 1)
    assert "random init" in fig.get_suptitle()
    assert_saves(fig, tmp_path / "attention.png")


def test_windows_figure_refuses_a_stage():
    with pytest.raises(ValueError, match="stages"):
        windows_figure(Image.new("RGB", (8, 8)), 5)


def test_reach_maps_figure(tmp_path):
    result = window_reach(112, (5, 5), blocks=(1, 2, 4))
    fig = reach_maps_figure(result)
    assert len(fig.axes) == 4
    assert "196 patches" in fig.axes[1].get_title()
    assert "49 of 49" in fig.axes[3].get_title()
    assert_saves(fig, tmp_path / "reach.png")
    with pytest.raises(ValueError, match="not"):
        reach_maps_figure(result, blocks=(3,))


def test_crossing_figure_marks_where_traced_and_predicted_differ(tmp_path):
    from figures.swin import crossing_figure
    from lab.window_crossing import TokenCrossing, WindowCrossing

    tokens = (TokenCrossing((0, 0), (49, 49), (0, 0), (49, 49), (0, 0), (True, True)),
              TokenCrossing((5, 5), (49, 98), (0, 49), (49, 98), (0, 49), (True, True)),
              TokenCrossing((9, 9), (49, 144), (0, 95), (49, 196), (0, 147), (True, False)))  # traced ≠ predicted
    fig = crossing_figure(WindowCrossing(56, 14, 7, 1e-20, 0, tokens))
    titles = [ax.get_title() for ax in fig.axes[:2]]
    assert "0 of 3 tokens" in titles[0] and "2 of 3 tokens" in titles[1]
    assert titles[1].endswith("traced ≠ predicted (red ×): 1") and titles[0].endswith("(red ×): 0")
    assert_saves(fig, tmp_path / "crossing.png")
