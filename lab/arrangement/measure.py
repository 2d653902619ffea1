"""What the arrangement experiment measures on a trained model, on images no model trained on.

Every share comes with its Wilson 95% interval as [share, low, high]. Models take normalised images; the images here
are in [0, 1] and are normalised on the way in.
"""
from dataclasses import dataclass

import torch
from torch import nn

from lab.statistics import wilson
from lab.transforms import patch_shuffle
from models.normalization import Normalization
from runtime.device import module_device
from runtime.precision import autocast
from toyworld.arrangement import (ALSO_MEASURED, HELD_OUT, LABELS, class_specs, held_out_specs, label_indices,
                                  render_specs, split_specs)
from toyworld.data import to_tensor
from toyworld.jumble import JUMBLED_FACE
from training.recipes import MEAN, STD

FACE, JUMBLED = LABELS.index("face"), LABELS.index(JUMBLED_FACE)
SHUFFLE_GRIDS = (2, 4, 8)
"""The lab's patch-shuffle grids that cut a 64 px face into whole patches (8: the ViT's own 8 px patches)."""


@dataclass(frozen=True)
class TestImages:
    """Images in [0, 1], rendered once per run and shared by every model: clean test faces, test jumbles (their
    own class), and held-out faces under each variant (a)–(d) and moved-only."""
    faces: torch.Tensor
    jumbled: torch.Tensor
    variants: dict[str, torch.Tensor]
    test: tuple[torch.Tensor, torch.Tensor]  # the first images of the test split, all eleven classes, and labels


def test_images(count: int, test_size: int) -> TestImages:
    """`count` of each kind: faces and jumbled faces from the test split, held-out faces from their own seeds; and
    the test split's first `test_size` images."""
    faces = to_tensor(render_specs(class_specs("test", "face", count)))
    jumbled = to_tensor(render_specs(class_specs("test", JUMBLED_FACE, count)))
    variants = {name: to_tensor(render_specs(held_out_specs(name, count))) for name in [*HELD_OUT, *ALSO_MEASURED]}
    specs = split_specs("test", test_size)
    test = to_tensor(render_specs(specs)), torch.from_numpy(label_indices(specs))
    return TestImages(faces, jumbled, variants, test)


@torch.inference_mode()
def predictions(model: nn.Module, images01: torch.Tensor, batch_size: int = 256, *,
                normalized_input: bool = False) -> torch.Tensor:
    """Top-1 class index of each [0, 1] image (normalised here as in training, unless `normalized_input`), at the
    process's precision."""
    model.eval()
    device = module_device(model)
    normalize = nn.Identity() if normalized_input else Normalization(MEAN, STD)
    top1 = []
    for start in range(0, len(images01), batch_size):
        with autocast(device):
            logits = model(normalize(images01[start:start + batch_size]).to(device))
        top1.append(logits.argmax(-1).cpu())
    return torch.cat(top1) if top1 else torch.zeros(0, dtype=torch.long)


def share(hits: torch.Tensor) -> list[float]:
    """[share, low, high] of True entries."""
    return list(wilson(int(hits.sum()), len(hits)))


def face_vs_jumbled(model: nn.Module, images: TestImages) -> dict[str, list[float]]:
    """Clean faces called face, jumbled faces called jumbled face, and the accuracy over both together."""
    on_faces = predictions(model, images.faces) == FACE
    on_jumbled = predictions(model, images.jumbled) == JUMBLED
    return {"faces_called_face": share(on_faces), "jumbled_called_jumbled": share(on_jumbled),
            "accuracy": share(torch.cat([on_faces, on_jumbled]))}


def held_out_calls(model: nn.Module, images: TestImages) -> dict[str, list[float]]:
    """Per held-out variant, the share of its faces the model calls `face`."""
    return {name: share(predictions(model, batch) == FACE) for name, batch in images.variants.items()}


def shuffle_sensitivity(model: nn.Module, images: TestImages, seed: int = 0) -> dict[str, list[float]]:
    """Per grid, the share of clean faces whose top-1 survives shuffling their patches (the lab's shuffle sweep)."""
    before = predictions(model, images.faces)
    return {str(grid): share(predictions(model, shuffled_faces(images, grid, seed)) == before)
            for grid in SHUFFLE_GRIDS}


def shuffled_faces(images: TestImages, grid: int, seed: int = 0) -> torch.Tensor:
    """The clean test faces, each with its patches of a grid × grid cut shuffled (its own permutation)."""
    return torch.stack([patch_shuffle(image, grid, seed + index) for index, image in enumerate(images.faces)])


def under_patch_shuffle(model: nn.Module, images: TestImages, grid: int = 8, seed: int = 0) -> dict[str, list[float]]:
    """With the ViT's own 8 px patches shuffled: the share of faces and of jumbles whose top-1 is kept, and the
    face-vs-jumbled accuracy (faces still called face, jumbles still called jumbled face)."""
    jumbled = torch.stack([patch_shuffle(image, grid, seed + index) for index, image in enumerate(images.jumbled)])
    faces = shuffled_faces(images, grid, seed)
    on_faces, on_jumbled = predictions(model, faces), predictions(model, jumbled)
    kept = torch.cat([on_faces == predictions(model, images.faces), on_jumbled == predictions(model, images.jumbled)])
    return {"top1_kept": share(kept),
            "face_vs_jumbled": share(torch.cat([on_faces == FACE, on_jumbled == JUMBLED]))}


def other_classes(model: nn.Module, images: TestImages) -> list[float]:
    """Top-1 accuracy on the test images of the ten classes other than face and jumbled face."""
    labels = images.test[1]
    others = (labels != FACE) & (labels != JUMBLED)
    return share(predictions(model, images.test[0][others]) == labels[others])


def measure_model(model: nn.Module, images: TestImages, full: bool) -> dict:
    """Face vs jumbled face and eleven-class test accuracy; with `full`, also the other ten classes, the held-out
    variants and patch-shuffle sensitivity."""
    measured = {"face_vs_jumbled": face_vs_jumbled(model, images),
                "test_accuracy": share(predictions(model, images.test[0]) == images.test[1])}
    if full:
        measured |= {"other_classes_accuracy": other_classes(model, images),
                     "held_out_called_face": held_out_calls(model, images),
                     "shuffle_top1_kept": shuffle_sensitivity(model, images),
                     "patch_shuffle": under_patch_shuffle(model, images)}
    return measured
