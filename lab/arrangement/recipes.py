"""The four architectures of the arrangement experiment and the one training budget they share."""
from collections.abc import Callable
from dataclasses import dataclass

import timm
from torch import nn

from models.ablations import FlattenedCNN, without_position
from models.vit import ViT
from toyworld.arrangement import LABELS
from toyworld.canvas import IMAGE_SIZE
from toyworld.recipes import TOY_CNN, TOY_VIT


@dataclass(frozen=True)
class Architecture:
    """One of the four models: how to build it untrained for the task's eleven classes, and its peak learning rate."""
    key: str
    title: str
    build: Callable[[], nn.Module]
    lr: float


def _pooled_cnn() -> nn.Module:
    return timm.create_model(TOY_CNN.architecture, num_classes=len(LABELS), **TOY_CNN.model_args)


def _flattened_cnn() -> nn.Module:
    trunk = timm.create_model(TOY_CNN.architecture, num_classes=0, global_pool="", **TOY_CNN.model_args)
    return FlattenedCNN(trunk, len(LABELS), IMAGE_SIZE)


def vit_config() -> dict:
    """The seed ViT's configuration for the task (the toy ViT's, with eleven classes)."""
    return TOY_VIT.config | {"num_classes": len(LABELS)}


def _vit() -> nn.Module:
    return ViT(**vit_config())


def _vit_without_position() -> nn.Module:
    return without_position(ViT(**vit_config()))


ARCHITECTURES: dict[str, Architecture] = {a.key: a for a in (
    Architecture("cnn_pooled", "CNN, global average pooling (the toy CNN)", _pooled_cnn, TOY_CNN.lr),
    Architecture("cnn_flattened", "CNN, last feature map flattened (no pooling)", _flattened_cnn, TOY_CNN.lr),
    Architecture("vit_position", "ViT, learned position embeddings (the seed's)", _vit, TOY_VIT.lr),
    Architecture("vit_no_position", "ViT, position embeddings fixed at zero", _vit_without_position, TOY_VIT.lr),
)}
BUNDLED = {"cnn_pooled": "arrangement_cnn", "vit_position": "arrangement_vit"}
"""The two models of the bundled `toy-arrangement` pair, by their manifest keys."""


@dataclass(frozen=True)
class Budget:
    """What every model gets: AdamW with a one-cycle schedule, the same steps at every training-set size."""
    sizes: tuple[int, ...] = (2_000, 5_000, 10_000, 30_000)
    epochs: int = 4  # of the largest set; every size gets the same number of steps (936 at batch 128)
    batch_size: int = 128
    weight_decay: float = 0.05
    label_smoothing: float = 0.1
    val_size: int = 2_200
    test_count: int = 500  # per measured kind of face (clean, jumbled, each held-out variant)
    finetune_size: int = 6_000  # 188 iterations of 32 per epoch (the homework's log shows 375, batch not given)
    finetune_batch_size: int = 32
    finetune_epochs: int = 20
    finetune_lr: float = 1e-4

    @property
    def full_size(self) -> int:
        return max(self.sizes)

    @property
    def steps(self) -> int:
        return self.epochs * (self.full_size // self.batch_size)


FULL = Budget()
SMOKE = Budget(sizes=(256, 512), epochs=1, batch_size=64, val_size=110, test_count=12, finetune_size=256,
               finetune_batch_size=32, finetune_epochs=6)
"""A tiny run of every stage (minutes), for tests and for trying the command."""
