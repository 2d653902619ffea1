"""Tests for explain/ (passes, rollout, attention, distance, receptive field, features, overlay), figures.explanations."""
import io
import math
import threading

import pytest
import timm
import torch
from PIL import Image

from explain.attention import cls_attention
from explain.capture import OutputCapture
from explain.distance import mean_attention_distance
from explain.features import SEPARATOR_PX, feature_grid, top_channels
from explain.overlay import overlay
from explain.passes import CNN_STAGES, cnn_pass, vit_pass
from explain.receptive_field import cnn_receptive_fields
from explain.rollout import HEAD_FUSIONS, attention_rollout, residual_attention, rollout_matrix
from models.inference import probabilities
from figures.explanations import attention_grid_figure, looking_distance_figure

GRID = 4
TOKENS = GRID * GRID + 1


def random_maps(layers: int = 3, heads: int = 2, seed: int = 0) -> list[torch.Tensor]:
    """Softmax attention maps [heads, N+1, N+1] per layer, random but reproducible."""
    generator = torch.Generator().manual_seed(seed)
    return [torch.randn(heads, TOKENS, TOKENS, generator=generator).mul(2).softmax(-1) for _ in range(layers)]


def maps_from(attention: torch.Tensor, layers: int = 2, heads: int = 2) -> list[torch.Tensor]:
    """The same [N+1, N+1] attention in every head of every layer."""
    return [attention.expand(heads, -1, -1).clone() for _ in range(layers)]


@pytest.fixture(scope="module")
def image01() -> torch.Tensor:
    return torch.rand(3, 32, 32, generator=torch.Generator().manual_seed(1))


# --- rollout -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("discard_ratio", [0.0, 0.5, 0.9])
def test_rollout_rows_sum_to_one(discard_ratio: float) -> None:
    maps = random_maps()
    for attention in maps:
        torch.testing.assert_close(residual_attention(attention, "mean", discard_ratio).sum(-1), torch.ones(TOKENS))
    torch.testing.assert_close(rollout_matrix(maps, "mean", discard_ratio).sum(-1), torch.ones(TOKENS))


def test_identity_attention_gives_uniform_rollout() -> None:
    rollout = attention_rollout(maps_from(torch.eye(TOKENS)))
    assert rollout.shape == (GRID, GRID)
    assert torch.all(rollout == rollout[0, 0])


def test_uniform_attention_is_not_pruned_and_gives_uniform_rollout() -> None:
    rollout = attention_rollout(maps_from(torch.full((TOKENS, TOKENS), 1 / TOKENS)), discard_ratio=0.9)
    torch.testing.assert_close(rollout, torch.ones(GRID, GRID))


def test_patch_that_cls_attends_to_wins() -> None:
    attention = torch.full((TOKENS, TOKENS), 1 / TOKENS)
    attention[0] = 0.0
    attention[0, 7] = 1.0
    rollout = attention_rollout(maps_from(attention, layers=3))
    assert rollout.flatten().argmax() == 7 - 1
    assert rollout.max() == 1.0


def test_cls_column_is_never_discarded() -> None:
    attention = torch.rand(TOKENS, TOKENS, generator=torch.Generator().manual_seed(2)) + 0.1
    attention[:, 0] = 1e-4  # the weakest entries of the layer, by far
    attention = attention / attention.sum(-1, keepdim=True)
    mixed = residual_attention(attention[None], discard_ratio=0.9)
    assert torch.all(mixed[:, 0] > 0)


def test_discard_zeroes_the_weakest_fraction_of_patch_keys() -> None:
    attention = torch.rand(TOKENS, TOKENS, generator=torch.Generator().manual_seed(3)) + torch.eye(TOKENS)
    mixed = residual_attention(attention[None], discard_ratio=0.5)
    dropped = int(0.5 * TOKENS * (TOKENS - 1))
    assert int((mixed[:, 1:] == 0).sum()) == dropped  # the diagonal is the strongest, so it is never dropped
    kept_min = attention[:, 1:][mixed[:, 1:] > 0].min()
    dropped_max = attention[:, 1:][mixed[:, 1:] == 0].max()
    assert dropped_max < kept_min


