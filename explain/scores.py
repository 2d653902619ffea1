"""How good is each map: is it faithful to the model it explains (deletion and insertion, on any image), and does it
find the object (pointing game and mass inside, on toy images whose masks are known)? A random map is scored
alongside as the baseline every method must beat."""
from dataclasses import dataclass

import numpy as np
import torch

from explain.faithfulness import STEPS, Curve, deletion_curve, insertion_curve, random_saliency
from explain.localisation import MassShare, mass_share, pointing_game
from explain.maps import Maps
from models.pairs import Pair
from runtime.device import module_device

RANDOM = "random"
"""The baseline map's name, beside each model's own maps."""


@dataclass(frozen=True)
class Faithfulness:
    """A map's deletion curve (lower AUC is better) and insertion curve (higher is better)."""
    deletion: Curve
    insertion: Curve

    def to_json(self) -> dict:
        """{"deletion_auc", "insertion_auc", "fractions", "deletion", "insertion"}: the AUCs and the curves (the
        probability at each step), to 4 decimals."""
        return {"deletion_auc": round(self.deletion.auc, 4), "insertion_auc": round(self.insertion.auc, 4),
                "fractions": np.round(self.deletion.fractions, 4).tolist(),
                "deletion": np.round(self.deletion.probs.astype(np.float64), 4).tolist(),
                "insertion": np.round(self.insertion.probs.astype(np.float64), 4).tolist()}


@dataclass(frozen=True)
class Localisation:
    """Whether a map's maximum hits the object (pointing game), and its mass on the object against the object's area."""
    hit: bool
    mass: MassShare


def with_random(maps: Maps, seed: int = 0) -> dict[str, dict[str, torch.Tensor]]:
    """{"cnn": {name: map}, "vit": {...}}, each with a random map of the same size added under RANDOM."""
    baseline = random_saliency(maps.size, seed)
    return {"cnn": {**maps.cnn, RANDOM: baseline}, "vit": {**maps.vit, RANDOM: baseline}}


def faithfulness(pair: Pair, image01: torch.Tensor, maps: Maps, steps: int = STEPS,
                 seed: int = 0) -> dict[str, dict[str, Faithfulness]]:
    """Deletion and insertion of every map (and a random one) against the model it explains, for its class."""
    models = {"cnn": (pair.cnn, maps.cnn_target), "vit": (pair.vit, maps.vit_target)}
    scores = {}
    for key, named in with_random(maps, seed).items():
        model, target = models[key]
        image = image01.to(module_device(model))  # the curves' batches are built where the model computes
        scores[key] = {name: Faithfulness(deletion_curve(model, image, heat, target, steps),
                                          insertion_curve(model, image, heat, target, steps))
                       for name, heat in named.items()}
    return scores


def localisation(maps: Maps, mask: np.ndarray, seed: int = 0) -> dict[str, dict[str, Localisation]]:
    """Pointing game and mass inside the object's [H, W] mask for every map (and a random one)."""
    if tuple(mask.shape) != tuple(maps.size):
        raise ValueError(f"the mask is {tuple(mask.shape)}, the maps {tuple(maps.size)}")
    return {key: {name: Localisation(pointing_game(heat, mask), mass_share(heat, mask)) for name, heat in named.items()}
            for key, named in with_random(maps, seed).items()}
