"""Every map the app draws for one image and class, as non-negative arrays at the crop's resolution.

The maps a researcher can take away as numbers (the /maps endpoint), score against the model they explain
(explain.scores) and, on toy images, against ground truth: each at the (H, W) of the crop both models see,
upsampled bilinearly from its own grid exactly as the overlays draw it, scaled to 0..1.
"""
from dataclasses import dataclass

import torch

from explain.analysis_cache import Analysis
from explain.resize import upsampled
from explain.rollout import attention_rollout

CNN_MAPS = {"gradcam": "Grad-CAM on the last stage (class-specific)"}
VIT_MAPS = {"rollout": "attention rollout (class-agnostic)",
            "gradcam": "Grad-CAM on the last block (class-specific)",
            "chefer": "Chefer et al. 2021, gradient-weighted rollout (class-specific)"}


@dataclass(frozen=True)
class Maps:
    """The CNN's and the ViT's maps for one image, each [H, W] in 0..1, and the classes they explain."""
    size: tuple[int, int]
    cnn: dict[str, torch.Tensor]
    vit: dict[str, torch.Tensor]
    cnn_target: int
    vit_target: int


def crop_maps(a: Analysis, head_fusion: str = "mean", discard_ratio: float = 0.9) -> Maps:
    """Every map of an analysis (its class, or each model's top-1) at the crop's resolution."""
    size = tuple(a.image01.shape[-2:])
    cnn = {"gradcam": a.cnn.gradcam}
    vit = {"rollout": attention_rollout(a.vit.maps, head_fusion, discard_ratio), "gradcam": a.vit.gradcam,
           "chefer": a.vit.chefer}
    return Maps(size=size, cnn=_at(cnn, size), vit=_at(vit, size), cnn_target=a.cnn.target, vit_target=a.vit.target)


def _at(maps: dict[str, torch.Tensor], size: tuple[int, int]) -> dict[str, torch.Tensor]:
    return {name: upsampled(heat, size).clamp(0, 1) for name, heat in maps.items()}
