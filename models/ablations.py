"""The ablations: a CNN without global pooling; a ViT without position embeddings, or with fixed sin-cos ones; a ViT
without residual connections.

The pooled CNN averages its last feature map over positions before the classifier, so permuting those positions
changes nothing; FlattenedCNN gives every position its own classifier weights, so where a feature is stays known.
The seed's ViT adds a learned position embedding to every token; without_position fixes it at zero, so tokens know
their content and not their place, and permuting the patches permutes the tokens and leaves the class token alone.
"""
import torch
from torch import nn

from models.position import sincos_2d
from models.vit import EncoderBlock, ViT


class FlattenedCNN(nn.Module):
    """A CNN trunk whose last feature map is flattened, not pooled, into a linear classifier."""

    def __init__(self, trunk: nn.Module, num_classes: int, image_size: int):
        super().__init__()
        self.trunk = trunk  # a timm model built with num_classes=0, global_pool=""
        with torch.no_grad():
            channels, height, width = trunk.forward_features(torch.zeros(1, 3, image_size, image_size)).shape[1:]
        self.feature_shape = (channels, height, width)
        self.fc = nn.Linear(channels * height * width, num_classes)

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """The trunk's last feature map: (n, 3, h, w) -> (n, c, h', w')."""
        return self.trunk.forward_features(x)

    def forward_head(self, features: torch.Tensor) -> torch.Tensor:
        """Logits from the last feature map, every position with its own weights: (n, c, h', w') -> (n, classes)."""
        return self.fc(features.flatten(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_head(self.forward_features(x))


def without_position(vit: ViT) -> ViT:
    """The ViT with its position embedding fixed at zero (and frozen there): tokens carry no place. In place."""
    with torch.no_grad():
        vit.encoder.pos_embedding.zero_()
    vit.encoder.pos_embedding.requires_grad_(False)
    return vit


def with_sincos_position(vit: ViT) -> ViT:
    """The ViT with fixed 2D sin-cos position embeddings (Beyer et al. 2022) in place of learned ones, frozen; the
    class token's position gets zeros. In place."""
    side, width = vit.grid_size, vit.encoder.pos_embedding.shape[-1]
    with torch.no_grad():
        vit.encoder.pos_embedding.zero_()
        vit.encoder.pos_embedding[0, 1:] = sincos_2d(side, width)
    vit.encoder.pos_embedding.requires_grad_(False)
    return vit


class BlockWithoutResidual(EncoderBlock):
    """The seed's EncoderBlock with both residual connections removed: MSA(LN(x)), then MLP(LN(y))."""

    def forward(self, inputs: torch.Tensor, need_weights: bool = False) -> tuple[torch.Tensor, torch.Tensor | None]:
        x, W = self.self_attention(self.ln_1(inputs), need_weights)
        x = self.dropout(x)
        return self.mlp(self.ln_2(x)), W


def without_residuals(vit: ViT) -> ViT:
    """The ViT with every block's residual connections removed (same parameters, same names). In place."""
    for i, block in enumerate(vit.encoder.layers):
        plain = BlockWithoutResidual(block.num_heads, block.ln_1.normalized_shape[0],
                                     block.mlp[0].out_features, block.self_attention.dropout)
        plain.load_state_dict(block.state_dict())
        vit.encoder.layers[i] = plain
    return vit
