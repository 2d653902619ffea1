"""The five architectures of the arrangement experiment, how each is trained, and the run's budget.

Every architecture trains from scratch (no model starts with knowledge of faces that another lacks) with one recipe
from the literature for small ViTs, given to the CNNs too: AdamW, linear warmup then cosine decay to zero, gradient
clipping at norm 1, label smoothing 0.1, at batch 128 (Beyer et al. 2022, "Better plain ViT baselines for
ImageNet-1k": warmup + cosine, clipping at 1, sin-cos position embeddings; Hassani et al. 2021 and Lee et al. 2021 train
small ViTs from scratch on small images with AdamW, lr 5e-4 to 1e-3 at batch 128, weight decay 0.05, warmup then
cosine). Each model trains until its validation accuracy plateaus (no gain of more than 0.1 point for 10 epochs, the
best epoch's weights kept), within a declared maximum of 60 epochs of 30,000 images (14,040 steps: about one CPU-hour
of the toy ViT at bf16 on one thread). Peak learning rates: the toy pair's own for the CNNs (2e-3), 1e-3 for the ViTs.
The learning curve alone gives every architecture the same steps at every size, since that is its question.
"""
from collections.abc import Callable
from dataclasses import dataclass

import timm
import torch
from torch import nn

from models.ablations import FlattenedCNN, with_sincos_position, without_position
from models.vit import ViT
from toyworld.arrangement import LABELS
from toyworld.canvas import IMAGE_SIZE
from training.loop import Optimisation
from training.recipes import TOY_CNN, TOY_VIT


@dataclass(frozen=True)
class Architecture:
    """One of the five models: how to build it untrained for the task's eleven classes, and its peak learning rate."""
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


def _vit_sincos() -> nn.Module:
    return with_sincos_position(ViT(**vit_config()))


def _vit_without_position() -> nn.Module:
    return without_position(ViT(**vit_config()))


CNN_LR, VIT_LR = 2e-3, 1e-3
ARCHITECTURES: dict[str, Architecture] = {a.key: a for a in (
    Architecture("cnn_pooled", "CNN, global average pooling (the toy CNN)", _pooled_cnn, CNN_LR),
    Architecture("cnn_flattened", "CNN, last feature map flattened (no pooling)", _flattened_cnn, CNN_LR),
    Architecture("vit_position", "ViT, learned position embeddings (the seed's)", _vit, VIT_LR),
    Architecture("vit_sincos", "ViT, fixed 2D sin-cos position embeddings", _vit_sincos, VIT_LR),
    Architecture("vit_no_position", "ViT, no position embeddings (fixed at zero)", _vit_without_position, VIT_LR),
)}
BUNDLED = {"cnn_pooled": "arrangement_cnn", "vit_position": "arrangement_vit"}
"""The two models of the bundled `toy-arrangement` pair, by their manifest keys (the first seed's)."""
GATE = 0.95
"""The competence gate, set before the run: the ViT with learned position embeddings must reach this face-vs-jumbled
accuracy on held-out test faces and jumbles, for every seed."""


@dataclass(frozen=True)
class Budget:
    """The run: seeds, data, each architecture's training, the learning curve and the homework's protocol."""
    seeds: tuple[int, ...] = (0, 1, 2)
    full_size: int = 30_000
    val_size: int = 2_200
    test_count: int = 500  # per measured kind of face (clean, jumbled, each held-out variant)
    batch_size: int = 128
    max_epochs: int = 60
    warmup_epochs: float = 5.0
    patience: int = 10
    weight_decay: float = 0.05
    label_smoothing: float = 0.1
    clip_norm: float = 1.0
    curve_sizes: tuple[int, ...] = (2_000, 5_000, 10_000, 30_000)
    curve_epochs: int = 20  # of the largest set, at every size: the same steps for every architecture
    protocol_size: int = 6_000  # 187 iterations of 32 per epoch (the homework's log shows 375, batch not given)
    protocol_batch_size: int = 32
    protocol_epochs: int = 20
    protocol_lrs: tuple[float, ...] = (1e-5, 3e-5, 1e-4)

    def training(self, architecture: Architecture) -> Optimisation:
        """How one architecture trains at the full size: until its plateau, within max_epochs."""
        return Optimisation(epochs=self.max_epochs, lr=architecture.lr, weight_decay=self.weight_decay,
                            label_smoothing=self.label_smoothing, batch_size=self.batch_size,
                            schedule="warmup-cosine", warmup_epochs=self.warmup_epochs, clip_norm=self.clip_norm,
                            patience=self.patience)

    def curve_training(self, architecture: Architecture) -> Optimisation:
        """How one architecture trains for the learning curve: curve_epochs of the largest set's length at every
        size, no early stop, so every point has the same number of steps."""
        return Optimisation(epochs=self.curve_epochs, lr=architecture.lr, weight_decay=self.weight_decay,
                            label_smoothing=self.label_smoothing, batch_size=self.batch_size,
                            schedule="warmup-cosine", warmup_epochs=min(self.warmup_epochs, self.curve_epochs / 4),
                            clip_norm=self.clip_norm, epoch_size=self.full_size)

    def protocol(self, lr: float) -> Optimisation:
        """The homework's fine-tuning: AdamW at a constant learning rate, no augmentation (its trainer has neither a
        schedule nor augmentation)."""
        return Optimisation(epochs=self.protocol_epochs, lr=lr, weight_decay=0.05, batch_size=self.protocol_batch_size,
                            schedule="constant", augment=False)


FULL = Budget()
SMOKE = Budget(seeds=(0, 1), full_size=512, val_size=110, test_count=12, batch_size=64, max_epochs=2,
               warmup_epochs=0.5, patience=1, curve_sizes=(256, 512), curve_epochs=1, protocol_size=256,
               protocol_epochs=6, protocol_lrs=(1e-4,))
"""A tiny run of every stage (minutes), for tests and for trying the command."""
