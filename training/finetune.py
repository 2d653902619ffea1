"""The homework's experiment: start a Hub pair from pretrained weights and fine-tune it for a few epochs.

`python -m training.toy --finetune resnet50-vs-deit-small --dataset cifar10 --epochs 5` downloads CIFAR-10
through torchvision (internet needed); `--dataset toy` uses the toy world instead and runs offline.
"""
import argparse
import copy
from pathlib import Path

import torch
from safetensors.torch import save_file
from torch import nn
from torch.nn import functional as F

from models import load_pair
from models.normalization import NormalizedCNN
from runtime.device import module_device
from toyworld import LABELS
from toyworld.splits import render_split
from training.loop import Optimisation, fit


def _images_to_input(images: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 [N, H, W, 3] -> [N, 3, size, size] in [0, 1], the pair's input."""
    x = images.permute(0, 3, 1, 2).float().div(255)
    return F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False)


def _dataset(name: str, train_size: int, val_size: int, root: Path) -> tuple:
    """(train images, train labels, val images, val labels, class names) as uint8 tensors."""
    if name == "toy":
        train_x, train_y = render_split("train", train_size)
        val_x, val_y = render_split("val", val_size)
        return (torch.from_numpy(train_x), torch.from_numpy(train_y).long(), torch.from_numpy(val_x),
                torch.from_numpy(val_y).long(), LABELS)
    from torchvision.datasets import CIFAR10
    train = CIFAR10(root, train=True, download=True)
    test = CIFAR10(root, train=False, download=True)
    return (torch.from_numpy(train.data[:train_size]), torch.tensor(train.targets[:train_size]),
            torch.from_numpy(test.data[:val_size]), torch.tensor(test.targets[:val_size]), train.classes)


def finetune(args: argparse.Namespace) -> dict[str, list[float]]:
    """Replace both heads, fine-tune each model, print per-epoch accuracy, save the weights to --out."""
    pair = load_pair(args.finetune)
    train_x, train_y, val_x, val_y, classes = _dataset(args.dataset, args.train_size, args.val_size,
                                                       Path(args.out) / "data")
    out = Path(args.out) / f"finetune-{args.finetune}-{args.dataset}"
    out.mkdir(parents=True, exist_ok=True)
    histories = {}
    train_input, val_input = _images_to_input(train_x, pair.input_size), _images_to_input(val_x, pair.input_size)
    for key, model in [("cnn", pair.cnn), ("vit", pair.vit)]:
        model = _with_new_head(model, len(classes))  # each model normalises its [0, 1] input itself
        train = (train_input, train_y)
        val = (val_input, val_y)
        recipe = Optimisation(epochs=args.epochs or 5, lr=1e-4, weight_decay=0.05, batch_size=args.batch_size,
                              schedule="constant", augment=False)
        histories[key] = fit(model, train, val, recipe, seed=args.seed, desc=f"{args.finetune} {key}").val_accuracy
        weights = model.model if isinstance(model, NormalizedCNN) else model  # the timm model's own keys
        save_file({k: v.contiguous().cpu() for k, v in weights.state_dict().items()},
                  str(out / f"{key}.safetensors"))
    print(f"fine-tuned weights written to {out}")
    return histories


def _with_new_head(model: nn.Module, num_classes: int) -> nn.Module:
    """A trainable copy of the (frozen, shared) model whose classifier predicts num_classes classes."""
    device = module_device(model)
    model = copy.deepcopy(model).requires_grad_(True)
    if hasattr(model, "reset_classifier"):
        model.reset_classifier(num_classes)
    else:
        model.head = nn.Linear(model.head.in_features, num_classes)
    return model.to(device)  # the new head is made on the CPU
