"""Picasso photos: the Picasso test (lab.picasso) on a real photo whose parts were marked by hand.

The same six pictures as the toy faces, made from pixels (images.part_scramble): clean, the homework's scramble
(eyes and brows moved, nose and mouth turned in place), everything moved, everything turned, everything swapped, and
everything moved and turned. Each model is scored on the class it predicted on the clean photo and, for the ImageNet
pairs, also on that class's group (lab.class_groups), so that "tabby" becoming "tiger cat" is not a failure.
"""
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import torch
from PIL import Image

from images.decode import load_image
from images.digest import pixel_digest
from images.part_scramble import EVERY_PART, Mark, PartScramble, check_marks, scramble_photo
from lab.class_groups import group_probability
from lab.picasso import FACE, VariantScores, measured_class, variant_probabilities
from lab.sweeps import Progress
from models.pairs import HUB_PAIRS, Pair
from runtime.messages import Message, UserError

PARTS = ("left eye", "right eye", "nose", "mouth", "left brow", "right brow", "left ear", "right ear")
"""The parts a mark can name, in the order a user is asked to click them."""
EVERY = (EVERY_PART,)
PHOTO_VARIANTS = {
    "homework": PartScramble(move=("eyes", "brows"), rotate=("nose", "mouth")),
    "moved": PartScramble(move=EVERY),
    "rotated": PartScramble(rotate=EVERY),
    "swapped": PartScramble(swap=EVERY),
    "picasso": PartScramble(move=EVERY, rotate=EVERY),
}
"""The toy world's variant names (lab.picasso.VARIANTS, toyworld.PRESETS) for the same scrambles on pixels."""
GROUP_MEASURE = "p_clean_group"
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
SHIPPED_MARKS = EXAMPLES_DIR / "picasso_marks.json"
"""Marks for the bundled photos that show a face, by file name."""
EYE_SPAN = 0.6
"""An automatic patch's side, as a fraction of the distance between the eyes once both are marked."""
SHORT_SIDE = 8
"""Before both eyes are marked, an automatic patch's side is the photo's shorter side divided by this."""


@dataclass(frozen=True)
class PhotoScore:
    """One model on one variant of the photo: its probability of the measured class, its top-1, and the probability
    summed over that class's group (None when the class is in no group, or off ImageNet)."""
    p_target: float
    top1: str
    p_group: float | None

    def to_json(self) -> dict:
        """{"p_target", "top1", "p_group"}."""
        return {"p_target": self.p_target, "top1": self.top1, "p_group": self.p_group}


@dataclass(frozen=True)
class PhotoScores:
    """The photo's variants scored by both models, as lab.picasso.PicassoScores, plus each class's group (per model,
    None where it has none) and the group's measure."""
    measure: str
    group_measure: str
    classes: dict[str, str]  # per model
    groups: dict[str, str | None]  # per model
    variants: list[VariantScores[PhotoScore]]

    def to_json(self) -> dict:
        """{"measure", "group_measure", "classes", "groups", "variants": [...]}: /picasso_photo's answer, less its
        precision."""
        return {"measure": self.measure, "group_measure": self.group_measure, "classes": self.classes,
                "groups": self.groups, "variants": [v.to_json() for v in self.variants]}


def auto_size(marks: list[dict], width: int, height: int) -> int:
    """A patch side that suits the face: EYE_SPAN of the eyes' distance when both are marked, else a fraction of
    the photo's shorter side."""
    eyes = [(m["x"], m["y"]) for m in marks if m["part"] in ("left eye", "right eye")]
    if len(eyes) == 2 and math.dist(*eyes) >= 8:
        return max(4, round(EYE_SPAN * math.dist(*eyes)))
    return max(4, round(min(width, height) / SHORT_SIDE))


