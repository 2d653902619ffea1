"""Write a contact sheet: every class at eight seeds, then faces under each scramble preset.

Usage: python -m toyworld.preview OUT.png
"""

import sys

from PIL import Image

from toyworld import IMAGE_SIZE, LABELS, PRESETS, render

SEEDS = range(8)
ZOOM = 2


def contact_sheet() -> Image.Image:
    """Rows of pictures: one row per class, then one row of plain faces and one per preset on the same seeds."""
    rows = [[render(label, seed) for seed in SEEDS] for label in LABELS]
    rows.append([render("face", seed) for seed in SEEDS])
    rows += [[render("face", seed, scramble=preset) for seed in SEEDS] for preset in PRESETS.values()]
    sheet = Image.new("RGB", (len(SEEDS) * IMAGE_SIZE, len(rows) * IMAGE_SIZE), "white")
    for row_index, row in enumerate(rows):
        for column, picture in enumerate(row):
            sheet.paste(picture, (column * IMAGE_SIZE, row_index * IMAGE_SIZE))
    return sheet.resize((sheet.width * ZOOM, sheet.height * ZOOM), Image.NEAREST)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    contact_sheet().save(sys.argv[1])
