"""Tests for models.position: the fixed 2D sin-cos position embedding."""
import pytest
import torch

from lab.filters import position_similarity
from models.position import sincos_2d


@pytest.mark.parametrize("side, dim", [(8, 128), (14, 384), (4, 16)])
def test_shape_and_every_row_has_the_same_norm(side, dim):
    embedding = sincos_2d(side, dim)
    assert embedding.shape == (side * side, dim) and embedding.dtype == torch.float32
    assert torch.allclose(embedding.norm(dim=1), torch.full((side * side,), (dim / 2) ** 0.5), atol=1e-5)


def test_the_first_position_is_sin_zero_and_cos_one():
    embedding = sincos_2d(4, 16)
    assert torch.equal(embedding[0], torch.tensor([0.0] * 4 + [1.0] * 4 + [0.0] * 4 + [1.0] * 4))


@pytest.mark.parametrize("side, dim", [(8, 128), (14, 384)])
def test_similarity_is_highest_at_itself_and_falls_with_distance(side, dim):
    similarity = position_similarity(sincos_2d(side, dim)).reshape(side * side, side * side)
    rows, columns = torch.meshgrid(torch.arange(side), torch.arange(side), indexing="ij")
    places = torch.stack([rows.flatten(), columns.flatten()], 1).float()
    distance = torch.cdist(places, places)
    assert torch.equal(similarity.argmax(dim=1), torch.arange(side * side))  # each position most like itself
    others = similarity.masked_fill(torch.eye(side * side, dtype=torch.bool), -2)
    nearest = distance.gather(1, others.argmax(dim=1, keepdim=True))
    assert torch.all(nearest == 1)  # and next most like an adjacent position
    by_distance = [similarity[distance == d].mean() for d in (1.0, 2.0, 3.0)]
    assert by_distance[0] > by_distance[1] > by_distance[2]
    along_a_row = similarity[0, :4]  # from the corner: 0, 1, 2, 3 patches to the right
    assert torch.all(along_a_row[1:] < along_a_row[:-1])


def test_row_and_column_are_told_apart():
    embedding = sincos_2d(8, 64)
    assert not torch.allclose(embedding[1], embedding[8])  # (0, 1) is not (1, 0)


def test_refuses_a_width_that_is_not_a_multiple_of_four():
    with pytest.raises(ValueError, match="multiple of 4"):
        sincos_2d(8, 30)
