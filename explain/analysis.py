"""One shared analysis per (pair, image): both models' passes, cached so panels never rerun a model.

A class other than a model's own top-1 reuses the image's passes: only the CNN's head, or the ViT's last block
and head, run again for its Grad-CAM. The cache keeps what the panels show, compactly: the top channels of each
CNN stage (all of layer4, which Grad-CAM needs) and the attention maps in float16 (their rounding, under 0.05 %
of a weight, is far below what a colour map can show).
"""
import dataclasses
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import torch
from PIL import Image

from explain.features import top_channels
from explain.passes import CnnPass, VitPass, cnn_gradcam, cnn_pass, vit_gradcam, vit_pass
from models.pairs import Pair

CACHE_SIZE = 8
"""Images kept (least recently used dropped first), each with its activations, maps and Grad-CAMs."""
SHOWN_CHANNELS = 16
"""Channels per CNN stage kept for the feature-map grid (ui.panels.inside shows this many)."""


@dataclass(frozen=True)
class Analysis:
    """Everything the panels show about one image under one pair, for one class (or each model's top-1)."""
    pair: Pair
    image01: torch.Tensor  # [3, S, S] in [0, 1]: the shared crop both models see
    cnn: CnnPass
    vit: VitPass
    cnn_ms: float
    vit_ms: float


@dataclass
class _Entry:
    analysis: Analysis  # for each model's own top-1 class
    by_class: dict[int, Analysis] = dataclasses.field(default_factory=dict)


_cache: OrderedDict[tuple, _Entry] = OrderedDict()
_lock = threading.Lock()


def image_key(image: Image.Image) -> str:
    """A digest of the decoded pixels, so the same picture uploaded twice shares its analysis."""
    return hashlib.sha1(image.tobytes() + repr(image.size).encode()).hexdigest()


def analyse(pair: Pair, image: Image.Image, target: int | None = None) -> Analysis:
    """Both models' passes on one image, Grad-CAM for `target` (None: each model's own top-1), cached."""
    key = (pair.name, image_key(image))
    with _lock:
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
    if entry is None:
        entry = _Entry(_first_analysis(pair, image))
        with _lock:
            _cache[key] = entry
            _cache.move_to_end(key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return entry.analysis if target is None else _for_class(entry, target)


def _first_analysis(pair: Pair, image: Image.Image) -> Analysis:
    image01 = pair.transform(image)
    start = time.perf_counter()
    cnn = cnn_pass(pair, image01)
    middle = time.perf_counter()
    vit = vit_pass(pair, image01)
    end = time.perf_counter()
    return Analysis(pair, image01, _compact_cnn(cnn), _compact_vit(vit), (middle - start) * 1e3, (end - middle) * 1e3)


def _for_class(entry: _Entry, target: int) -> Analysis:
    """The entry's analysis with both Grad-CAMs for `target`, computed once from the kept activations."""
    if target in entry.by_class:
        return entry.by_class[target]
    a = entry.analysis
    cnn = a.cnn if a.cnn.target == target else dataclasses.replace(
        a.cnn, gradcam=cnn_gradcam(a.pair, a.cnn.stages["layer4"], target)[1], target=target)
    vit = a.vit if a.vit.target == target else dataclasses.replace(
        a.vit, gradcam=vit_gradcam(a.pair, a.vit.last_input, target), target=target)
    result = dataclasses.replace(a, cnn=cnn, vit=vit)
    entry.by_class[target] = result
    return result


def _compact_cnn(cnn: CnnPass) -> CnnPass:
    stages = {name: act if name == "layer4" else top_channels(act, SHOWN_CHANNELS) for name, act in cnn.stages.items()}
    return dataclasses.replace(cnn, stages=stages)


def _compact_vit(vit: VitPass) -> VitPass:
    return dataclasses.replace(vit, maps=[m.half() for m in vit.maps])
