"""Which pair the app serves: the default at start, and switching pairs without ever losing the current one."""
import logging
import os

import gradio as gr

from models import PAIRS, load_pair
from models.bundled import WeightsError
from models.hub import WeightsUnavailable
from models.pairs import Pair
from runtime.messages import Message, UserError
from ui.gpu import on_zerogpu
from ui.layout import pair_markdown
from ui.requests import TOP_CLASS
from ui.strings import t, text, translated

log = logging.getLogger(__name__)
SPACE_PAIR = "resnet50-vs-deit-small"
PAIR_ENV = "CNN_VIT_PAIR"


def default_pair() -> str:
    """$CNN_VIT_PAIR if set, the Hub pair on a Hugging Face Space (which preloads it), else the bundled toy pair."""
    return os.environ.get(PAIR_ENV) or (SPACE_PAIR if os.environ.get("SPACE_ID") else "toy")


def startup_pair(name: str) -> Pair:
    """Load the pair to serve first; fall back to the toy pair if it can't be had, stop if even that fails. On
    ZeroGPU, load every other pair whose weights are at hand too (the Space preloads them): models reach the GPU
    there only if they are placed on it at start-up."""
    pair = _first_pair(name)
    if on_zerogpu():
        for other in PAIRS:
            try:
                load_pair(other)
            except (WeightsUnavailable, WeightsError) as error:
                log.warning("%s; on ZeroGPU, %s can't be served: models reach the GPU from start-up only.", error,
                            other)
    return pair


def _first_pair(name: str) -> Pair:
    if name not in PAIRS:
        raise SystemExit(str(Message("unknown_pair", name=name, pairs=", ".join(PAIRS))))
    try:
        return load_pair(name)
    except (WeightsUnavailable, WeightsError) as error:
        if name == "toy":
            raise SystemExit(f"Cannot start: {error}") from None
        log.warning("%s; serving the toy pair instead.", error)
        print(f"warning: {error}\nServing the bundled toy pair instead.", flush=True)
        return _first_pair("toy")


def choose_pair(name: str, current: str, progress=gr.Progress(track_tqdm=True)):
    """Switch to `name`, loading it on first use; if it can't be had, say why and keep serving `current`."""
    try:
        if name not in PAIRS:
            raise UserError("unknown_pair", name=name, pairs=", ".join(PAIRS))
        progress(0.1, desc=translated(Message("loading_pair", name=name)))
        pair = load_pair(name)
    except (WeightsUnavailable, WeightsError, ValueError) as error:
        gr.Warning(text("still_serving", error=translated(error), current=current))
        return current, current, gr.update(), gr.update(), gr.update(), gr.update()
    layers, heads = len(pair.vit.encoder.layers), pair.vit.num_heads
    return (name, name, pair_markdown(pair),
            gr.update(choices=class_choices(pair), value=TOP_CLASS),
            gr.update(maximum=layers, value=1), gr.update(maximum=heads, value=0))


def class_choices(pair: Pair) -> list[tuple]:
    """The class chooser's choices: each model's top class (its words translated), then the pair's labels."""
    return [(t("top_class"), TOP_CLASS)] + [(label, label) for label in pair.labels]