def test_discard_ratio_changes_the_rollout() -> None:
    maps = random_maps()
    assert not torch.allclose(attention_rollout(maps, discard_ratio=0.0), attention_rollout(maps, discard_ratio=0.9))


@pytest.mark.parametrize("head_fusion", ["mean", "max", "min"])
def test_head_fusion_fuses_heads(head_fusion: str) -> None:
    maps = random_maps(heads=3)
    fused = [HEAD_FUSIONS[head_fusion](attention)[None] for attention in maps]
    expected = {"mean": lambda a: a.mean(0), "max": lambda a: a.max(0).values, "min": lambda a: a.min(0).values}
    torch.testing.assert_close(fused[0][0], expected[head_fusion](maps[0]))
    torch.testing.assert_close(attention_rollout(maps, head_fusion), attention_rollout(fused, "mean"))


def test_head_fusions_give_different_rollouts() -> None:
    maps = random_maps(heads=3)
    results = [attention_rollout(maps, fusion, discard_ratio=0.0) for fusion in ("mean", "max", "min")]
    assert not torch.allclose(results[0], results[1])
    assert not torch.allclose(results[0], results[2])
    assert not torch.allclose(results[1], results[2])


def test_unknown_head_fusion_names_the_choices() -> None:
    with pytest.raises(ValueError) as raised:
        attention_rollout(random_maps(), head_fusion="median")
    assert all(choice in str(raised.value) for choice in ("'mean'", "'max'", "'min'", "'median'"))


# --- class-token attention -------------------------------------------------------------------------------------

def test_cls_attention_per_head_and_mean() -> None:
    maps = random_maps(heads=3)
    torch.testing.assert_close(cls_attention(maps, 1, 2), maps[1][2, 0, 1:].reshape(GRID, GRID))
    torch.testing.assert_close(cls_attention(maps, 1), maps[1][:, 0, 1:].mean(0).reshape(GRID, GRID))


# --- mean attention distance -------------------------------------------------------------------------------------

def test_attention_to_self_is_distance_zero() -> None:
    distances = mean_attention_distance(maps_from(torch.eye(TOKENS), layers=2, heads=3), patch_size=8)
    assert distances.shape == (2, 3)
    assert torch.all(distances == 0)


def test_attention_to_a_neighbour_is_one_patch_away() -> None:
    attention = torch.zeros(TOKENS, TOKENS)
    attention[0, 0] = 1.0
    for query in range(GRID * GRID):
        row, col = divmod(query, GRID)
        neighbour = row * GRID + (col + 1 if col + 1 < GRID else col - 1)
        attention[1 + query, 1 + neighbour] = 1.0
    torch.testing.assert_close(mean_attention_distance(maps_from(attention), patch_size=16), torch.full((2, 2), 16.0))


def test_attention_to_cls_is_excluded_and_the_rest_renormalised() -> None:
    attention = torch.zeros(TOKENS, TOKENS)
    attention[:, 0] = 0.5
    diagonal_neighbour = {0: 5, 5: 0}  # patch (0,0) <-> patch (1,1)
    for query in range(GRID * GRID):
        attention[1 + query, 1 + diagonal_neighbour.get(query, query)] = 0.5
    distances = mean_attention_distance(maps_from(attention, layers=1, heads=1), patch_size=10)
    torch.testing.assert_close(distances, torch.tensor([[2 * 10 * math.sqrt(2) / (GRID * GRID)]]))


