"""Picasso faces: the same toy face clean and with its parts moved, turned or swapped, scored by both models.

The homework (part 1(b)) says pooling loses how parts are arranged, yet the CNN will not call its picture (eyes and
brows misplaced, lips and nose rotated) a face because the rotated parts break it; and that a ViT, whose tokens carry
position embeddings, will not either (claims C7–C9 of lab.claim_list). The variants test each part of that: the
homework's picture, the rotation alone, the displacement alone, and toyworld's other scrambles.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

import torch
from PIL import Image

from lab.statistics import Interval, wilson
from lab.sweeps import Progress
from models.inference import probabilities
from models.pairs import Pair
from runtime.messages import Message
from toyworld import PRESETS, render
from toyworld.jumble import JUMBLED_FACE
from toyworld.scramble import HOMEWORK as HOMEWORK_SCRAMBLE
from toyworld.scramble import ROTATED_ONLY

FACE = "face"
VARIANTS = {"homework": HOMEWORK_SCRAMBLE, "rotated only": ROTATED_ONLY} | PRESETS
Rates = dict[str, dict[str, Interval]]
"""Per variant and model ("cnn", "vit"), the share of faces called the measured class."""


@dataclass(frozen=True)
class FaceScore:
    """One model on one variant: its probability of the measured class, its top-1, and its probability of "jumbled
    face" where the pair knows that class (the arrangement pair)."""
    p_target: float
    top1: str
    p_jumbled: float | None = None

    def to_json(self) -> dict:
        """{"p_target", "top1"}, and "p_jumbled" where there is one."""
        return {"p_target": self.p_target, "top1": self.top1} | (
            {} if self.p_jumbled is None else {"p_jumbled": self.p_jumbled})


Score = TypeVar("Score")
"""A model's score on one variant: FaceScore here, lab.picasso_photo.PhotoScore on photos."""


@dataclass(frozen=True)
class VariantScores(Generic[Score]):
    """One variant scored by both models."""
    name: str
    cnn: Score
    vit: Score

    def to_json(self) -> dict:
        """{"name", "cnn": {...}, "vit": {...}}."""
        return {"name": self.name, "cnn": self.cnn.to_json(), "vit": self.vit.to_json()}


@dataclass(frozen=True)
class PicassoScores:
    """Every variant of one face scored by both models, on the class named per model in `classes`, chosen as
    `measure` says: "p_face" (the pair knows "face") or "p_clean_top1" (each model's top-1 on the clean face)."""
    measure: str
    classes: dict[str, str]  # per model
    variants: list[VariantScores[FaceScore]]

    def to_json(self) -> dict:
        """{"measure", "classes", "variants": [...]}: /picasso's answer, less its precision."""
        return {"measure": self.measure, "classes": self.classes, "variants": [v.to_json() for v in self.variants]}


@dataclass(frozen=True)
class FaceRates:
    """The findings report's Picasso faces: per variant and model, the share of `faces` held-out faces called the
    class `measure` names, and the seed of a face typical of them; results.json's "picasso" both ways."""
    faces: int
    measure: str
    variants: Rates
    typical_seed: int

    def to_json(self) -> dict:
        """{"faces", "measure", "variants": {name: {"cnn": [rate, low, high], "vit": [...]}}, "typical_seed"}."""
        return {"faces": self.faces, "measure": self.measure,
                "variants": {name: {model: rate.to_json() for model, rate in by_model.items()}
                             for name, by_model in self.variants.items()},
                "typical_seed": self.typical_seed}

    @classmethod
    def from_json(cls, data: Mapping) -> "FaceRates":
        """The rates back from to_json's output."""
        return cls(faces=data["faces"], measure=data["measure"], typical_seed=data["typical_seed"],
                   variants={name: {model: Interval(*rate) for model, rate in by_model.items()}
                             for name, by_model in data["variants"].items()})


def picasso_variants(seed: int) -> list[tuple[str, Image.Image]]:
    """The clean toy face of this seed, then each of VARIANTS (the homework's scramble, its rotation alone, toyworld's
    presets), as (name, image)."""
    return [("clean", render(FACE, seed))] + [(name, render(FACE, seed, scramble=scramble))
                                              for name, scramble in VARIANTS.items()]


