"""Each served model normalises its own input: images in [0, 1] go in, the mean and std its weights expect are applied inside.

This is what makes the obvious use right: `pair.cnn(pair.transform(image)[None])` and `pair.vit(...)` give exactly
what the app shows, with no second step a caller must know about.
"""
from collections.abc import Sequence

import torch
from torch import nn


class Normalization(nn.Module):
    """(x - mean) / std per channel of a [B, 3, H, W] batch in [0, 1]; holds no weights (buffers not saved)."""

    def __init__(self, mean: Sequence[float], std: Sequence[float]):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).reshape(-1, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).reshape(-1, 1, 1), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std

    def extra_repr(self) -> str:
        return f"mean={self.mean.flatten().tolist()}, std={self.std.flatten().tolist()}"


class NormalizedCNN(nn.Module):
    """A timm CNN that takes images in [0, 1]: its normalisation step, then the model.

    The timm methods the explanations use keep their meaning: those that take images normalise them first,
    `forward_head` takes features as before.
    """

    def __init__(self, model: nn.Module, mean: Sequence[float], std: Sequence[float]):
        super().__init__()
        self.normalize = Normalization(mean, std)
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(self.normalize(x))

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The last stage's feature map of a batch in [0, 1]."""
        return self.model.forward_features(self.normalize(x))

    def forward_intermediates(self, x: torch.Tensor, **kwargs):
        """timm's forward_intermediates on a batch in [0, 1]."""
        return self.model.forward_intermediates(self.normalize(x), **kwargs)

    def forward_head(self, features: torch.Tensor) -> torch.Tensor:
        """Logits from the last stage's feature map (global pool and classifier)."""
        return self.model.forward_head(features)

    def get_classifier(self) -> nn.Module:
        return self.model.get_classifier()

    def reset_classifier(self, num_classes: int) -> None:
        self.model.reset_classifier(num_classes)
