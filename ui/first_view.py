"""What the page shows before any click: an example selected, its Compare result, and the default Picasso face scored.

Computed once per pair and kept. `prepare` starts the computation at start-up on a background thread, so the server
answers as soon as it would without it (B4 in BENCHMARKS.md); each page load fetches the result (/first_view), waiting
for it only if a visitor comes within the first seconds. On ZeroGPU, where no GPU exists at start-up, the first visit
computes it.
"""
import threading
from dataclasses import dataclass

from gradio.components.plot import PlotData
from gradio.processing_utils import encode_plot_to_base64

from ui import explanations, panels
from ui.examples import first_example


@dataclass(frozen=True)
class FirstView:
    """The selected example and the outputs of the Compare and Picasso panels for it, at their default settings."""
    example: str
    compare: tuple
    picasso: tuple

    @property
    def outputs(self) -> tuple:
        return *self.compare, *self.picasso


_views: dict[str, FirstView] = {}
_lock = threading.Lock()


def first_view(pair_name: str) -> FirstView:
    """The pair's first view, computed on the first call (later callers wait for it, then share it)."""
    with _lock:
        if pair_name not in _views:
            example = first_example(pair_name)
            figure, numbers = panels.picasso_panel(pair_name, panels.DEFAULT_FACE_SEED)
            _views[pair_name] = FirstView(example, explanations.compare(example, pair_name), (drawn(figure), numbers))
        return _views[pair_name]


def drawn(figure) -> PlotData:
    """A matplotlib figure as gr.Plot sends it (WebP), drawn once here rather than on every page load."""
    return PlotData(type="matplotlib", plot=encode_plot_to_base64(figure, "webp"))


def prepare(pair_name: str) -> None:
    """Compute the pair's first view on a background thread."""
    threading.Thread(target=first_view, args=(pair_name,), name="first-view", daemon=True).start()
