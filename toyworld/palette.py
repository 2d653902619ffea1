"""Random colour schemes that keep the object readable against its background."""

import colorsys
import random
from dataclasses import dataclass

from toyworld.shapes import RGB

_MIN_LIGHTNESS_GAP = 0.3


@dataclass(frozen=True)
class Palette:
    """Colours for one picture: two for the background, the rest for the object."""

    background: RGB
    background_alt: RGB
    body: RGB
    accent: RGB
    detail: RGB
    light: RGB
    dark: RGB
    ink: RGB  # outlines and marks on the body: dark on a light body, light on a dark one


def _colour(hue: float, lightness: float, saturation: float) -> RGB:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _far_lightness(rng: random.Random, *avoid: float) -> float:
    """A lightness at least _MIN_LIGHTNESS_GAP away from every value in `avoid`."""
    while True:
        lightness = rng.uniform(0.15, 0.85)
        if all(abs(lightness - other) >= _MIN_LIGHTNESS_GAP for other in avoid):
            return lightness


def random_palette(rng: random.Random) -> Palette:
    """Draw a palette whose body colour stands out from both background colours."""
    background_hue = rng.random()
    background_saturation = rng.uniform(0.0, 0.6)
    background_lightness = rng.choice([rng.uniform(0.05, 0.3), rng.uniform(0.7, 0.97)])
    alt_lightness = min(0.98, max(0.02, background_lightness + rng.uniform(-0.1, 0.1)))
    body_lightness = _far_lightness(rng, background_lightness, alt_lightness)
    dark = _colour(rng.random(), rng.uniform(0.05, 0.15), rng.uniform(0.0, 0.4))
    return Palette(
        background=_colour(background_hue, background_lightness, background_saturation),
        background_alt=_colour(background_hue + rng.uniform(-0.15, 0.15), alt_lightness, background_saturation),
        body=_colour(rng.random(), body_lightness, rng.uniform(0.45, 0.9)),
        accent=_colour(rng.random(), rng.uniform(0.3, 0.7), rng.uniform(0.55, 1.0)),
        detail=_colour(rng.random(), rng.uniform(0.3, 0.7), rng.uniform(0.55, 1.0)),
        light=_colour(rng.random(), rng.uniform(0.88, 0.97), rng.uniform(0.0, 0.5)),
        dark=dark,
        ink=dark if body_lightness >= 0.5 else _colour(rng.random(), rng.uniform(0.85, 0.95), rng.uniform(0.0, 0.4)),
    )


def random_colour(rng: random.Random) -> RGB:
    """Any saturated colour of middling lightness."""
    return _colour(rng.random(), rng.uniform(0.25, 0.75), rng.uniform(0.4, 1.0))
