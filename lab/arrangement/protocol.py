"""The homework's protocol on the arrangement task (C13, C14): a pretrained ViT fine-tuned for 5 epochs, then on.

The seed's ViT starts from the bundled toy ViT (trained on the ten-class toy world), gets a new head for the eleven
classes, and is fine-tuned with AdamW at a constant learning rate (the homework's trainer runs no schedule, so the
model after epoch 5 is the homework's model, and the epochs after it only continue that run), validation accuracy
logged after every epoch. After epoch 1, for each validation image the model gets wrong, the share of its rollout
and Chefer maps (for its predicted class) on the object, against the object's share of the image; at the end, how
many of those images it gets right.
"""
import time

import numpy as np
import torch
from torch import nn

from explain.chefer import chefer_map
from explain.localisation import mass_share
from explain.rollout import attention_rollout
from lab.arrangement.measure import predictions
from lab.arrangement.recipes import Budget
from lab.arrangement.training import Split
from models.bundled import load_bundled
from models.vit import ViT
from runtime.device import compute_device, module_device
from runtime.precision import precision
from toyworld.arrangement import LABELS, Spec
from toyworld.compose import render_with_masks
from toyworld.fit import fit

PRETRAINED = "toy_vit"
MISCLASSIFIED_AFTER = 1
"""The epoch after which the misclassified validation images are taken (the issue's protocol)."""


def pretrained_vit(seed: int) -> ViT:
    """The bundled toy ViT with a fresh eleven-class head, trainable, on the compute device."""
    vit, _ = load_bundled(PRETRAINED)
    torch.manual_seed(seed)
    vit.head = nn.Linear(vit.head.in_features, len(LABELS))
    return vit.requires_grad_(True).to(compute_device())


def attention_on_object(vit: ViT, normalized: torch.Tensor, target: int, mask: np.ndarray) -> dict[str, float]:
    """Share of the rollout and Chefer maps for `target` on the object's mask, and the mask's share of the image.
    In float32, whatever the process's precision: maps of a few hundred images."""
    vit.eval()
    device = module_device(vit)
    with torch.enable_grad():
        logits, maps = vit(normalized[None].to(device), need_weights=True)
        for layer in maps:
            layer.retain_grad()
        logits[0, target].backward()
    layers = [layer[0].detach() for layer in maps]
    grads = [layer.grad[0] for layer in maps]
    vit.zero_grad(set_to_none=True)
    rollout = mass_share(attention_rollout(layers).cpu(), mask)
    chefer = mass_share(chefer_map(layers, grads).cpu(), mask)
    return {"rollout": rollout.inside, "chefer": chefer.inside, "area": rollout.area}


def run_protocol(train: Split, val: Split, val_specs: list[Spec], budget: Budget, seed: int) -> tuple[ViT, dict]:
    """Fine-tune for budget.finetune_epochs epochs; the record holds the keys `fine_tuning` and `misclassified` of
    the results file (findings.report.ARRANGEMENT) and where they were computed."""
    started = time.time()
    vit = pretrained_vit(seed)
    val_images, val_labels = val
    early: dict = {}

    def after_epoch(epoch: int, model: nn.Module) -> None:
        if epoch != MISCLASSIFIED_AFTER:
            return
        top1 = _top1(model, val_images)
        wrong = (top1 != val_labels).nonzero().flatten().tolist()
        early["wrong"] = wrong
        early["maps"] = []
        for index in wrong:
            label, image_seed, _ = val_specs[index]
            _, masks = render_with_masks(label, image_seed)  # the picture is val_images[index]
            early["maps"].append(attention_on_object(model, val_images[index], int(top1[index]), masks["object"]))

    history = fit(vit, train, val, epochs=budget.finetune_epochs, lr=budget.finetune_lr, weight_decay=0.05,
                  label_smoothing=0.0, batch_size=budget.finetune_batch_size, seed=seed, desc="fine-tune ViT",
                  augment_batches=False, schedule="constant", after_epoch=after_epoch)
    final = _top1(vit, val_images)
    wrong = early["wrong"]
    record = {
        "fine_tuning": {"accuracy": history, "evaluated": len(val_images)},
        "misclassified": {
            "after_epoch": MISCLASSIFIED_AFTER, "evaluated": len(val_images),
            "object_mass": [m["chefer"] for m in early["maps"]],
            "object_mass_rollout": [m["rollout"] for m in early["maps"]],
            "object_area": [m["area"] for m in early["maps"]],
            "right_later": int((final[wrong] == val_labels[wrong]).sum()) if wrong else 0,
            "maps": "object_mass: Chefer et al. 2021 for the predicted class; object_mass_rollout: attention "
                    "rollout (mean over heads, discard 0.9); both computed in float32",
        },
        "protocol": {"pretrained": f"weights/{PRETRAINED} (the bundled toy ViT, ten classes)",
                     "train_images": len(train[0]), "batch_size": budget.finetune_batch_size,
                     "epochs": budget.finetune_epochs, "lr": budget.finetune_lr, "weight_decay": 0.05,
                     "optimizer": "AdamW, constant learning rate", "augmentation": "none", "seed": seed,
                     "wall_time_s": round(time.time() - started, 1), "device": compute_device().type,
                     "precision": precision()},
    }
    return vit, record


def _top1(model: nn.Module, normalized: torch.Tensor) -> torch.Tensor:
    """Top-1 of already normalised images (predictions takes [0, 1] images)."""
    return predictions(model, normalized, normalized_input=True)