@lru_cache(maxsize=1)
def _shipped() -> dict[str, list[dict]]:
    """Pixel digest of each bundled photo (decoded as uploads are) → its shipped marks."""
    photos = json.loads(SHIPPED_MARKS.read_text())["photos"]
    return {pixel_digest(load_image(EXAMPLES_DIR / name)): marks for name, marks in photos.items()}


def shipped_marks(image: Image.Image) -> list[dict] | None:
    """The shipped marks of a bundled example photo, recognised by its pixels however it arrived; else None."""
    marks = _shipped().get(pixel_digest(image))
    return [dict(mark) for mark in marks] if marks else None


def parse_marks(marks: list[dict] | None) -> list[Mark]:
    """Marks from their JSON form, [{"part", "x", "y", "size"}, ...], with a clear message for anything else."""
    if not isinstance(marks, list):
        raise UserError("marks_not_a_list")
    parsed = []
    for position, mark in enumerate(marks, 1):
        if not isinstance(mark, dict) or not {"part", "x", "y", "size"} <= mark.keys():
            raise UserError("mark_keys", position=position, mark=mark)
        if mark["part"] not in PARTS:
            raise UserError("mark_unknown_part", position=position, part=mark["part"], parts=", ".join(PARTS))
        try:
            parsed.append(Mark(mark["part"], float(mark["x"]), float(mark["y"]), float(mark["size"])))
        except (TypeError, ValueError):
            raise UserError("mark_not_numbers", position=position, mark=mark) from None
    return parsed


def photo_variants(image: Image.Image, marks: list[Mark], seed: int) -> list[tuple[str, Image.Image]]:
    """The clean photo, then each of PHOTO_VARIANTS, as (name, image); the same seed gives the same pictures."""
    check_marks(marks, *image.size)
    return [("clean", image)] + [(name, scramble_photo(image, marks, scramble, seed * len(PHOTO_VARIANTS) + k)[0])
                                 for k, (name, scramble) in enumerate(PHOTO_VARIANTS.items())]


def _model_scores(probs: torch.Tensor, pair: Pair) -> tuple[str, str | None, list[PhotoScore]]:
    """The measured class, its group (ImageNet pairs only) and each variant's score."""
    target = measured_class(probs, pair.labels)
    group = group_probability(probs, target) if pair.name in HUB_PAIRS else None
    scores = [PhotoScore(float(row[target]), pair.labels[int(row.argmax())], float(group[1][i]) if group else None)
              for i, row in enumerate(probs)]
    return pair.labels[target], group[0] if group else None, scores


def run_picasso_photo(pair: Pair, image: Image.Image, marks: list[Mark], seed: int,
                      progress: Progress | None = None, *,
                      variants: list[tuple[str, Image.Image]] | None = None) -> PhotoScores:
    """Score the photo's six variants with both models in one batch, as run_picasso plus the group measure.

    p_target is the probability of the class named in `classes` (measure "p_face" on a pair with a face class, else
    "p_clean_top1": the model's top-1 on the clean photo); p_group sums the probabilities of that class's group,
    named in `groups` (None when the class is in no group, or off ImageNet).
    """
    variants = photo_variants(image, marks, seed) if variants is None else variants
    if progress is not None:
        progress(0.0, Message("picasso_photo_scoring"))
    cnn_probs, vit_probs = variant_probabilities(pair, variants)
    cnn_class, cnn_group, cnn_scores = _model_scores(cnn_probs, pair)
    vit_class, vit_group, vit_scores = _model_scores(vit_probs, pair)
    if progress is not None:
        progress(1.0, Message("picasso_photo_done"))
    return PhotoScores(measure="p_face" if FACE in pair.labels else "p_clean_top1", group_measure=GROUP_MEASURE,
                       classes={"cnn": cnn_class, "vit": vit_class}, groups={"cnn": cnn_group, "vit": vit_group},
                       variants=[VariantScores(name, cnn, vit)
                                 for (name, _), cnn, vit in zip(variants, cnn_scores, vit_scores)])
