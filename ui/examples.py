"""The examples gallery: toy-world pictures (faces, Picasso faces, other classes) and public-domain photos.

`python -m ui.examples` redraws the toy pictures from the generator.
"""
from pathlib import Path

from lab.picasso import HOMEWORK_SCRAMBLE
from toyworld import render

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"

TOY_EXAMPLES = {
    "toy_face": ("face", 3, False),
    "toy_face_picasso_homework": ("face", 3, HOMEWORK_SCRAMBLE),
    "toy_face_picasso_full": ("face", 3, True),
    "toy_house": ("house", 11, False),
    "toy_car": ("car", 5, False),
    "toy_fish": ("fish", 2, False),
    "toy_clock": ("clock", 8, False),
    "toy_butterfly": ("butterfly", 4, False),
}


def _files() -> list[list[str]]:
    toy = [str(EXAMPLES_DIR / f"{name}.png") for name in TOY_EXAMPLES]
    photos = sorted(str(p) for p in EXAMPLES_DIR.glob("photo_*.jpg"))
    return [[path] for path in toy + photos]


EXAMPLES = _files()


def first_example(pair_name: str) -> str:
    """The example selected when the page opens: the toy face on a bundled toy pair, the cat photo on an ImageNet
    pair."""
    return str(EXAMPLES_DIR / ("toy_face.png" if pair_name.startswith("toy") else "photo_cat_chelsea.jpg"))


def draw_toy_examples() -> None:
    """Render the toy examples into examples/."""
    for name, (label, seed, scramble) in TOY_EXAMPLES.items():
        render(label, seed, scramble=scramble).save(EXAMPLES_DIR / f"{name}.png")


if __name__ == "__main__":
    draw_toy_examples()
