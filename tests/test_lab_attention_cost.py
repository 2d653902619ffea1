"""C11 measured: the exponent fit on curves of known exponent, the position embedding's interpolation, FLOPs counted
against the Ω prediction, and one small end-to-end run (random weights, offline; no timing is asserted)."""
import json
import math

import pytest
import timm
import torch

from models.swin import SWIN_ARCHITECTURE
from lab.attention_cost import (AttentionCost, ModelCost, attention_cost, count, deit_small,
                                growth_exponent, interpolate_position_embedding, predicted_attention_macs,
                                predicted_mixing_macs, vit_at)

TOKENS = [196, 784, 1764, 3136]


def test_exponent_of_an_exact_power_law_has_no_width():
    exponent = growth_exponent(TOKENS, [3.0 * n ** 1.5 for n in TOKENS])
    assert exponent.value == pytest.approx(1.5)
    assert exponent.high - exponent.low == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("linear, quadratic, lower, upper", [(1.0, 1e3, 1.95, 2.0), (1e3, 1e-3, 1.0, 1.05)])
def test_exponent_near_two_and_near_one(linear, quadratic, lower, upper):
    # a cost with a linear and a quadratic term: dominated by the quadratic one (global attention), or by the linear
    exponent = growth_exponent(TOKENS, [linear * n + quadratic * n * n for n in TOKENS])
    assert lower < exponent.value < upper
    assert exponent.low <= exponent.value <= exponent.high


def test_exponent_interval_covers_the_true_exponent_under_noise():
    noise = [1.05, 0.96, 1.02, 0.97, 1.01]
    tokens = TOKENS + [4900]
    exponent = growth_exponent(tokens, [n ** 2 * e for n, e in zip(tokens, noise)])
    assert exponent.low < 2 < exponent.high
    assert exponent.high - exponent.low > 0.01


def test_exponent_needs_three_points():
    with pytest.raises(ValueError, match="at least 3"):
        growth_exponent([1, 2], [1, 4])


def test_interpolation_keeps_the_class_token_and_the_grid():
    torch.manual_seed(0)
    embedding = torch.randn(1, 1 + 14 * 14, 8)
    same = interpolate_position_embedding(embedding, 14)
    torch.testing.assert_close(same, embedding)  # bicubic onto the same grid is the identity
    larger = interpolate_position_embedding(embedding, 28)
    assert larger.shape == (1, 1 + 28 * 28, 8)
    torch.testing.assert_close(larger[:, 0], embedding[:, 0])
    constant = interpolate_position_embedding(torch.ones(1, 1 + 4, 3), 6)
    torch.testing.assert_close(constant, torch.ones(1, 1 + 36, 3))


def test_interpolation_refuses_a_grid_that_is_not_square():
    with pytest.raises(ValueError, match="square"):
        interpolate_position_embedding(torch.zeros(1, 1 + 6, 4), 4)


def test_vit_at_another_size_shares_the_weights():
    vit = deit_small()
    larger = vit_at(vit, 320)
    assert larger.encoder.pos_embedding.shape == (1, 1 + 20 * 20, 384)
    torch.testing.assert_close(larger.encoder.layers[3].mlp[0].weight, vit.encoder.layers[3].mlp[0].weight)
    with torch.inference_mode():
        assert larger(torch.zeros(1, 3, 320, 320)).shape == (1, 1000)


def test_counted_attention_flops_are_twice_omega():
    swin = timm.create_model(SWIN_ARCHITECTURE, pretrained=False, img_size=112).eval()
    counted = count(swin, 112)
    assert counted.attention == 2 * predicted_attention_macs("Swin-T", 112)
    assert 0 < counted.mixing < counted.attention < counted.total
    assert counted.mixing == 2 * predicted_mixing_macs("Swin-T", 112)  # 2M²hwC per block: QKᵀ and AV
    counted = count(vit_at(deit_small(), 112), 112)
    assert counted.attention == 2 * predicted_attention_macs("DeiT-S", 112)  # the fused CPU kernel's matmuls included
    assert counted.mixing == 2 * predicted_mixing_macs("DeiT-S", 112)  # 2(hw)²C per layer, class token included
    assert predicted_attention_macs("ResNet-50", 112) is None and predicted_mixing_macs("ResNet-50", 112) is None


@pytest.mark.slow
def test_attention_cost_end_to_end():
    result = attention_cost((112, 224, 336), repeats=1)
    json.dumps(result.to_json())
    deit, swin, resnet = (result.model(name) for name in ("DeiT-S", "Swin-T", "ResNet-50"))
    assert deit.tokens == (49, 196, 441) and swin.tokens == (784, 3136, 7056)
    assert deit.attention_flops == deit.predicted_attention_flops
    # below Swin-T's own sizes its last stage's window shrinks to the grid (112 px) or is padded (336 px): near 1, not 1
    assert deit.mixing_exponent.value > 1.9 and swin.mixing_exponent.low < 1 < swin.mixing_exponent.high
    assert AttentionCost.from_json(json.loads(json.dumps(result.to_json()))) == result
    assert deit.attention_exponent.value > swin.attention_exponent.value
    assert resnet.attention_exponent is None and all(not math.isnan(t) for t in resnet.milliseconds)


@pytest.mark.slow
def test_a_swin_with_one_window_over_the_whole_grid_fails_the_linear_side():
    """The C11 rule on real models, one of which breaks the claim: timm's Swin-T with its window set to the whole
    stage-1 grid attends globally, so its token mixing grows about quadratically, and C11 reads only partly."""
    from lab.verdicts import c11_attention_cost

    def cost(name: str, sides: tuple[int, ...], token_pixels: int, build) -> ModelCost:
        tokens = tuple((side // token_pixels) ** 2 for side in sides)
        counted = [count(build(side), side) for side in sides]
        flops, attention, mixing = (tuple(getattr(c, key) for c in counted) for key in ("total", "attention", "mixing"))
        fit = growth_exponent(tokens, flops)
        return ModelCost(name, tokens, flops, attention, mixing, None, None, (1.0,) * len(sides), fit,
                         growth_exponent(tokens, attention), growth_exponent(tokens, mixing), None, None, fit)

    swin_global = cost("Swin-T", (56, 112, 168), 4, lambda side: timm.create_model(
        SWIN_ARCHITECTURE, pretrained=False, img_size=side, window_size=side // 4).eval())  # grids of 14, 28, 42: one window
    deit = cost("DeiT-S", (224, 448, 672), 16, lambda side: vit_at(deit_small(), side))  # as measured for FINDINGS
    assert swin_global.mixing_exponent.value > 1.9 and swin_global.mixing_exponent.low > 1.5  # global: quadratic
    linear = growth_exponent((1, 4, 9), (1, 4, 9))
    resnet = ModelCost("ResNet-50", (1, 4, 9), (1, 4, 9), (0,) * 3, (0,) * 3, None, None, (1.0,) * 3, linear, None,
                       None, None, None, linear)
    verdict, why = c11_attention_cost(AttentionCost((224, 448, 672), 1, 1, (deit, swin_global, resnet)))
    assert verdict == "partly" and "only global attention grows as claimed" in why