def test_uniform_attention_distance_on_a_two_by_two_grid() -> None:
    maps = [torch.full((1, 5, 5), 0.2)]
    expected = (0 + 1 + 1 + math.sqrt(2)) / 4 * 8  # every query sees itself, two sides and one diagonal
    torch.testing.assert_close(mean_attention_distance(maps, patch_size=8), torch.tensor([[expected]]))


# --- receptive field ---------------------------------------------------------------------------------------------

def test_resnet50_receptive_fields() -> None:
    # 7x7/2 conv: 7; 3x3/2 max-pool: 11; layer1 3 blocks of 3x3 at jump 4: 35; layer2 +8 (strided) +3*16: 91;
    # layer3 +16 +5*32: 267; layer4 +32 +2*64: 427.
    fields = cnn_receptive_fields(timm.create_model("resnet50"))
    assert fields == {"stem": 7, "layer1": 35, "layer2": 91, "layer3": 267, "layer4": 427}


def test_dilated_resnet10t_receptive_fields(tiny_pair) -> None:
    # deep stem 3x3/2, 3x3, 3x3: 11; max-pool: 15; one basic block per stage; layer4 dilated (output_stride=16):
    # 3x3 (dilation 1) +32, 3x3 (dilation 2) +64.
    fields = cnn_receptive_fields(tiny_pair.cnn.model)
    assert fields == {"stem": 11, "layer1": 31, "layer2": 55, "layer3": 103, "layer4": 199}


# --- shared passes ------------------------------------------------------------------------------------------------

def test_cnn_pass_shapes_and_probabilities(tiny_pair, image01) -> None:
    result = cnn_pass(tiny_pair, image01)
    cnn_probs, _ = probabilities(tiny_pair, image01[None])
    torch.testing.assert_close(result.probs, cnn_probs[0])
    assert result.target == int(cnn_probs[0].argmax())
    assert list(result.stages) == list(CNN_STAGES)
    assert result.stages["stem"].shape[-1] == 16 and result.stages["layer4"].shape[-1] == 2
    assert result.gradcam.shape == result.stages["layer4"].shape[-2:]
    assert 0 <= result.gradcam.min() and result.gradcam.max() <= 1
    assert not any(t.requires_grad for t in [result.probs, result.gradcam, *result.stages.values()])


def test_vit_pass_shapes_and_probabilities(tiny_pair, image01) -> None:
    result = vit_pass(tiny_pair, image01)
    _, vit_probs = probabilities(tiny_pair, image01[None])
    torch.testing.assert_close(result.probs, vit_probs[0])
    assert result.target == int(vit_probs[0].argmax())
    assert len(result.maps) == len(tiny_pair.vit.encoder.layers)
    assert all(m.shape == (2, TOKENS, TOKENS) for m in result.maps)
    torch.testing.assert_close(result.maps[0].sum(-1), torch.ones(2, TOKENS))
    assert result.gradcam.shape == (GRID, GRID)
    assert not any(t.requires_grad for t in [result.probs, result.gradcam, *result.maps])


def test_passes_work_inside_inference_mode(tiny_pair) -> None:
    with torch.inference_mode():
        image = torch.rand(3, 32, 32)
        assert cnn_pass(tiny_pair, image).gradcam.shape == (2, 2)
        assert vit_pass(tiny_pair, image).gradcam.shape == (GRID, GRID)


def test_passes_refuse_a_target_outside_the_classifier(tiny_pair, image01) -> None:
    with pytest.raises(ValueError, match="outside"):
        cnn_pass(tiny_pair, image01, target=5)
    with pytest.raises(ValueError, match="outside"):
        vit_pass(tiny_pair, image01, target=-1)


def test_vit_pass_leaves_no_hook_behind_even_on_error(tiny_pair) -> None:
    ln_1 = tiny_pair.vit.encoder.layers[-1].ln_1
    vit_pass(tiny_pair, torch.rand(3, 32, 32))
    with pytest.raises(ValueError, match="not 3 × 40 × 40"):
        vit_pass(tiny_pair, torch.rand(3, 40, 40))  # wrong size: the ViT refuses it
    assert not ln_1._forward_hooks  # internal: torch lists a module's hooks nowhere public


