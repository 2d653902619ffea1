"""Picasso faces: the same toy face clean and with its parts moved, turned or swapped, scored by both models.

The homework claims pooling throws away where parts sit relative to each other, so a CNN may still call a
scrambled face a face, while a ViT, whose tokens carry position embeddings, would not.
"""
import torch
from PIL import Image

from lab.sweeps import Progress
from models.inference import probabilities
from models.pairs import Pair
from toyworld import PRESETS, Scramble, render

FACE = "face"
HOMEWORK_SCRAMBLE = Scramble(move=("eyes", "brows"), rotate=("nose", "mouth"))
"""The homework's picture: eyes and brows displaced, nose and mouth rotated."""
VARIANTS = {"homework": HOMEWORK_SCRAMBLE} | PRESETS


def picasso_variants(seed: int) -> list[tuple[str, Image.Image]]:
    """The clean toy face of this seed, then the homework's scramble and each toyworld preset, as (name, image)."""
    return [("clean", render(FACE, seed))] + [(name, render(FACE, seed, scramble=scramble))
                                              for name, scramble in VARIANTS.items()]


def measured_class(probs: torch.Tensor, labels: list[str]) -> int:
    """The class the variants are scored on: "face" if the pair knows it, else the model's top-1 on the clean face
    (row 0 of `probs`, one row per variant)."""
    return labels.index(FACE) if FACE in labels else int(probs[0].argmax())


def variant_probabilities(pair: Pair, variants: list[tuple[str, Image.Image]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Both models' softmax over the variants, one batch through pair.transform: ([V, classes], [V, classes])."""
    return probabilities(pair, torch.stack([pair.transform(image) for _, image in variants]))


def _scores(probs: torch.Tensor, labels: list[str]) -> tuple[str, list[dict]]:
    """The measured class's name and each variant's {"p_target", "top1"}."""
    target = measured_class(probs, labels)
    return labels[target], [{"p_target": float(row[target]), "top1": labels[int(row.argmax())]} for row in probs]


def run_picasso(pair: Pair, seed: int, progress: Progress | None = None, *,
                variants: list[tuple[str, Image.Image]] | None = None) -> dict:
    """Score every Picasso variant with both models in one batch.

    Returns {"measure", "classes", "variants": [{"name", "cnn": {"p_target", "top1"}, "vit": {...}}, ...]}, where
    p_target is the probability of the class measured for that model, named in "classes". With a pair that knows
    the label "face", measure is "p_face" and the class is face for both. A pair without it (ImageNet has no face
    class) gets measure "p_clean_top1": the class is the one each model predicted on the clean face.
    """
    variants = picasso_variants(seed) if variants is None else variants
    if progress is not None:
        progress(0.0, "Picasso faces: scoring")
    cnn_probs, vit_probs = variant_probabilities(pair, variants)
    cnn_class, cnn_scores = _scores(cnn_probs, pair.labels)
    vit_class, vit_scores = _scores(vit_probs, pair.labels)
    if progress is not None:
        progress(1.0, "Picasso faces: done")
    return {
        "measure": "p_face" if FACE in pair.labels else "p_clean_top1",
        "classes": {"cnn": cnn_class, "vit": vit_class},
        "variants": [{"name": name, "cnn": cnn, "vit": vit}
                     for (name, _), cnn, vit in zip(variants, cnn_scores, vit_scores)],
    }
