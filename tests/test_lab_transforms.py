"""Image transforms of the invariance lab: identities, exact shifts, kept pixels, exact drop counts."""
import pytest
import torch

from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as F

from lab.transforms import fill_value, patch_drop, patch_shuffle, rotate, rotations, translate


@pytest.fixture
def image() -> torch.Tensor:
    return torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(0))


def test_rotate_by_zero_is_the_identity(image):
    assert torch.equal(rotate(image, 0), image)


def test_rotate_by_90_turns_counter_clockwise(image):
    torch.testing.assert_close(rotate(image, 90), torch.rot90(image, 1, dims=(1, 2)))


def test_rotate_fills_corners_with_the_image_mean(image):
    corner = rotate(image, 45)[:, 0, 0]
    torch.testing.assert_close(corner, torch.tensor(fill_value(image)))


@pytest.mark.parametrize("side", [64, 224])
def test_batched_rotations_are_torchvisions_rotate_bit_for_bit(side):
    image = torch.rand(3, side, side, generator=torch.Generator().manual_seed(side))
    angles = [*range(0, 360, 15), -30, 7.5, 400]
    batch = rotations(image, angles)
    assert batch.shape == (len(angles), 3, side, side)
    for angle, rotated in zip(angles, batch):
        expected = F.rotate(image, angle, interpolation=InterpolationMode.BILINEAR, fill=fill_value(image))
        assert torch.equal(rotated, expected), f"{angle}° differs from torchvision's rotate"


def test_rotations_reuse_grids_without_sharing_images(image):
    first = rotations(image, [30, 45])
    first.zero_()  # writing into one answer must not reach the next through the kept grids
    torch.testing.assert_close(rotations(image, [30, 45])[1], rotate(image, 45), rtol=0, atol=0)
    assert rotate(image, 45).abs().sum() > 0


def test_translate_by_zero_is_the_identity(image):
    assert torch.equal(translate(image, 0.0), image)
    assert torch.equal(translate(image, 0.0, 0.0), image)


def test_translate_shifts_whole_pixels_and_fills_the_gap(image):
    shifted = translate(image, 0.25, -0.125)  # 8 px right, 4 px up
    assert torch.equal(shifted[:, :-4, 8:], image[:, 4:, :-8])
    mean = torch.tensor(fill_value(image)).view(3, 1, 1)
    assert torch.equal(shifted[:, :, :8], mean.expand(3, 32, 8))
    assert torch.equal(shifted[:, -4:, :], mean.expand(3, 4, 32))


def test_translate_by_the_whole_side_leaves_only_fill(image):
    assert torch.equal(translate(image, 1.0), torch.tensor(fill_value(image)).view(3, 1, 1).expand(3, 32, 32))


@pytest.mark.parametrize("grid", [1, 2, 4, 8])
def test_shuffle_keeps_the_pixel_multiset(image, grid):
    shuffled = patch_shuffle(image, grid, seed=3)
    assert shuffled.shape == image.shape
    assert torch.equal(shuffled.flatten().sort().values, image.flatten().sort().values)
    assert torch.equal(shuffled, image) == (grid == 1)


def test_shuffle_moves_whole_patches_and_is_deterministic(image):
    shuffled = patch_shuffle(image, 2, seed=5)
    quarters = {tuple(image[:, r:r + 16, c:c + 16].flatten().tolist()) for r in (0, 16) for c in (0, 16)}
    assert {tuple(shuffled[:, r:r + 16, c:c + 16].flatten().tolist()) for r in (0, 16) for c in (0, 16)} == quarters
    assert torch.equal(shuffled, patch_shuffle(image, 2, seed=5))


def test_shuffle_of_a_non_divisible_side_keeps_the_leftover_strip():
    image = torch.rand(3, 30, 30)
    shuffled = patch_shuffle(image, 4, seed=1)  # 7-px patches over the top-left 28x28
    assert torch.equal(shuffled.flatten().sort().values, image.flatten().sort().values)
    assert torch.equal(shuffled[:, 28:], image[:, 28:])
    assert torch.equal(shuffled[:, :, 28:], image[:, :, 28:])


def _changed_patches(before: torch.Tensor, after: torch.Tensor, patch: int) -> int:
    grid = before.shape[-1] // patch
    changed = (before != after).reshape(3, grid, patch, grid, patch).any(dim=(0, 2, 4))
    return int(changed.sum())


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_drop_removes_exactly_the_stated_fraction_of_patches(image, fraction):
    dropped = patch_drop(image, fraction, seed=2, patch_size=4)  # 8x8 = 64 patches
    assert _changed_patches(image, dropped, 4) == round(fraction * 64)
    assert dropped.shape == image.shape


def test_drop_fills_with_the_mean_and_nests_as_the_fraction_grows(image):
    few, more = patch_drop(image, 0.25, seed=4, patch_size=8), patch_drop(image, 0.5, seed=4, patch_size=8)
    changed = (few != image).any(0)
    assert torch.equal(few[:, changed], torch.tensor(fill_value(image)).view(3, 1).expand(3, int(changed.sum())))
    assert torch.equal(more[:, changed], few[:, changed])


def test_drop_rejects_a_fraction_outside_zero_one(image):
    with pytest.raises(ValueError, match="fraction"):
        patch_drop(image, 1.5, seed=0, patch_size=8)
