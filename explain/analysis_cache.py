"""The analysis cache: one shared analysis per (pair, image), both models' passes, kept so panels don't rerun them for
the same image.

A class other than a model's own top-1 reuses the image's passes where it can: only the CNN's head runs again for
its Grad-CAM; the ViT runs again (forward and backward), since Chefer's map needs every layer's attention gradient.
The cache keeps what the panels show, compactly: the top channels of each CNN stage (all of layer4, which Grad-CAM
needs) and the attention maps in float16 (their rounding, under 0.05 % of a weight, is far below what a colour map
can show).
"""
import dataclasses
import functools
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from explain.effective_field import cnn_effective_distances, vit_effective_distances
from explain.features import top_channels
from images.digest import pixel_digest
from explain.passes import CnnPass, VitPass, cnn_gradcam, cnn_pass, vit_pass
from models.pairs import Pair
from runtime.device import module_device
from runtime.precision import precision

CACHE_SIZE = 8
"""Images kept (least recently used dropped first), each with its activations, maps and Grad-CAMs."""
SHOWN_CHANNELS = 16
"""Channels per CNN stage kept for the feature-map grid (the Inside panel shows this many)."""
EFFECTIVE_FIELD_PIXELS = 8 * 64 * 64
"""Input pixels differentiated at once per depth by the effective-field measurement, which bounds its cost: 8
locations of a 64 px toy image, 1 of a 224 px Hub image (seconds on two CPU cores even so)."""


@dataclass(frozen=True)
class Analysis:
    """Everything the panels show about one image under one pair, for one class (or each model's top-1)."""
    pair: Pair
    image01: torch.Tensor  # [3, S, S] in [0, 1]: the shared crop both models see
    cnn: CnnPass
    vit: VitPass
    cnn_ms: float
    vit_ms: float

    @functools.cached_property
    def effective_distances(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Per CNN stage and per ViT block, the image's effective mean distance in pixels (explain.effective_field,
        effective_locations of them), measured on first use and kept with the analysis."""
        image, locations = self.image01[None], effective_locations(self.pair.input_size)
        return (cnn_effective_distances(self.pair.cnn, image.to(module_device(self.pair.cnn)), locations),
                vit_effective_distances(self.pair.vit, image.to(module_device(self.pair.vit)), locations))


@dataclass
class ImageAnalyses:
    """One image's analysis for each model's own top-1 class, and those asked for other classes since."""
    analysis: Analysis
    by_class: dict[int, Analysis] = dataclasses.field(default_factory=dict)


class AnalysisCache:
    """The analyses of the last `capacity` images, by (pair, precision, pixels); the least recently used is dropped
    first. Safe across the server's threads."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple, ImageAnalyses] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> ImageAnalyses | None:
        """The image's analyses if kept (now the most recently used), else None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: ImageAnalyses) -> None:
        """Keep `entry` as the most recently used, dropping the least recently used beyond capacity."""
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every analysis, so the next request for any image runs both models."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


ANALYSIS_CACHE = AnalysisCache(CACHE_SIZE)
"""The process's one cache, shared by every panel and request."""


def effective_locations(image_size: int) -> int:
    """Locations per image of the effective-field measurement: as many as EFFECTIVE_FIELD_PIXELS allow, at least 1."""
    return max(1, EFFECTIVE_FIELD_PIXELS // image_size ** 2)


def analyse(pair: Pair, image: Image.Image, target: int | None = None) -> Analysis:
    """Both models' passes on one image, Grad-CAM for `target` (None: each model's own top-1), cached."""
    # The same picture uploaded twice shares its analysis; one computed at another precision is not reused.
    key = (pair.name, precision(), pixel_digest(image))
    entry = ANALYSIS_CACHE.get(key)
    if entry is None:
        entry = ImageAnalyses(_first_analysis(pair, image))
        ANALYSIS_CACHE.put(key, entry)
    return entry.analysis if target is None else _for_class(entry, target)


def _first_analysis(pair: Pair, image: Image.Image) -> Analysis:
    image01 = pair.transform(image)
    start = time.perf_counter()
    cnn = cnn_pass(pair, image01)
    middle = time.perf_counter()
    vit = vit_pass(pair, image01)
    end = time.perf_counter()
    return Analysis(pair, image01, compact_cnn_pass(cnn), compact_vit_pass(vit), (middle - start) * 1e3, (end - middle) * 1e3)


def _for_class(entry: ImageAnalyses, target: int) -> Analysis:
    """The entry's analysis with both Grad-CAMs for `target`, computed once from the kept activations."""
    if target in entry.by_class:
        return entry.by_class[target]
    a = entry.analysis
    cnn = a.cnn if a.cnn.target == target else dataclasses.replace(
        a.cnn, gradcam=cnn_gradcam(a.pair, a.cnn.stages["layer4"], target)[1], target=target)
    if a.vit.target == target:
        vit = a.vit
    else:  # Chefer's map needs every layer's attention gradient: the ViT runs again, with the same maps
        again = vit_pass(a.pair, a.image01, target)
        vit = dataclasses.replace(a.vit, gradcam=again.gradcam, chefer=again.chefer, target=target)
    result = dataclasses.replace(a, cnn=cnn, vit=vit)
    entry.by_class[target] = result
    return result


def compact_cnn_pass(cnn: CnnPass) -> CnnPass:
    """The CNN's pass as the cache keeps it: the top SHOWN_CHANNELS channels of each stage, all of layer4."""
    stages = {name: act if name == "layer4" else top_channels(act, SHOWN_CHANNELS) for name, act in cnn.stages.items()}
    return dataclasses.replace(cnn, stages=stages)


def compact_vit_pass(vit: VitPass) -> VitPass:
    """The ViT's pass as the cache keeps it: its attention maps in float16."""
    return dataclasses.replace(vit, maps=[m.half() for m in vit.maps])
