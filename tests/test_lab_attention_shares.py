"""C2's measurement: shares of a map on the object and the border band, and content variation, on constructed maps."""
import numpy as np
import pytest
import torch

from lab.attention_shares import BORDER_FRACTION, MAPS, border_mask, content_variation, measure_attention_shares, \
    region_shares
from tests.conftest import make_tiny_pair
from toyworld import LABELS

SIDE = 64


def square(top: int, left: int, size: int) -> np.ndarray:
    mask = np.zeros((SIDE, SIDE), dtype=bool)
    mask[top:top + size, left:left + size] = True
    return mask


def test_border_band_is_the_outer_eighth_of_the_side():
    band = border_mask(SIDE)
    assert band[:8].all() and band[-8:].all() and band[:, :8].all() and band[:, -8:].all()
    assert not band[8:56, 8:56].any()
    assert band.mean() == pytest.approx(1 - (48 / 64) ** 2)  # the ViT's outer ring of 8-px patches: 28 of 64
    assert BORDER_FRACTION == 1 / 8


def test_a_map_on_the_object_puts_all_its_mass_there_and_none_on_the_border():
    objects = [square(20, 20, 16), square(30, 24, 16)]
    maps = [torch.from_numpy(obj.astype(np.float32)) for obj in objects]  # at the masks' resolution: no blur
    shares = region_shares(maps, objects, border_mask(SIDE))
    assert shares.object.to_json() == pytest.approx([1.0, 1.0, 1.0])
    assert shares.border.to_json() == pytest.approx([0.0, 0.0, 0.0])
    assert shares.object_area == pytest.approx(256 / SIDE ** 2)
    assert shares.on_object() and shares.off_border()


def test_a_flat_map_gets_each_region_its_share_of_the_area():
    objects = [square(20, 20, 16), square(10, 30, 16), square(40, 8, 16)]
    maps = [torch.ones(8, 8)] * 3  # a patch grid, upsampled to the masks
    shares = region_shares(maps, objects, border_mask(SIDE))
    assert shares.object.value == pytest.approx(shares.object_area)
    assert shares.border.value == pytest.approx(shares.border_area)
    assert not shares.on_object() and not shares.off_border()


def test_a_map_on_the_border_is_off_the_object():
    objects = [square(24, 24, 16)] * 2
    maps = [torch.from_numpy(border_mask(SIDE).astype(np.float32))] * 2
    shares = region_shares(maps, objects, border_mask(SIDE))
    assert shares.border.value == pytest.approx(1.0) and shares.object.value == pytest.approx(0.0)


def test_all_zero_maps_are_left_out_and_all_zero_fails():
    objects = [square(20, 20, 16)] * 3
    maps = [torch.from_numpy(objects[0].astype(np.float32)), torch.zeros(8, 8), torch.ones(8, 8)]
    shares = region_shares(maps, objects, border_mask(SIDE))
    assert shares.object.value == pytest.approx((1.0 + 256 / SIDE ** 2) / 2)
    with pytest.raises(ValueError, match="all zero"):
        region_shares([torch.zeros(8, 8)], objects[:1], border_mask(SIDE))


def test_content_variation_is_zero_for_the_same_map_on_every_image():
    same = torch.rand(8, 8)
    assert content_variation([same, same * 3, same / 2]) == pytest.approx(0.0, abs=1e-6)  # scale does not matter


def test_content_variation_of_attention_that_follows_the_object():
    # two images, attention entirely on patch 0 in one and on patch 1 in the other: at those two positions the
    # shares are (1, 0) and (0, 1), mean 0.5 and sample std 0.707, so CV = 1.414; elsewhere no attention, left out
    first, second = torch.zeros(2, 2), torch.zeros(2, 2)
    first[0, 0], second[0, 1] = 1.0, 1.0
    assert content_variation([first, second]) == pytest.approx(2 ** 0.5)
    half = torch.tensor([[1.0, 3.0], [0.0, 0.0]])  # shares 0.25 / 0.75 against 0.75 / 0.25
    flipped = torch.tensor([[3.0, 1.0], [0.0, 0.0]])
    assert content_variation([half, flipped]) == pytest.approx((0.5 ** 0.5 * 0.5) / 0.5)


def test_content_variation_needs_two_maps_with_mass():
    with pytest.raises(ValueError, match="two maps"):
        content_variation([torch.ones(2, 2), torch.zeros(2, 2)])


def test_measure_on_toy_images_with_a_tiny_pair():
    pair = make_tiny_pair(labels=LABELS, image_size=SIDE)
    done = []
    result = measure_attention_shares(pair, 3, progress=lambda i, n: done.append((i, n)))
    assert done[-1] == (3, 3) and result.count == 3
    assert list(result.shares) == list(MAPS) == list(result.content_variation)
    for shares in result.shares.values():
        assert 0.0 <= shares.object.value <= 1.0 and 0.0 <= shares.border.value <= 1.0
        assert shares.border_area == pytest.approx(1 - (48 / 64) ** 2)
        assert 0.0 < shares.object_area < 0.6
    assert all(v >= 0.0 for v in result.content_variation.values())


def test_measure_refuses_a_pair_that_crops_the_toy_image():
    with pytest.raises(ValueError, match="whole toy image"):
        measure_attention_shares(make_tiny_pair(labels=LABELS, image_size=32), 1)