def test_capture_ignores_forwards_from_other_threads() -> None:
    layer = torch.nn.Linear(2, 2)
    with OutputCapture(layer) as captured:
        worker = threading.Thread(target=layer, args=(torch.ones(1, 2),))
        worker.start()
        worker.join()
        assert captured.output is None
        mine = layer(torch.zeros(1, 2))
    assert captured.output is mine
    layer(torch.ones(1, 2))
    assert captured.output is mine


# --- feature maps --------------------------------------------------------------------------------------------------

def test_top_channels_are_the_most_active_strongest_first() -> None:
    activation = torch.zeros(6, 3, 3)
    for channel, level in enumerate([0.1, 5.0, 0.3, 2.0, 0.0, 1.0]):
        activation[channel] = level
    top = top_channels(activation, count=3)
    assert top[:, 0, 0].tolist() == [5.0, 2.0, 1.0]
    assert top_channels(activation, count=16).shape == (6, 3, 3)


def test_feature_grid_tiles_with_separators() -> None:
    activation = torch.rand(8, 4, 4)
    activation[0] = 7.0  # a constant channel must not turn into NaNs
    grid = feature_grid(activation, count=4, tile_px=64)
    assert grid.size == (2 * 64 + SEPARATOR_PX, 2 * 64 + SEPARATOR_PX)
    assert grid.mode == "RGB"
    assert grid.getpixel((64, 10)) == (255, 255, 255)  # the vertical separator


# --- overlay ---------------------------------------------------------------------------------------------------------

def test_overlay_size_and_blend(image01) -> None:
    heat = torch.zeros(4, 4)
    heat[0, 0] = 1.0
    shown = overlay(image01, heat)
    assert shown.size == tuple(image01.shape[-2:])  # the image's own size by default
    assert overlay(Image.new("RGB", (50, 50)), heat, size=100).size == (100, 100)
    plain = overlay(image01, heat, alpha=0.0, size=64)
    expected = Image.fromarray((image01.permute(1, 2, 0).numpy() * 255).round().astype("uint8")).resize(
        (64, 64), Image.Resampling.NEAREST)
    assert list(plain.getdata()) == list(expected.getdata())
    hot = overlay(torch.zeros(3, 32, 32), heat, alpha=1.0, size=64)
    assert sum(hot.getpixel((2, 2))) > sum(hot.getpixel((60, 60)))


# --- figures ---------------------------------------------------------------------------------------------------------

def png_bytes(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_attention_grid_figure_builds(image01) -> None:
    maps = random_maps(layers=3, heads=2)
    assert len(attention_grid_figure(maps, image01).axes) == 6
    figure = attention_grid_figure(maps, image01, layers=[0, 2], heads=[1])
    assert len(figure.axes) == 2
    assert figure.axes[0].get_title() == "head 2" and figure.axes[1].get_ylabel() == "layer 3"
    assert png_bytes(figure).startswith(b"\x89PNG")


def test_looking_distance_figure_builds() -> None:
    attention = mean_attention_distance(random_maps(layers=3, heads=2), patch_size=8)
    fields = {"stem": 11, "layer1": 31, "layer2": 55, "layer3": 103, "layer4": 199}
    cnn = {stage: torch.rand(4).numpy() * 8 * (i + 1) for i, stage in enumerate(CNN_STAGES)}
    vit = {f"block{i}": torch.rand(4).numpy() * 16 for i in (1, 2, 3)}
    figure = looking_distance_figure(cnn, vit, 32, 8, attention, fields)
    main, extras = figure.axes
    assert extras.get_ylim()[1] >= 199 / 32
    assert any("32 px" in text.get_text() for text in extras.get_legend().get_texts())
    assert png_bytes(figure).startswith(b"\x89PNG")
