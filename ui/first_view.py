"""What the page shows before any click: an example selected, its Compare result, and the default Picasso face scored.

Computed once per pair and kept. `prepare` starts the computation at start-up on a background thread, so the server
answers as soon as it would without it (B4 in BENCHMARKS.md); each page load fetches the result (/first_view), waiting
for it only if a visitor comes within the first seconds. On ZeroGPU, where no GPU exists at start-up, the first visit
computes it. Its Markdown is written in the visitor's language: the English view is the one prepared at start-up, the
Persian one is computed on the first Persian visit (from the same cached analysis). A page opened from a shared link
(`?deep_link=`) keeps what the link restored instead.
"""
import threading
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from gradio.components.plot import PlotData
from gradio.processing_utils import encode_plot_to_base64

from runtime.memory import release_free_memory
from ui import explanations, panels
from ui.examples import first_example
from ui.strings import language

OUTPUTS = 10
"""The load event's outputs: /compare's eight, then /picasso_panel's two."""


@dataclass(frozen=True)
class FirstView:
    """The selected example and the outputs of the Compare and Picasso panels for it, at their default settings."""
    example: str
    compare: tuple
    picasso: tuple

    @property
    def outputs(self) -> tuple:
        return *self.compare, *self.picasso


_views: dict[tuple[str, str], FirstView] = {}
_picasso: dict[str, tuple] = {}  # per pair: the Picasso panel draws no text in the visitor's language
_lock = threading.Lock()


def first_view(pair_name: str) -> FirstView:
    """The pair's first view in the request's language, computed on the first call (later callers wait for it, then
    share it)."""
    key = (pair_name, language())
    with _lock:
        if key not in _views:
            example = first_example(pair_name)
            if pair_name not in _picasso:
                figure, numbers = panels.picasso_panel(pair_name, panels.DEFAULT_FACE_SEED)
                _picasso[pair_name] = (drawn(figure), numbers)
            _views[key] = FirstView(example, explanations.compare(example, pair_name), _picasso[pair_name])
        return _views[key]


def on_load(pair_name: str) -> Callable[[gr.Request], tuple]:
    """The page's load event: the pair's first view, or, on a page opened from a shared link, nothing (the link has
    restored the outputs as they were shared)."""
    def outputs(request: gr.Request) -> tuple:
        view = first_view(pair_name) if not opened_from_link(request) else None
        return view.outputs if view else (gr.skip(),) * OUTPUTS
    return outputs


def opened_from_link(request: gr.Request | None) -> bool:
    """Whether the page making this request was opened from a "Share this view" link."""
    return bool(request is not None and request.query_params.get("deep_link"))


def drawn(figure) -> PlotData:
    """A matplotlib figure as gr.Plot sends it (WebP), drawn once here rather than on every page load."""
    return PlotData(type="matplotlib", plot=encode_plot_to_base64(figure, "webp"))


def prepare(pair_name: str) -> None:
    """Compute the pair's first view on a background thread, then hand back to the kernel the memory its passes and
    figures left free, which no request would reuse before the first visitor's (B5 in BENCHMARKS.md, and its Notes:
    "B5: bfloat16 costs no memory")."""
    def compute() -> None:
        first_view(pair_name)
        release_free_memory()

    threading.Thread(target=compute, name="first-view", daemon=True).start()
