"""The seed's ViT: shapes, attention maps, exact parity with timm, and refusal of other variants."""
import pytest
import timm
import torch
from timm.layers import LayerScale
from timm.models.vision_transformer import VisionTransformer

from models.vit import ViT, from_timm, load_timm_state, timm_key_table


def perturbed(model: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    """Move every parameter (LayerNorm weights and biases included) off its init, so parity can fail."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn(p.shape, generator=generator) * 0.05)
    return model.eval()


def test_shapes_and_attention_maps():
    vit = ViT(image_size=32, patch_size=8, num_classes=7, num_layers=3, num_heads=4, d_model=32,
              d_feedforward=64).eval()
    x = torch.randn(2, 3, 32, 32)
    logits, maps = vit(x, need_weights=True)
    assert logits.shape == (2, 7)
    assert len(maps) == 3
    for m in maps:
        assert m.shape == (2, 4, 17, 17)
        assert torch.all(m >= 0)
        torch.testing.assert_close(m.sum(-1), torch.ones(2, 4, 17))
    assert not torch.allclose(maps[0][:, 0], maps[0][:, 1]), "heads must be kept apart, not averaged"
    torch.testing.assert_close(vit(x), logits)


def test_bf16_training_on_cpu_writes_attention_out_and_stays_close_to_fp32():
    # Recording a graph under CPU bfloat16 autocast, the fused kernel's backward is the slow one, so both calls take
    # the written-out path and agree bit for bit; inference keeps the fused kernel, which rounds differently.
    vit = perturbed(ViT(image_size=32, patch_size=8, num_classes=7, num_layers=3, num_heads=4, d_model=32,
                        d_feedforward=64))
    x = torch.randn(4, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        reference = vit(x)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            inferred = vit(x)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        trained = vit(x)
        with_maps, _ = vit(x, need_weights=True)
    assert torch.equal(trained, with_maps)
    assert not torch.equal(trained.detach(), inferred), "inference should keep the fused kernel"
    for lower in (trained.detach(), inferred):
        torch.testing.assert_close(lower.float(), reference, atol=0.05, rtol=0.05)
        assert lower.argmax(-1).tolist() == reference.argmax(-1).tolist()


def test_seed_bugs_are_fixed():
    vit = ViT(32, 8, 5, 2, 2, 16, 32)
    assert not any(isinstance(m, torch.nn.Sigmoid) for m in vit.modules())
    assert all(m.eps == 1e-6 for m in vit.modules() if isinstance(m, torch.nn.LayerNorm))
    names = {name for name, _ in vit.named_parameters()}
    for expected in ["conv_proj.weight", "class_token", "encoder.pos_embedding", "encoder.layers.0.ln_1.weight",
                     "encoder.layers.0.self_attention.in_proj_weight", "encoder.layers.0.ln_2.bias",
                     "encoder.layers.1.mlp.0.weight", "encoder.layers.1.mlp.3.weight", "encoder.ln.weight",
                     "head.weight"]:
        assert expected in names


def test_rejects_image_size_not_multiple_of_patch():
    with pytest.raises(ValueError, match="multiple"):
        ViT(30, 8, 5, 1, 1, 8, 8)



@pytest.mark.parametrize("shape, message", [
    ((2, 3, 24, 32), r"images of 3 × 32 × 32 \(channels × height × width\), not 3 × 24 × 32$"),  # wrong height
    ((2, 3, 32, 40), r"not 3 × 32 × 40$"),  # wrong width
    ((2, 3, 36, 36), r"not 3 × 36 × 36 \(36 × 36 is not a whole number of 8 × 8 patches\)"),  # not whole patches
    ((2, 3, 35, 35), r"not 3 × 35 × 35 \(35 × 35 is not"),  # 4 × 4 patches and a remainder the conv would drop
    ((2, 3, 32, 30), r"not 3 × 32 × 30 \(32 × 30 is not"),  # non-square image
    ((2, 1, 32, 32), r"not 1 × 32 × 32$"),  # wrong channels
    ((3, 32, 32), r"not a 3-d tensor of 3 × 32 × 32"),  # no batch dimension
])
def test_refuses_a_wrong_input_size_naming_both_sizes(shape, message):
    vit = ViT(image_size=32, patch_size=8, num_classes=5, num_layers=1, num_heads=2, d_model=16, d_feedforward=32)
    with pytest.raises(ValueError, match=message):
        vit(torch.rand(shape))
    with pytest.raises(ValueError, match=message):
        vit(torch.rand(shape), need_weights=True)

@pytest.mark.parametrize("kwargs", [
    dict(img_size=224, patch_size=16, embed_dim=192, depth=2, num_heads=3),  # DeiT-Tiny geometry, 2 blocks
    dict(img_size=64, patch_size=8, embed_dim=96, depth=3, num_heads=4, mlp_ratio=2.0),
    dict(img_size=32, patch_size=4, embed_dim=48, depth=2, num_heads=2, qkv_bias=False),
])
def test_parity_with_timm(kwargs):
    torch.manual_seed(0)
    reference = perturbed(VisionTransformer(num_classes=11, **kwargs))
    ours = from_timm(reference)
    x = torch.randn(3, 3, kwargs["img_size"], kwargs["img_size"])
    with torch.no_grad():
        expected = reference(x)
        logits, maps = ours(x, need_weights=True)
        plain = ours(x)
    assert (logits - expected).abs().max() < 1e-4
    assert (plain - expected).abs().max() < 1e-4
    assert len(maps) == kwargs["depth"]


def small_timm_vit(depth: int = 2, **kwargs) -> VisionTransformer:
    torch.manual_seed(0)
    return perturbed(VisionTransformer(img_size=32, patch_size=8, embed_dim=32, depth=depth, num_heads=2,
                                       num_classes=3, **kwargs))


def test_every_layernorm_is_distinct_and_lands_where_timm_has_it():
    reference = small_timm_vit()
    norms = [m for m in reference.modules() if isinstance(m, torch.nn.LayerNorm)]
    assert len(norms) == 5
    for i, a in enumerate(norms):  # perturbed() gave each its own parameters, so a swap changes the output
        for b in norms[i + 1:]:
            assert not torch.equal(a.weight, b.weight) and not torch.equal(a.bias, b.bias)
    ours = from_timm(reference)
    for i, block in enumerate(reference.blocks):
        torch.testing.assert_close(ours.encoder.layers[i].ln_1.weight, block.norm1.weight, rtol=0, atol=0)
        torch.testing.assert_close(ours.encoder.layers[i].ln_2.bias, block.norm2.bias, rtol=0, atol=0)


@pytest.mark.parametrize("swap", [
    ("encoder.layers.0.ln_1.weight", "encoder.layers.0.ln_2.weight"),
    ("encoder.layers.0.ln_1.bias", "encoder.layers.0.ln_2.bias"),
    ("encoder.layers.0.mlp.0.bias", "encoder.layers.1.mlp.0.bias"),
])
def test_parity_fails_when_two_keys_of_the_table_are_swapped(swap):
    reference = small_timm_vit()
    x = torch.randn(2, 3, 32, 32)
    table = timm_key_table(2)
    table[swap[0]], table[swap[1]] = table[swap[1]], table[swap[0]]
    swapped = ViT(32, 8, 3, 2, 2, 32, int(32 * 4.0)).eval()
    load_timm_state(swapped, reference.state_dict(), table)
    right = from_timm(reference)
    with torch.no_grad():
        assert (right(x) - reference(x)).abs().max() < 1e-4
        assert (swapped(x) - reference(x)).abs().max() > 1e-3


def test_wrong_shapes_raise_a_real_exception():
    reference = small_timm_vit()
    vit = ViT(32, 8, 3, 2, 2, 32, 64)  # MLP of 64, timm's has 128
    with pytest.raises(ValueError, match="mlp.0.weight"):
        load_timm_state(vit, reference.state_dict(), timm_key_table(2))


def test_refuses_layer_scale_in_an_early_block_only():
    model = small_timm_vit(depth=3)
    model.blocks[0].ls1 = LayerScale(32, init_values=1e-5)
    with pytest.raises(ValueError, match="layer-scale"):
        from_timm(model)


def test_refuses_qk_norm_in_the_first_block_only():
    model = small_timm_vit(depth=2)
    model.blocks[0].attn.q_norm = torch.nn.LayerNorm(16)
    with pytest.raises(ValueError, match="qk-norm"):
        from_timm(model)


@pytest.mark.parametrize("name, reason", [
    ("deit_tiny_distilled_patch16_224", "VisionTransformerDistilled"),
    ("vit_small_patch14_reg4_dinov2", "register tokens"),
    ("vit_medium_patch16_gap_256", "global_pool='avg'"),
    ("vit_base_patch16_clip_224", "norm_pre"),
])
def test_refuses_unsupported_variants(name, reason):
    model = timm.create_model(name, pretrained=False, depth=1) if "distilled" not in name else \
        timm.create_model(name, pretrained=False)
    with pytest.raises(ValueError, match="not supported") as error:
        from_timm(model)
    assert reason in str(error.value)


def test_refuses_layer_scale():
    model = VisionTransformer(img_size=32, patch_size=8, embed_dim=32, depth=1, num_heads=2, init_values=1e-5)
    with pytest.raises(ValueError, match="layer-scale"):
        from_timm(model)
