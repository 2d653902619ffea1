"""One shared analysis per (pair, image, class): both models' passes, cached so panels never rerun a model."""
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import torch
from PIL import Image

from explain.passes import CnnPass, VitPass, cnn_pass, vit_pass
from models.pairs import Pair

CACHE_SIZE = 8
"""Analyses kept (least recently used dropped first); each holds activations and attention maps."""


@dataclass(frozen=True)
class Analysis:
    """Everything the panels show about one image under one pair."""
    pair: Pair
    image01: torch.Tensor  # [3, S, S] in [0, 1]: the shared crop both models see
    cnn: CnnPass
    vit: VitPass
    cnn_ms: float
    vit_ms: float


_cache: OrderedDict[tuple, Analysis] = OrderedDict()
_lock = threading.Lock()


def image_key(image: Image.Image) -> str:
    """A digest of the decoded pixels, so the same picture uploaded twice shares its analysis."""
    return hashlib.sha1(image.tobytes() + repr(image.size).encode()).hexdigest()


def analyse(pair: Pair, image: Image.Image, target: int | None = None) -> Analysis:
    """Both models' passes on one image, for `target` (None: each model's own top-1), from the cache if there."""
    key = (pair.name, image_key(image), target)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    image01 = pair.transform(image)
    start = time.perf_counter()
    cnn = cnn_pass(pair, image01, target)
    middle = time.perf_counter()
    vit = vit_pass(pair, image01, target)
    end = time.perf_counter()
    analysis = Analysis(pair, image01, cnn, vit, (middle - start) * 1e3, (end - middle) * 1e3)
    with _lock:
        _cache[key] = analysis
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return analysis
