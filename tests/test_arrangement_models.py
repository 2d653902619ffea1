"""The five architectures of the arrangement experiment differ exactly as described (models.ablations, recipes)."""
import pytest
import torch

from lab.arrangement.recipes import ARCHITECTURES
from lab.transforms import patch_shuffle
from toyworld.arrangement import LABELS


def _built(key: str) -> torch.nn.Module:
    torch.manual_seed(0)
    return ARCHITECTURES[key].build().eval()


def _images(count: int = 3) -> torch.Tensor:
    return torch.rand(count, 3, 64, 64, generator=torch.Generator().manual_seed(1)) * 2 - 1


def _permuted_positions(features: torch.Tensor) -> torch.Tensor:
    """The feature map with its spatial positions in another order (the same order for every channel)."""
    n, c, h, w = features.shape
    order = torch.randperm(h * w, generator=torch.Generator().manual_seed(2))
    return features.flatten(2)[:, :, order].reshape(n, c, h, w)


def test_all_five_build_for_the_eleven_classes():
    x = _images()
    for key in ARCHITECTURES:
        with torch.no_grad():
            assert _built(key)(x).shape == (3, len(LABELS)), key


@pytest.mark.parametrize("key, invariant", [("cnn_pooled", True), ("cnn_flattened", False)])
def test_only_the_pooled_cnn_ignores_where_its_last_features_are(key, invariant):
    model = _built(key)
    with torch.no_grad():
        features = model.forward_features(_images())
        assert features.shape[-2:] == (4, 4)
        gap = (model.forward_head(features) - model.forward_head(_permuted_positions(features))).abs().max().item()
    assert (gap < 1e-5) if invariant else (gap > 1e-3), gap


@pytest.mark.parametrize("key, invariant", [("vit_no_position", True), ("vit_position", False)])
def test_only_the_vit_without_position_embeddings_ignores_where_patches_are(key, invariant):
    model = _built(key)
    images = _images()
    shuffled = torch.stack([patch_shuffle(image, 8, seed) for seed, image in enumerate(images)])  # its 8 px patches
    with torch.no_grad():
        gap = (model(images) - model(shuffled)).abs().max().item()
    assert (gap < 1e-4) if invariant else (gap > 1e-3), gap


def test_the_two_cnns_share_the_trunk_and_differ_in_the_head():
    pooled, flattened = _built("cnn_pooled").state_dict(), _built("cnn_flattened").state_dict()
    trunk = {k: v.shape for k, v in pooled.items() if not k.startswith("fc.")}
    assert {k.removeprefix("trunk."): v.shape for k, v in flattened.items() if k.startswith("trunk.")} == trunk
    assert pooled["fc.weight"].shape == (len(LABELS), 256)
    assert flattened["fc.weight"].shape == (len(LABELS), 256 * 4 * 4)


def test_the_two_vits_differ_only_in_a_position_embedding_fixed_at_zero():
    with_position, without = _built("vit_position"), _built("vit_no_position")
    assert {k: v.shape for k, v in with_position.state_dict().items()} == {
        k: v.shape for k, v in without.state_dict().items()}
    same = {k for k, v in with_position.state_dict().items() if torch.equal(v, without.state_dict()[k])}
    assert set(with_position.state_dict()) - same == {"encoder.pos_embedding"}
    assert with_position.encoder.pos_embedding.abs().sum() > 0
    # it stays zero through training: no gradient reaches it
    without.train()
    optimizer = torch.optim.AdamW([p for p in without.parameters() if p.requires_grad], lr=0.1)
    without(_images()).sum().backward()
    optimizer.step()
    assert not without.encoder.pos_embedding.requires_grad
    assert torch.count_nonzero(without.encoder.pos_embedding) == 0


def test_the_sincos_vit_holds_fixed_2d_sincos_embeddings_that_training_leaves_alone():
    from models.position import sincos_2d

    model = _built("vit_sincos")
    embedding = model.encoder.pos_embedding
    assert not embedding.requires_grad
    assert torch.count_nonzero(embedding[0, 0]) == 0  # the class token's place
    assert torch.allclose(embedding[0, 1:], sincos_2d(model.grid_size, embedding.shape[-1]))
    model.train()
    shuffled = torch.stack([patch_shuffle(image, 8, seed) for seed, image in enumerate(_images())])
    with torch.no_grad():
        assert (model(_images()) - model(shuffled)).abs().max() > 1e-3  # it knows where patches are
