"""Weights for the benchmarked Hub pair: the real ones if cached, else random-init ones of the same architectures."""
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from harness.hub_cache import add_to_hub_cache
from models.hub import cached_files
from models.pairs import HUB_PAIRS

HUB_PAIR = "resnet50-vs-deit-small"
_SETTINGS = ("HF_HUB_CACHE", "HF_HUB_OFFLINE")


@contextlib.contextmanager
def hub_weights(pair: str = HUB_PAIR) -> Iterator[str]:
    """Make `pair` loadable offline in this process and its children; yield where its weights come from.

    When the Hub cache lacks the pair, a temporary cache of random-init weights of the same timm architectures
    is built and HF_HUB_CACHE points at it: same shapes, so the same arithmetic and the same cost.
    """
    spec = HUB_PAIRS[pair]
    saved = {name: os.environ.get(name) for name in _SETTINGS}
    try:
        if all(cached_files(repo) for repo in spec.repos):
            os.environ["HF_HUB_OFFLINE"] = "1"
            yield f"the real `{spec.cnn_model}` and `{spec.vit_model}` weights, from the Hub cache"
            return
        with tempfile.TemporaryDirectory(prefix="benchmark-hub-") as cache:
            for model in (spec.cnn_model, spec.vit_model):
                add_to_hub_cache(Path(cache), model)
            os.environ |= {"HF_HUB_CACHE": cache, "HF_HUB_OFFLINE": "1"}
            yield (f"**random-init** weights of the same architectures (`{spec.cnn_model}`, `{spec.vit_model}`), "
                   "built into a temporary Hub cache because the real weights are not cached on this machine: "
                   "same shapes, so the same arithmetic and the same cost")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
