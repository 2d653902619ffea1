"""Toy images found again by their pixels: a picture the toy world drew (the app's own examples, say) carries its
class, seed and part masks with it, wherever it has travelled as a file."""
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

from images.digest import pixel_digest
from toyworld.compose import render_with_masks
from toyworld.scramble import Scramble


@dataclass(frozen=True)
class KnownImage:
    """A toy picture's recipe and its masks (per part, and "object"), at the picture's own 64 × 64 pixels."""
    label: str
    seed: int
    scramble: bool | Scramble
    masks: dict[str, np.ndarray]


class KnownImages:
    """The toy pictures of a list of recipes (label, seed, scramble), looked up by their pixels; drawn on first use."""

    def __init__(self, recipes: list[tuple[str, int, bool | Scramble]]):
        self._recipes = list(recipes)
        self._by_digest: dict[str, KnownImage] | None = None
        self._lock = threading.Lock()

    def find(self, image: Image.Image) -> KnownImage | None:
        """The recipe and masks of `image` if it is one of the recipes' pictures, pixel for pixel; else None."""
        with self._lock:
            if self._by_digest is None:
                self._by_digest = {}
                for label, seed, scramble in self._recipes:
                    picture, masks = render_with_masks(label, seed, scramble=scramble)
                    self._by_digest[pixel_digest(picture)] = KnownImage(label, seed, scramble, masks)
        return self._by_digest.get(pixel_digest(image))
