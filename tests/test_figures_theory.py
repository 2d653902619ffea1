"""The theory tab's figures: Swin's attention cost (with and without timings) and a real pair's parameters."""
import pytest

from figures.theory import complexity_figure, parameter_figure
from lab.theory import parameter_breakdown
from tests.saved_figure import assert_saves


@pytest.mark.parametrize("timings", [None, [{"global_ms": 0.1, "windowed_ms": 0.1},
                                            {"global_ms": 0.9, "windowed_ms": 0.3}]])
def test_complexity_figure(tmp_path, timings):
    fig = complexity_figure(96, 7, [7, 14], timings)
    assert len(fig.axes) == (2 if timings else 1)
    assert fig.axes[0].get_yscale() == "log"
    assert_saves(fig, tmp_path / "complexity.png")


def test_parameter_figure(tiny_pair, tmp_path):
    fig = parameter_figure(parameter_breakdown(tiny_pair.cnn), parameter_breakdown(tiny_pair.vit))
    assert fig.axes[0].get_xlabel() == "parameters"
    assert_saves(fig, tmp_path / "parameters.png")
