"""Swin-T for the Theory tab: timm's ImageNet-1k weights when the Hub cache holds them, else random weights (seed 0);
never a download while a request waits."""
import functools
import threading
from dataclasses import dataclass
from pathlib import Path

import timm
import torch
from torch import nn

from models import hub

SWIN_ARCHITECTURE = "swin_tiny_patch4_window7_224"
"""timm's name for Swin-T (window 7, 224 px), which the lab measures and the Theory tab shows."""
SWIN_MODEL = f"{SWIN_ARCHITECTURE}.ms_in1k"
SWIN_REPO = f"timm/{SWIN_MODEL}"
RANDOM_SEED = 0
HUB_CACHE = "pretrained from the Hub cache"
RANDOM_INIT = "random init"
"""The two sources of the weights, as the view and the JSON name them."""


@dataclass(frozen=True)
class SwinWeights:
    """A loaded Swin-T (float32, eval) and where its weights come from."""
    model: nn.Module
    source: str  # HUB_CACHE or RANDOM_INIT
    repo: str
    seed: int | None  # the random init's seed; None for the cache's weights
    file: str | None  # the cached weights file; None for random init

    @property
    def key(self) -> str:
        """What identifies these weights (a results cache's key): the file, or the seed."""
        return self.file or f"{RANDOM_INIT} {self.seed}"

    def to_json(self) -> dict:
        """Which weights: {"source", "repo", "seed"}."""
        return {"source": self.source, "repo": self.repo, "seed": self.seed}

    def float64(self) -> nn.Module:
        """A float64 copy of the model, built afresh (no hook that a request holds on the shared model comes along)."""
        with torch.random.fork_rng():
            model = timm.create_model(SWIN_ARCHITECTURE, pretrained=False)
        model.load_state_dict(self.model.state_dict())
        return model.eval().double()


_lock = threading.Lock()


def load_swin() -> SwinWeights:
    """Swin-T with the cache's weights of SWIN_REPO if it holds them (the architecture checked against its config.json),
    else random weights; each loaded once per process."""
    files = hub.cached_files(SWIN_REPO)
    with _lock:
        return _loaded(*((str(files["model.safetensors"]), str(files["config.json"])) if files else (None, None)))


@functools.lru_cache(maxsize=2)
def _loaded(weights_file: str | None, config_file: str | None) -> SwinWeights:
    if weights_file is None:
        with torch.random.fork_rng():
            torch.manual_seed(RANDOM_SEED)
            model = timm.create_model(SWIN_ARCHITECTURE, pretrained=False).eval()
        return SwinWeights(model, RANDOM_INIT, SWIN_REPO, RANDOM_SEED, None)
    config = hub.read_config(Path(config_file))
    expected = SWIN_ARCHITECTURE
    if config.get("architecture") != expected:
        raise hub.WeightsUnavailable("weights_wrong_architecture", repo=SWIN_REPO, found=config.get("architecture"),
                                     expected=expected)
    model = timm.create_model(SWIN_MODEL, pretrained=True, pretrained_cfg_overlay={"file": weights_file}).eval()
    return SwinWeights(model, HUB_CACHE, SWIN_REPO, None, weights_file)
