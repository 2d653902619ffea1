"""A face: head (with optional ears and hair), two eyes, two brows, a nose and a mouth."""

import random

from toyworld.palette import Palette
from toyworld.shapes import Part, arc, curve, ellipse, filled, mirrored, polygon, stroked


def _eye(x: float, y: float, gaze: tuple[float, float], size: float, palette: Palette) -> tuple:
    white = filled(ellipse(x, y, size, size * 0.7), palette.light, palette.ink)
    pupil = filled(ellipse(x + gaze[0] * size, y + gaze[1] * size, size * 0.45, size * 0.45), palette.dark)
    return white, pupil


def _mouth(rng: random.Random, y: float, half_width: float, palette: Palette) -> tuple:
    if rng.random() < 0.5:
        smile = arc(0, y - half_width * 0.6, half_width, half_width * rng.uniform(0.6, 0.9), 30, 150)
        return (stroked(smile, palette.accent, 0.07, palette.ink),)
    open_mouth = arc(0, y - 0.05, half_width, rng.uniform(0.15, 0.22), 0, 180, 16)
    return (filled(open_mouth, palette.accent, palette.ink),)


def face(rng: random.Random, palette: Palette) -> list[Part]:
    """Parts of a front-facing cartoon face."""
    head_rx, head_ry = rng.uniform(0.68, 0.8), rng.uniform(0.85, 0.95)
    eye_x, eye_y, eye_size = rng.uniform(0.26, 0.34), rng.uniform(-0.2, -0.08), rng.uniform(0.14, 0.19)
    gaze = (rng.uniform(-0.4, 0.4), rng.uniform(-0.25, 0.25))
    brow_y, brow_tilt = eye_y - eye_size - rng.uniform(0.08, 0.14), rng.uniform(-0.06, 0.06)
    brow = curve((-0.16, brow_tilt), (0, -0.08), (0.16, -brow_tilt)) + (eye_x, brow_y)
    nose_length = rng.uniform(0.2, 0.28)
    nose = polygon((0, eye_y + 0.05), (-0.1, eye_y + 0.05 + nose_length), (0.06, eye_y + 0.05 + nose_length))
    ear = ellipse(head_rx - 0.02, rng.uniform(-0.1, 0.05), 0.14, 0.2)
    hair_top = arc(0, 0, head_rx * 1.05, head_ry * 1.04, 190, 350, 20)
    fringe = [(x, -head_ry * rng.uniform(0.35, 0.55)) for x in (0.55, 0.3, 0.0, -0.3, -0.55)]
    parts = []
    if rng.random() < 0.7:
        parts += [Part("left_ear", (filled(mirrored(ear), palette.body, palette.ink),), movable=False),
                  Part("right_ear", (filled(ear, palette.body, palette.ink),), movable=False)]
    parts.append(Part("head", (filled(ellipse(0, 0, head_rx, head_ry), palette.body, palette.ink),), movable=False))
    if rng.random() < 0.6:
        parts.append(Part("hair", (filled(polygon(*hair_top, *fringe), palette.detail, palette.ink),), movable=False))
    return parts + [
        Part("left_eye", _eye(-eye_x, eye_y, gaze, eye_size, palette), group="eyes"),
        Part("right_eye", _eye(eye_x, eye_y, gaze, eye_size, palette), group="eyes"),
        Part("left_brow", (stroked(mirrored(brow), palette.ink, 0.07),), group="brows"),
        Part("right_brow", (stroked(brow, palette.ink, 0.07),), group="brows"),
        Part("nose", (filled(nose, palette.detail, palette.ink),)),
        Part("mouth", _mouth(rng, rng.uniform(0.48, 0.58), rng.uniform(0.22, 0.34), palette)),
    ]
