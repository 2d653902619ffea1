"""A figure check shared by the figure tests: it is a Figure, and it saves as a PNG of some width."""
from matplotlib.figure import Figure
from PIL import Image


def assert_saves(fig: Figure, path) -> None:
    """Fail unless `fig` is a Figure that saves to `path` as a picture wider than 200 pixels."""
    assert isinstance(fig, Figure)
    fig.savefig(path)
    assert Image.open(path).size[0] > 200
