"""Tests for lab.filters: filters, principal components, position similarity and filter structure, on real models."""
import pytest
import torch

from lab.filters import (cnn_filters, filter_structure, first_conv, first_layers, learned_positions, neighbour_correlation,
                         patch_filters, position_similarity, principal_components, shuffled_correlation)
from models import load_pair


def test_first_layers_of_the_toy_pair():
    pair = load_pair("toy")
    assert first_conv(pair.cnn.model) is pair.cnn.model.conv1[0]  # resnet10t's deep stem starts with a 3×3
    assert cnn_filters(pair.cnn.model).shape[1:] == (3, 3, 3)
    assert patch_filters(pair.vit).shape == (pair.vit.conv_proj.out_channels, 3, 8, 8)
    assert learned_positions(pair.vit).shape == (64, pair.vit.conv_proj.out_channels)  # the class token left out
    assert torch.equal(learned_positions(pair.vit), pair.vit.encoder.pos_embedding[0, 1:].cpu())


def test_principal_components_are_orthonormal_and_sorted(tiny_pair):
    components = principal_components(patch_filters(tiny_pair.vit), count=8)
    flat = components.components.flatten(1).double()
    assert components.components.shape == (8, 3, 8, 8)
    assert torch.allclose(flat @ flat.T, torch.eye(8, dtype=torch.float64), atol=1e-5)
    explained = components.explained
    assert torch.all(explained[1:] <= explained[:-1]) and 0 < explained.sum() <= 1


def test_all_components_explain_all_the_variance():
    filters = torch.randn(40, 3, 2, 2, generator=torch.Generator().manual_seed(0))
    assert principal_components(filters, count=100).explained.sum() == pytest.approx(1.0, abs=1e-5)


def test_position_similarity_has_a_unit_diagonal_and_is_symmetric():
    similarity = position_similarity(learned_positions(load_pair("toy").vit))
    assert similarity.shape == (8, 8, 8, 8)
    flat = similarity.reshape(64, 64)
    assert torch.allclose(flat.diagonal(), torch.ones(64), atol=1e-5)
    assert torch.allclose(flat, flat.T, atol=1e-6)
    assert flat.min() >= -1 - 1e-5 and flat.max() <= 1 + 1e-5


def test_position_similarity_refuses_a_grid_that_is_not_square():
    with pytest.raises(ValueError, match="square grid"):
        position_similarity(torch.randn(10, 4))


def test_neighbour_correlation_tells_smooth_from_rough():
    ramp = torch.arange(8.0)[None, None, None].expand(1, 3, 8, 8) + torch.arange(8.0)[None, None, :, None]
    checker = (torch.arange(8)[:, None] + torch.arange(8)[None]) % 2 * 2.0 - 1
    assert neighbour_correlation(ramp).item() > 0.8
    assert neighbour_correlation(checker.expand(1, 3, 8, 8)).item() == pytest.approx(-1.0)
    noise = torch.randn(500, 3, 8, 8, generator=torch.Generator().manual_seed(0))
    assert neighbour_correlation(noise).mean().item() == pytest.approx(-1 / 63, abs=0.02)


def test_shuffling_destroys_a_smooth_filter_s_structure():
    ramp = torch.arange(8.0)[None, None, None].expand(4, 3, 8, 8) + torch.arange(8.0)[None, None, :, None]
    assert torch.all(shuffled_correlation(ramp) < 0.2)
    structure = filter_structure(ramp + 0.01 * torch.randn(4, 3, 8, 8, generator=torch.Generator().manual_seed(1)),
                                 "ramps")
    assert structure.structured() and structure.count == 4 and structure.size == (8, 8)


def test_random_weights_are_not_structured(tiny_pair):
    layers = first_layers(tiny_pair)
    assert not layers["vit"].structured()
    assert layers["vit"].shuffled.value == pytest.approx(-1 / 63, abs=0.01)  # 8×8 patches: -1 / (64 - 1)
