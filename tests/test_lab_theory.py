"""The homework's theory computed: parameter and FLOP budgets, MHA sizes (question 3), Swin's Ω, attention timing."""
import math
import threading

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from lab.theory import (FLOP_CATEGORIES, PARAMETER_CATEGORIES, flop_breakdown, mha_parameters, parameter_breakdown,
                        swin_complexity, time_attention)
from lab.theory import _attention, _windowed  # internal: the tests check these attention kernels themselves
from models import load_pair
from models.inference import probabilities
from models.pairs import count_parameters


def test_homework_question_3():
    # n_heads = 3, d_q = 20, d_k = 10, d_v = 30 (input sizes), 100 per head, d_o = 50, L = 64
    counts = mha_parameters(3, 20, 100, 100, 50, key_input=10, value_input=30)
    assert counts["per_head"] == {"W_q": 100 * 20, "W_k": 100 * 10, "W_v": 100 * 30}
    assert counts["heads"] == 3 * (100 * 20 + 100 * 10 + 100 * 30) == 18_000
    assert counts["W_o"] == 50 * 100 * 3 == 15_000
    assert counts["total"] == 33_000


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("kdim, vdim", [(None, None), (5, 7)])
def test_matches_torch_multihead_attention(bias, kdim, vdim):
    embed, heads = 12, 3
    torch_mha = nn.MultiheadAttention(embed, heads, bias=bias, kdim=kdim, vdim=vdim)
    ours = mha_parameters(heads, embed, embed // heads, embed // heads, embed, bias, key_input=kdim,
                          value_input=vdim)
    assert ours["total"] == count_parameters(torch_mha)


def test_swin_complexity_by_hand():
    # h = w = 4, C = 2, M = 2: 4·16·4 = 256; 2·16²·2 = 1024; 2·4·16·2 = 256
    assert swin_complexity(4, 4, 2, 2) == {"msa": 1280, "wmsa": 512}
    assert swin_complexity(2, 2, 8, 2)["msa"] == swin_complexity(2, 2, 8, 2)["wmsa"]  # hw = M²: one window


@pytest.mark.parametrize("side", [8, 14, 56])
def test_windowed_attention_is_cheaper_once_hw_exceeds_a_window(side):
    cost = swin_complexity(side, side, 96, 7)
    assert cost["wmsa"] < cost["msa"]


@pytest.mark.parametrize("model_name", ["cnn", "vit"])
def test_parameter_breakdown_sums_to_the_total(tiny_pair, model_name):
    model = getattr(tiny_pair, model_name)
    breakdown = parameter_breakdown(model)
    assert tuple(breakdown) == PARAMETER_CATEGORIES
    assert sum(breakdown.values()) == count_parameters(model)


def test_parameter_breakdown_places_each_part(tiny_pair):
    cnn, vit = parameter_breakdown(tiny_pair.cnn), parameter_breakdown(tiny_pair.vit)
    assert cnn["attention"] == cnn["MLP"] == cnn["embeddings"] == 0 and cnn["convolutions"] > 0
    assert cnn["classifier head"] == count_parameters(tiny_pair.cnn.get_classifier())
    assert vit["convolutions"] == 0
    assert vit["embeddings"] == (count_parameters(tiny_pair.vit.conv_proj) + tiny_pair.vit.class_token.numel()
                                 + tiny_pair.vit.encoder.pos_embedding.numel())
    layers, d = len(tiny_pair.vit.encoder.layers), 16
    assert vit["attention"] == layers * (3 * d * d + 3 * d + d * d + d)
    assert vit["norms"] == (2 * layers + 1) * 2 * d


def test_cnn_flops_match_torch_flop_counter(tiny_pair):
    breakdown = flop_breakdown(tiny_pair.cnn, 32)
    assert tuple(breakdown) == FLOP_CATEGORIES
    with FlopCounterMode(display=False) as counter, torch.inference_mode():
        tiny_pair.cnn(torch.zeros(1, 3, 32, 32))
    assert sum(breakdown.values()) == counter.get_total_flops()


