"""Toy world: a procedural generator of small labelled RGB pictures built from named parts."""

from toyworld.canvas import IMAGE_SIZE
from toyworld.compose import LABELS, parts, render, render_with_masks
from toyworld.scramble import PICASSO, PRESETS, Scramble

__all__ = ["IMAGE_SIZE", "LABELS", "PICASSO", "PRESETS", "Scramble", "parts", "render", "render_with_masks"]
