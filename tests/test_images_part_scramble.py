"""Picasso scrambles on pixels, checked pixel by pixel on a synthetic photo with coloured parts at known places."""
import re

import numpy as np
import pytest
from PIL import Image

from images.part_scramble import Mark, PartScramble, check_marks, disc_alpha, scramble_photo, square

BACKGROUND = (40, 160, 40)
SIZE = 40  # each mark's square; its alpha-1 disc has radius 17, holding the 16 px coloured squares whole
MARKS = [Mark("left eye", 60, 60, SIZE), Mark("right eye", 180, 70, SIZE), Mark("nose", 120, 130, SIZE)]
COLOURS = [(220, 30, 30), (30, 30, 220), (240, 240, 0)]


def photo() -> Image.Image:
    """A green 240 × 180 'photo' with a red, a blue and a yellow 16 px square centred on the three marks."""
    pixels = np.zeros((180, 240, 3), np.uint8)
    pixels[:] = BACKGROUND
    for mark, colour in zip(MARKS, COLOURS):
        pixels[int(mark.y) - 8:int(mark.y) + 8, int(mark.x) - 8:int(mark.x) + 8] = colour
    return Image.fromarray(pixels)


def inner_disc(centre: tuple[int, int], picture: np.ndarray) -> np.ndarray:
    """The pixels where a patch centred there is pasted at full opacity."""
    left, top, side = square(Mark("any", *centre, SIZE), picture.shape[1], picture.shape[0])
    return picture[top:top + side, left:left + side][disc_alpha(side) == 1]


def outside_squares(picture: np.ndarray, centres: list[tuple[int, int]]) -> np.ndarray:
    keep = np.ones(picture.shape[:2], bool)
    for centre in centres:
        left, top, side = square(Mark("any", *centre, SIZE), picture.shape[1], picture.shape[0])
        keep[top:top + side, left:left + side] = False
    return picture[keep]


def test_swapped_patches_land_exactly_on_each_others_marks():
    original = np.asarray(photo())
    result, placements = scramble_photo(photo(), MARKS, PartScramble(swap=("*",)), seed=0)
    result = np.asarray(result)
    centres = {p.part: p.source for p in placements}
    assert {p.target for p in placements} == set(centres.values())  # a cycle: every place taken once
    for placement in placements:
        assert placement.target != placement.source
        np.testing.assert_array_equal(inner_disc(placement.target, result), inner_disc(placement.source, original))
    np.testing.assert_array_equal(outside_squares(result, list(centres.values())),
                                  outside_squares(original, list(centres.values())))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_moved_patches_land_where_the_placements_say_and_nothing_else_changes(seed):
    original = np.asarray(photo())
    result, placements = scramble_photo(photo(), MARKS, PartScramble(move=("*",)), seed=seed)
    result = np.asarray(result)
    for placement in placements:
        assert placement.target != placement.source and placement.degrees == 0
        coloured = inner_disc(placement.source, original)
        np.testing.assert_array_equal(inner_disc(placement.target, result), coloured)
    touched = [p.source for p in placements] + [p.target for p in placements]
    np.testing.assert_array_equal(outside_squares(result, touched), outside_squares(original, touched))


def test_rotation_in_place_keeps_each_patch_inside_its_square():
    pixels = np.asarray(photo()).copy()
    pixels[52:56, 60:74] = (255, 255, 255)  # a white bar off the left eye's centre, so a turn moves it
    original = Image.fromarray(pixels)
    result, placements = scramble_photo(original, MARKS, PartScramble(rotate=("*",)), seed=3)
    result = np.asarray(result)
    centres = [(int(m.x), int(m.y)) for m in MARKS]
    np.testing.assert_array_equal(outside_squares(result, centres), outside_squares(pixels, centres))
    assert all(60 <= abs(p.degrees) <= 180 and p.target == p.source for p in placements)
    left, top, side = square(MARKS[0], 240, 180)
    before = pixels[top:top + side, left:left + side]
    after = result[top:top + side, left:left + side]
    white_before, white_after = (before.min(axis=-1) > 200), (after.min(axis=-1) > 200)
    assert not np.array_equal(white_before, white_after)  # the bar turned
    assert 0.6 < white_after.sum() / white_before.sum() < 1.4  # and is still there, inside the square


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_holes_are_filled_from_the_surroundings_not_black_and_not_the_part(seed):
    result, placements = scramble_photo(photo(), MARKS, PartScramble(move=("*",)), seed=seed)
    result = np.asarray(result).astype(int)
    targets = [p.target for p in placements]
    bare = [p.source for p in placements  # holes that no moved patch landed on
            if all(max(abs(p.source[0] - t[0]), abs(p.source[1] - t[1])) >= SIZE for t in targets)]
    assert bare, "this layout leaves at least one hole uncovered"
    for source in bare:
        hole = inner_disc(source, result)
        assert np.abs(hole - np.array(BACKGROUND)).max() <= 12, "the hole should look like the green around it"


def test_the_same_seed_gives_the_same_picture_and_another_seed_another():
    scramble = PartScramble(move=("*",), rotate=("*",))
    first = np.asarray(scramble_photo(photo(), MARKS, scramble, seed=5)[0])
    np.testing.assert_array_equal(first, np.asarray(scramble_photo(photo(), MARKS, scramble, seed=5)[0]))
    assert not np.array_equal(first, np.asarray(scramble_photo(photo(), MARKS, scramble, seed=6)[0]))


def test_groups_select_both_eyes_and_nothing_else():
    original = np.asarray(photo())
    result, placements = scramble_photo(photo(), MARKS, PartScramble(move=("eyes",)), seed=0)
    moved = {p.part for p in placements if p.target != p.source}
    assert moved == {"left eye", "right eye"}
    nose = (int(MARKS[2].x), int(MARKS[2].y))
    np.testing.assert_array_equal(inner_disc(nose, np.asarray(result)), inner_disc(nose, original))


@pytest.mark.parametrize("marks, message", [
    ([Mark("nose", 10, 10, 20)], "at least two parts"),
    ([Mark("nose", 10, 10, 20), Mark("mouth", 400, 10, 20)], "outside the 240 × 180 photo"),
    ([Mark("nose", 10, 10, 20), Mark("mouth", 50, -1, 20)], "outside"),
    ([Mark("nose", 10, 10, 200), Mark("mouth", 50, 50, 20)], "shorter side (180 px)"),
    ([Mark("nose", 10, 10, 20), Mark("nose", 50, 50, 20)], "marked more than once: nose"),
])
def test_bad_marks_are_refused_with_a_message_that_says_why(marks, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        check_marks(marks, 240, 180)