def test_vit_flops_include_the_attention_matmuls(tiny_pair):
    vit = tiny_pair.vit
    breakdown = flop_breakdown(vit, 32)
    layers, tokens, d = len(vit.encoder.layers), 17, 16
    assert breakdown["attention matmuls (QKᵀ, AV)"] == layers * 2 * (2 * tokens * tokens * d)
    assert breakdown["attention projections"] == layers * 2 * (4 * tokens * d * d)
    with FlopCounterMode(display=False) as counter, torch.inference_mode():
        vit(torch.zeros(1, 3, 32, 32))
    counts = counter.get_flop_counts()
    assert breakdown["embeddings"] == sum(counts["ViT.conv_proj"].values())
    assert breakdown["MLP"] == sum(sum(counts[f"ViT.encoder.layers.{i}.mlp"].values()) for i in range(layers))
    assert breakdown["convolutions"] == 0


def test_windowed_attention_is_global_attention_inside_each_window():
    torch.manual_seed(0)
    side, M, C, heads = 4, 2, 8, 2
    qkv, proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
    x = torch.randn(1, side * side, C)
    torch.testing.assert_close(_windowed(x, side, side, qkv, proj, heads), _attention(x, qkv, proj, heads))
    out = _windowed(x, side, M, qkv, proj, heads).reshape(side, side, C)
    top_left = x.reshape(side, side, C)[:M, :M].reshape(1, M * M, C)
    torch.testing.assert_close(out[:M, :M].reshape(1, M * M, C), _attention(top_left, qkv, proj, heads))


def test_attention_matches_torch_multihead_attention():
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(8, 2, batch_first=True).eval()
    qkv, proj = nn.Linear(8, 24), mha.out_proj
    with torch.no_grad():
        qkv.weight.copy_(mha.in_proj_weight)
        qkv.bias.copy_(mha.in_proj_bias)
        x = torch.randn(1, 5, 8)
        torch.testing.assert_close(_attention(x, qkv, proj, 2), mha(x, x, x, need_weights=False)[0])


def test_time_attention_times_both_and_refuses_sizes_that_do_not_tile():
    timings = time_attention(4, 8, 2, 2, repeats=2)
    assert set(timings) == {"global_ms", "windowed_ms"}
    assert all(isinstance(value, float) and math.isfinite(value) for value in timings.values())
    with pytest.raises(ValueError, match=r"tokens_side \(5\) must be a multiple of M \(2\)"):
        time_attention(5, 8, 2, 2, repeats=1)
    with pytest.raises(ValueError, match=r"C \(8\) of heads \(3\)"):
        time_attention(4, 8, 2, 3, repeats=1)


def test_flop_counts_ignore_forwards_running_on_other_threads():
    """The app counts FLOPs on its served models while other requests run them: only the counting pass counts."""
    pair = load_pair("toy")
    models = {"cnn": pair.cnn, "vit": pair.vit}
    alone = {name: flop_breakdown(model, pair.input_size) for name, model in models.items()}
    batch = torch.rand(8, 3, pair.input_size, pair.input_size, generator=torch.Generator().manual_seed(0))
    stop, busy = threading.Event(), threading.Event()
    forwards = []

    def other_requests() -> None:
        while not stop.is_set():
            probabilities(pair, batch)
            forwards.append(1)
            busy.set()

    thread = threading.Thread(target=other_requests, daemon=True)
    thread.start()
    try:
        assert busy.wait(60), "the other thread never ran a forward"
        during = [{name: flop_breakdown(model, pair.input_size) for name, model in models.items()}
                  for _ in range(10)]
    finally:
        stop.set()
        thread.join(60)
    assert len(forwards) > 1
    assert all(counts == alone for counts in during), [counts for counts in during if counts != alone][:1]
