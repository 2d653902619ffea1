"""Tests for explain.localisation: pointing game and mass share on constructed maps and masks."""

import math

import numpy as np
import pytest
import torch

from explain.localisation import mass_share, pointing_game
from toyworld import render_with_masks


def square_mask(size: int, rows: slice, cols: slice) -> np.ndarray:
    mask = np.zeros((size, size), dtype=bool)
    mask[rows, cols] = True
    return mask


def peak_at(grid: int, row: int, col: int) -> torch.Tensor:
    heat = torch.full((grid, grid), 0.1)
    heat[row, col] = 1.0
    return heat


def test_pointing_game_upsamples_the_map_and_accepts_the_object_and_a_one_pixel_border_only():
    mask = square_mask(64, slice(24, 40), slice(24, 40))  # cells 3..4 of an 8x8 grid (8 px cells)
    assert pointing_game(peak_at(8, 3, 4), mask)  # its maximum: pixels 27-28 x 35-36, on the object
    assert not pointing_game(peak_at(8, 2, 5), mask)  # centre pixels 19-20 x 43-44: 4 px outside
    assert not pointing_game(peak_at(8, 7, 0), mask)
    assert pointing_game(peak_at(64, 23, 30), mask)  # one pixel above the object: inside the dilation
    assert pointing_game(peak_at(64, 40, 40), mask)  # diagonal neighbour of the corner pixel (39, 39)
    assert not pointing_game(peak_at(64, 22, 30), mask)  # two pixels above


def test_pointing_game_needs_every_tied_maximum_on_the_object():
    mask = square_mask(64, slice(0, 32), slice(0, 64))  # top half
    assert not pointing_game(torch.ones(8, 8), mask)
    tied = torch.zeros(64, 64)
    tied[0, 0] = tied[32, 10] = 1.0
    assert pointing_game(tied, mask)  # row 32 touches the object's dilation
    tied[40, 40] = 1.0
    assert not pointing_game(tied, mask)


def test_mass_share_at_the_masks_resolution():
    mask = square_mask(64, slice(0, 32), slice(0, 64))
    share = mass_share(torch.ones(8, 8), mask)
    assert share.inside == pytest.approx(0.5) and share.area == 0.5
    top = torch.zeros(8, 8)
    top[:4] = 1.0
    assert mass_share(top, mask).inside > 0.9  # bilinear upsampling leaks a little over the border
    assert math.isnan(mass_share(torch.zeros(8, 8), mask).inside)  # no mass, no share
    pixel_map = torch.as_tensor(mask, dtype=torch.float32) * 3 + torch.as_tensor(~mask, dtype=torch.float32)
    assert mass_share(pixel_map, mask).inside == pytest.approx(0.75)


def test_mass_share_clips_negative_values():
    mask = square_mask(4, slice(0, 2), slice(0, 4))
    heat = torch.tensor([[1.0] * 4, [1.0] * 4, [-5.0] * 4, [-5.0] * 4])
    assert mass_share(heat, mask).inside == 1.0


def test_on_a_toy_object_the_mask_itself_is_a_perfect_map():
    _, masks = render_with_masks("car", 2)
    obj = masks["object"]
    share = mass_share(torch.as_tensor(obj, dtype=torch.float32), obj)
    assert share.inside == 1.0 and share.area == pytest.approx(obj.mean())
    assert 0 < share.area < 1
    assert pointing_game(torch.as_tensor(obj, dtype=torch.float32), obj)