def measured_class(probs: torch.Tensor, labels: list[str]) -> int:
    """The class the variants are scored on: "face" if the pair knows it, else the model's top-1 on the clean face
    (row 0 of `probs`, one row per variant)."""
    return labels.index(FACE) if FACE in labels else int(probs[0].argmax())


def variant_probabilities(pair: Pair, variants: list[tuple[str, Image.Image]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Both models' softmax over the variants, one batch through pair.transform: ([V, classes], [V, classes])."""
    return probabilities(pair, torch.stack([pair.transform(image) for _, image in variants]))


def face_calls(pair: Pair, seeds: list[int],
               progress: Callable[[int, int], None] | None = None) -> dict[str, dict[str, list[bool]]]:
    """Per variant (clean first) and model, for each seed in order, whether the model's top-1 on that variant is
    the measured class (measured_class: "face", else its top-1 on the clean face)."""
    calls = {name: {"cnn": [], "vit": []} for name in ["clean", *VARIANTS]}
    for done, seed in enumerate(seeds, 1):
        variants = picasso_variants(seed)
        for model, probs in zip(("cnn", "vit"), variant_probabilities(pair, variants)):
            target = measured_class(probs, pair.labels)
            for (name, _), row in zip(variants, probs):
                calls[name][model].append(int(row.argmax()) == target)
        if progress is not None:
            progress(done, len(seeds))
    return calls


def call_rates(calls: dict[str, dict[str, list[bool]]]) -> Rates:
    """Per variant and model, the share of faces called the measured class, with its Wilson 95% interval."""
    return {name: {model: wilson(sum(hits), len(hits)) for model, hits in models.items()}
            for name, models in calls.items()}


def typical_seed(calls: dict[str, dict[str, list[bool]]], seeds: list[int], variant: str = "homework") -> int:
    """The first seed whose outcome on `variant` (called a face or not, by each model) is the majority outcome over
    all the faces (a tie counts as a face), so that one face shown stands for the rest. If no seed matches both
    models' majorities (possible only with ties), the first seed that matches the most of them."""
    outcomes = calls[variant]
    majority = {model: 2 * sum(hits) >= len(hits) for model, hits in outcomes.items()}
    matches = [sum(outcomes[model][i] == typical for model, typical in majority.items()) for i in range(len(seeds))]
    return seeds[matches.index(max(matches))]


def _scores(probs: torch.Tensor, labels: list[str]) -> tuple[str, list[FaceScore]]:
    """The measured class's name and each variant's score."""
    target = measured_class(probs, labels)
    jumbled = labels.index(JUMBLED_FACE) if JUMBLED_FACE in labels else None
    return labels[target], [FaceScore(float(row[target]), labels[int(row.argmax())],
                                      None if jumbled is None else float(row[jumbled])) for row in probs]


def run_picasso(pair: Pair, seed: int, progress: Progress | None = None, *,
                variants: list[tuple[str, Image.Image]] | None = None) -> PicassoScores:
    """Score every Picasso variant with both models in one batch.

    p_target is the probability of the class measured for that model, named in `classes`. With a pair that knows
    the label "face", measure is "p_face" and the class is face for both; one that also knows "jumbled face" (the
    arrangement pair) adds each variant's p_jumbled. A pair without "face" (ImageNet has no face class) gets
    measure "p_clean_top1": the class is the one each model predicted on the clean face.
    """
    variants = picasso_variants(seed) if variants is None else variants
    if progress is not None:
        progress(0.0, Message("picasso_faces_scoring"))
    cnn_probs, vit_probs = variant_probabilities(pair, variants)
    cnn_class, cnn_scores = _scores(cnn_probs, pair.labels)
    vit_class, vit_scores = _scores(vit_probs, pair.labels)
    if progress is not None:
        progress(1.0, Message("picasso_faces_done"))
    return PicassoScores(measure="p_face" if FACE in pair.labels else "p_clean_top1",
                         classes={"cnn": cnn_class, "vit": vit_class},
                         variants=[VariantScores(name, cnn, vit)
                                   for (name, _), cnn, vit in zip(variants, cnn_scores, vit_scores)])
