"""The catalogue of classes: each builds a list of named parts in the object's local frame."""

import random
from collections.abc import Callable

from toyworld.classes.face import face
from toyworld.classes.nature import butterfly, fish, flower, tree
from toyworld.classes.objects import clock, house
from toyworld.classes.vehicles import boat, car, rocket
from toyworld.palette import Palette
from toyworld.shapes import Part

ClassBuilder = Callable[[random.Random, Palette], list[Part]]

CLASSES: dict[str, ClassBuilder] = {
    "face": face,
    "house": house,
    "car": car,
    "tree": tree,
    "flower": flower,
    "fish": fish,
    "boat": boat,
    "rocket": rocket,
    "clock": clock,
    "butterfly": butterfly,
}
