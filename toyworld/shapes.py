"""Vector primitives in an object's local frame (about [-1, 1] on each axis, y pointing down)."""

import math
from dataclasses import dataclass, replace

import numpy as np

RGB = tuple[int, int, int]

OUTLINE = 0.045  # outline width in local units, before the per-picture line scale

_CIRCLE_ANGLES = np.linspace(0, 2 * math.pi, 40, endpoint=False)
_UNIT_CIRCLE = np.stack([np.cos(_CIRCLE_ANGLES), np.sin(_CIRCLE_ANGLES)], axis=1)


@dataclass(frozen=True)
class Shape:
    """A filled polygon (closed) or a polyline stroked in `fill` (open); widths in the points' units."""

    points: np.ndarray
    fill: RGB | None
    outline: RGB | None = None
    width: float = 0.0
    closed: bool = True

    def transformed(self, matrix: np.ndarray) -> "Shape":
        """The same shape with its points mapped through a 2x3 affine matrix."""
        return replace(self, points=self.points @ matrix[:, :2].T + matrix[:, 2])


@dataclass(frozen=True)
class Part:
    """A named group of shapes that the scrambler can move or rotate as one piece."""

    name: str
    shapes: tuple[Shape, ...]
    movable: bool = True
    group: str | None = None

    @property
    def unit(self) -> str:
        """The name the part is swapped under: its group if it has one, else its own name."""
        return self.group or self.name

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned (min corner, max corner) of all the part's points."""
        stacked = np.concatenate([shape.points for shape in self.shapes])
        return stacked.min(axis=0), stacked.max(axis=0)

    @property
    def centre(self) -> tuple[float, float]:
        """Centre of the part's bounding box."""
        low, high = self.bounds()
        return float(low[0] + high[0]) / 2, float(low[1] + high[1]) / 2

    def transformed(self, matrix: np.ndarray) -> "Part":
        """The part with every shape mapped through a 2x3 affine matrix."""
        return replace(self, shapes=tuple(shape.transformed(matrix) for shape in self.shapes))


def affine(scale_x: float = 1.0, scale_y: float = 1.0, degrees: float = 0.0,
           shift: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """2x3 matrix that scales, then rotates (clockwise on screen), then shifts."""
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return np.array([[cos * scale_x, -sin * scale_y, shift[0]],
                     [sin * scale_x, cos * scale_y, shift[1]]])


def about(centre: tuple[float, float], matrix: np.ndarray) -> np.ndarray:
    """Conjugate a linear 2x3 matrix so that it acts about `centre` instead of the origin."""
    centre_vector = np.asarray(centre)
    moved = matrix.copy()
    moved[:, 2] = matrix[:, 2] + centre_vector - matrix[:, :2] @ centre_vector
    return moved


def ellipse(cx: float, cy: float, rx: float, ry: float, degrees: float = 0.0) -> np.ndarray:
    """Polygon approximating an ellipse, optionally tilted."""
    return _UNIT_CIRCLE @ affine(rx, ry, degrees)[:, :2].T + (cx, cy)


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float, count: int = 12) -> np.ndarray:
    """Polyline along an elliptical arc between two angles in degrees (0 = right, 90 = down)."""
    angles = np.radians(np.linspace(start, end, count))
    return np.stack([cx + rx * np.cos(angles), cy + ry * np.sin(angles)], axis=1)


def curve(start: tuple[float, float], control: tuple[float, float], end: tuple[float, float],
          count: int = 10) -> np.ndarray:
    """Quadratic Bezier polyline."""
    t = np.linspace(0, 1, count)[:, None]
    return (1 - t) ** 2 * np.asarray(start) + 2 * (1 - t) * t * np.asarray(control) + t ** 2 * np.asarray(end)


def polygon(*points: tuple[float, float]) -> np.ndarray:
    """Points as an (n, 2) array."""
    return np.asarray(points, dtype=float)


def rectangle(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """Axis-aligned rectangle as a polygon."""
    return polygon((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def mirrored(points: np.ndarray) -> np.ndarray:
    """Points reflected across the vertical axis x = 0."""
    return points * (-1.0, 1.0)


def filled(points: np.ndarray, colour: RGB, ink: RGB | None = None) -> Shape:
    """A filled polygon, outlined in `ink` when given."""
    return Shape(points, colour, ink, OUTLINE if ink else 0.0)


def stroked(points: np.ndarray, colour: RGB, thickness: float, ink: RGB | None = None) -> Shape:
    """A thick polyline with round ends, edged in `ink` when given."""
    return Shape(points, colour, ink, thickness, closed=False)


def extent(parts: list[Part]) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned (min corner, max corner) around several parts."""
    lows, highs = zip(*(part.bounds() for part in parts))
    return np.min(lows, axis=0), np.max(highs, axis=0)
