"""Tests for explain.effective_field: single convolutions worked out by hand, then the bundled toy pair."""

import math

import numpy as np
import torch
from torch import nn

from explain.effective_field import cnn_effective_distances, effective_distances, vit_effective_distances
from models import load_pair
from toyworld import LABELS, render


def ones_conv(kernel: int, stride: int = 1, out_channels: int = 1) -> nn.Conv2d:
    """A convolution whose every weight is 1: each output depends equally on each input pixel it covers."""
    conv = nn.Conv2d(3, out_channels, kernel, stride=stride, padding=(kernel - 1) // 2 if stride == 1 else 0)
    nn.init.ones_(conv.weight)
    conv.requires_grad_(False)
    return conv


def single_depth(conv: nn.Conv2d):
    return lambda batch: [conv(batch)]


def test_a_3x3_convolution_on_5x5_images_over_every_location():
    # Interior locations (9) see their 3x3 neighbourhood: 4 pixels at 1, 4 at √2, one at 0 -> (4 + 4√2) / 9.
    # Edge locations (12) see 6 pixels: 0, 1, 1, 1, √2, √2 -> (3 + 2√2) / 6; corners (4): 0, 1, 1, √2 -> (2 + √2) / 4.
    # Averaged over the 25 locations: (12 + 9√2) / 25.
    images = torch.rand(3, 3, 5, 5)
    distances = effective_distances(single_depth(ones_conv(3)), 1, images, locations=25)
    assert distances.shape == (1, 3)
    np.testing.assert_allclose(distances, (12 + 9 * math.sqrt(2)) / 25, rtol=1e-6)


def test_one_location_with_its_whole_neighbourhood():
    # A 3x3 convolution without padding on 3x3 images has one location, centred on the middle pixel.
    conv = ones_conv(3)
    conv.padding = (0, 0)
    distances = effective_distances(single_depth(conv), 1, torch.rand(2, 3, 3, 3), locations=8)
    np.testing.assert_allclose(distances, (4 + 4 * math.sqrt(2)) / 9, rtol=1e-6)


def test_a_1x1_convolution_looks_nowhere_else():
    distances = effective_distances(single_depth(ones_conv(1)), 1, torch.rand(2, 3, 6, 6), locations=4)
    np.testing.assert_allclose(distances, 0.0, atol=1e-6)


def test_strided_locations_are_centred_on_their_cell_like_patch_tokens():
    # A 2x2 patchify: each location sees its own 2x2 cell, every pixel √0.5 from the cell's centre.
    distances = effective_distances(single_depth(ones_conv(2, stride=2, out_channels=4)), 1,
                                    torch.rand(2, 3, 8, 8), locations=16)
    np.testing.assert_allclose(distances, math.sqrt(0.5), rtol=1e-6)


def test_the_same_seed_gives_the_same_distances():
    conv = nn.Conv2d(3, 4, 3, padding=1).requires_grad_(False)
    images = torch.rand(2, 3, 9, 9)
    first = effective_distances(single_depth(conv), 1, images, locations=3, seed=7)
    np.testing.assert_array_equal(first, effective_distances(single_depth(conv), 1, images, locations=3, seed=7))


def test_on_the_toy_pair_distance_grows_with_depth():
    pair = load_pair("toy")
    images = torch.stack([pair.transform(render(label, 900)) for label in LABELS[:4]])
    cnn = {k: v.mean() for k, v in cnn_effective_distances(pair.cnn, images).items()}
    vit = {k: v.mean() for k, v in vit_effective_distances(pair.vit, images).items()}
    assert list(cnn) == ["stem", "layer1", "layer2", "layer3", "layer4"]
    assert list(vit) == [f"block{i}" for i in range(1, 7)]
    assert all(np.diff(list(cnn.values())) > 0), cnn
    # The ViT looks far from its first block and keeps widening; from the middle on it has nearly saturated, so
    # neighbouring blocks are only required not to shrink by more than the sampling noise (about 1 px).
    assert all(np.diff(list(vit.values())) > -1.0) and vit["block6"] > vit["block1"] + 2, vit
    assert vit["block1"] > cnn["layer3"]
