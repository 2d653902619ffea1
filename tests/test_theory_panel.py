"""The Theory tab's reach plot (C12): the counts it draws are lab.reach's, and bad windows get clear messages."""
import gradio as gr
import pytest

from lab.reach import SCHEMES, reach
from ui import panels


def test_reach_plot_draws_the_exact_counts():
    figure = panels.window_reach(7)
    expected = reach(side=panels.REACH_SIDE, window=7)
    drawn = {line.get_label(): list(line.get_ydata()) for line in figure.axes[0].lines}
    for scheme in SCHEMES:
        assert drawn[scheme] == list(expected.mean[scheme])
    assert expected.mean["W-MSA only"][-1] == 49 and expected.central["W-MSA / SW-MSA"][-1] == 56 * 56


@pytest.mark.parametrize("M, message", [(5, "multiple of the window"), (1, "between 2 and 28")])
def test_bad_windows_are_refused_by_name(M, message):
    with pytest.raises(gr.Error, match=message):
        panels.window_reach(M)
