"""FINDINGS.md's "On real photos": the Picasso test on the bundled photos that come marked, with every Hub pair whose
weights are in the cache. A handful of photos: anecdotes, not verdicts (the toy world is where verdicts are graded)."""
import json

from images.decode import load_image
from lab.picasso_photo import EXAMPLES_DIR, SHIPPED_MARKS, PhotoScore, PhotoScores, parse_marks, run_picasso_photo
from models import load_pair
from models.hub import cached_files, fetch_command
from models.pairs import HUB_PAIRS
from runtime.precision import precision

SEED = 0
MODELS = (("cnn", "CNN"), ("vit", "ViT"))


def cached_hub_pairs() -> list[str]:
    """The Hub pairs whose weights (both models') are in the cache, so they load without a download."""
    return [name for name, spec in HUB_PAIRS.items()
            if all(cached_files(f"timm/{model}") for model in (spec.cnn_model, spec.vit_model))]


def measure_photos(pair_names: list[str]) -> dict[str, dict[str, PhotoScores]]:
    """Per pair and bundled photo, the Picasso photo test on the photo's shipped marks (seed SEED)."""
    photos = json.loads(SHIPPED_MARKS.read_text())["photos"]
    measured = {}
    for name in pair_names:
        pair = load_pair(name)
        measured[name] = {photo: run_picasso_photo(pair, load_image(EXAMPLES_DIR / photo), parse_marks(marks), SEED)
                          for photo, marks in photos.items()}
    return measured


def photos_section(measured: dict[str, dict[str, PhotoScores]]) -> list[str]:
    """The section: what was done, then per measured pair a table; for each Hub pair not measured, how to."""
    lines = ["## On real photos (anecdotes)", "",
             "The Picasso test of C7–C9 on the bundled photos that show a face, with the marks shipped in "
             "`examples/picasso_marks.json`: each marked part (eyes, nose, mouth, brows) is a square patch, pasted "
             "with a soft edge; holes are filled from the surroundings (`images/part_scramble.py`). A handful of "
             "photos, one scramble each (seed 0): anecdotes, not a verdict on any claim; the verdicts above come "
             "from the toy world. Each cell: the probability of the class the model predicted on the clean photo, "
             "then (after /) the probability summed over that class's WordNet group where it has one "
             "(`lab/class_groups.py`). The app's Invariance lab and `/picasso_photo` run the same test on any photo.",
             ""]
    for name, photos in measured.items():
        variants = [v.name for v in next(iter(photos.values())).variants]
        lines += [f"**{name}** (at {precision()}):", "",
                  "| photo | model | clean top-1 (group) | " + " | ".join(variants) + " |",
                  "|---|---|---|" + "---:|" * len(variants)]
        for photo, result in photos.items():
            for key, label in MODELS:
                group = result.groups[key]
                cells = [_cell(getattr(v, key)) for v in result.variants]
                lines.append(f"| {photo} | {label} | {result.classes[key]}" + (f" ({group})" if group else "")
                             + " | " + " | ".join(cells) + " |")
        lines.append("")
    missing = [name for name in HUB_PAIRS if name not in measured]
    if missing:
        lines += ["Not measured here, because the weights were not in the Hub cache when the report ran: "
                  + ", ".join(f"**{name}**" for name in missing) + ". To produce this section with them, fetch "
                  "the weights (" + "; ".join(f"`{fetch_command(name)}`" for name in missing) + ") and run the "
                  "report again (`python -m findings.report`); it measures every Hub pair found in the cache.", ""]
    return lines


def _cell(scores: PhotoScore) -> str:
    group = scores.p_group
    return f"{scores.p_target:.2f}" + (f" / {group:.2f}" if group is not None else "")
