"""The verdict rules of the homework's claims, on constructed numbers either side of every threshold.

Measurements that a test cannot steer (effective distances, timings) are replaced by constructed
numbers in lab.claims only, so each rule sees exactly the value under test.
"""
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn

import lab.claims
from explain.passes import CNN_STAGES
from lab.claims import INVARIANT, attention_cost, grade, locality, parameters, picasso_cnn, picasso_vit, rotation, \
    translation
from lab.dataset_sweeps import DatasetSweep, ModelCurve
from models.pairs import count_parameters

HOLDS, PARTLY, NOT = "holds", "partly", "does not hold"


@pytest.mark.parametrize("value, verdict", [(0.95, HOLDS), (0.9, HOLDS), (0.89, PARTLY), (0.6, PARTLY),
                                            (0.59, NOT), (0.0, NOT)])
def test_grade_higher_holds(value, verdict):
    assert grade(value, 0.9, 0.6) == verdict


@pytest.mark.parametrize("value, verdict", [(0.0, HOLDS), (0.2, HOLDS), (0.21, PARTLY), (0.5, PARTLY),
                                            (0.51, NOT), (1.0, NOT)])
def test_grade_lower_holds(value, verdict):
    assert grade(value, 0.2, 0.5, higher_holds=False) == verdict


def curve(agreement: list[float]) -> ModelCurve:
    return ModelCurve(score=[0.5] * len(agreement), score_ci=[0.0] * len(agreement), agreement=agreement,
                      agreement_low=agreement, agreement_high=agreement)


def sweep(kind: str, x: list[float], cnn: list[float], vit: list[float]) -> DatasetSweep:
    return DatasetSweep(kind, x, 100, curve(cnn), curve(vit))


SHIFTS = [i / 10 for i in range(-5, 6)]


@pytest.mark.parametrize("kept, verdict", [(0.91, HOLDS), (INVARIANT, HOLDS), (0.89, PARTLY), (0.61, PARTLY),
                                           (0.59, NOT)])
def test_translation_holds_when_small_shifts_keep_the_cnn_top1(kept, verdict):
    # shifts of 10–20% keep `kept`; larger shifts (not part of the rule) and the ViT say otherwise
    cnn = [0.0 if abs(x) > 0.2 else 1.0 if x == 0 else kept for x in SHIFTS]
    finding = translation(sweep("translate", SHIFTS, cnn, [0.0] * len(SHIFTS)), "")
    assert finding.verdict == verdict
    assert f"{kept:.1%} same top-1 for shifts ≤ 20%" in finding.cnn


ANGLES = list(range(0, 360, 15))


@pytest.mark.parametrize("kept, verdict", [(0.95, NOT), (0.91, NOT), (0.89, PARTLY), (0.61, PARTLY),
                                           (0.59, HOLDS), (0.1, HOLDS)])
def test_rotation_holds_when_the_cnn_is_not_even_partly_invariant(kept, verdict):
    """Invariant: top-1 kept at least 90% of the time (partly: 60%), as FINDINGS.md states the rule."""
    cnn = [1.0 if angle == 0 else kept for angle in ANGLES]
    finding = rotation(sweep("rotate", ANGLES, cnn, [1.0] * len(ANGLES)), "")
    assert finding.verdict == verdict


def rates(cnn: float, vit: float, spread: float = 0.1) -> dict:
    """Wilson-style (p, low, high) per variant; homework and picasso average to the given share."""
    def row(value: float) -> dict:
        return {"cnn": (value, 0.0, 1.0), "vit": (value, 0.0, 1.0)}

    table = {"clean": row(1.0), "homework": row(0.0), "picasso": row(0.0), "moved": row(0.0)}
    for model, share in (("cnn", cnn), ("vit", vit)):
        table["homework"][model] = (share + spread, 0.0, 1.0)
        table["picasso"][model] = (share - spread, 0.0, 1.0)
    return table


@pytest.mark.parametrize("share, verdict", [(0.6, HOLDS), (0.51, HOLDS), (0.49, PARTLY), (0.21, PARTLY),
                                            (0.19, NOT)])
def test_picasso_cnn_holds_when_it_still_calls_half_the_scrambles_a_face(share, verdict):
    assert picasso_cnn(rates(cnn=share, vit=1 - share), 100).verdict == verdict


@pytest.mark.parametrize("share, verdict", [(0.1, HOLDS), (0.19, HOLDS), (0.21, PARTLY), (0.49, PARTLY),
                                            (0.51, NOT), (0.9, NOT)])
def test_picasso_vit_holds_when_it_rarely_calls_a_scramble_a_face(share, verdict):
    assert picasso_vit(rates(cnn=1 - share, vit=share), 100).verdict == verdict


def test_picasso_verdicts_average_the_homework_and_full_scrambles():
    table = rates(cnn=0.5, vit=0.5, spread=0.0)
    table["homework"]["cnn"], table["picasso"]["cnn"] = (0.9, 0.0, 1.0), (0.0, 0.0, 1.0)  # mean 0.45
    table["moved"]["cnn"] = (1.0, 0.0, 1.0)  # not part of the rule
    assert picasso_cnn(table, 100).verdict == PARTLY


@pytest.fixture
def measured(monkeypatch, tiny_pair):
    """locality() on the tiny pair (32 px side), each depth's effective distances (px per image) set by the test."""
    def run(cnn_px: list[list[float]], vit_px: list[list[float]]):
        cnn = {stage: np.array(row) for stage, row in zip(CNN_STAGES, cnn_px)}
        vit = {f"block{i}": np.array(row) for i, row in enumerate(vit_px, 1)}
        monkeypatch.setattr(lab.claims, "cnn_effective_distances", lambda model, images, locations: cnn)
        monkeypatch.setattr(lab.claims, "vit_effective_distances", lambda model, images, locations: vit)
        finding, looking = locality(tiny_pair, torch.rand(2, 3, 32, 32))
        assert looking.cnn is cnn and looking.vit is vit
        return finding, looking
    return run


GROWING_CNN = [[3.2, 3.2], [4.0, 4.0], [6.0, 6.0], [9.0, 9.0], [12.8, 12.8]]  # 10% of the side, up to 40%


@pytest.mark.parametrize("cnn_px, vit_block1_px, verdict", [
    (GROWING_CNN, [12.8, 12.8], HOLDS),  # CNN stem at 10% (local), ViT block 1 at 40% (global)
    ([[5.0, 5.0]] + GROWING_CNN[1:], [12.8, 12.8], PARTLY),  # stem at 15.6%: not local
    (GROWING_CNN, [9.0, 9.0], PARTLY),  # block 1 at 28%: farther than the stem, not global
    (GROWING_CNN, [9.0, 12.0], PARTLY),  # mean 33%, but its 95% interval over the two images reaches below 30%
    (GROWING_CNN, [3.0, 3.0], NOT),  # block 1 no farther than the stem
])
def test_locality_judges_the_effective_distances_like_with_like(measured, cnn_px, vit_block1_px, verdict):
    finding, _ = measured(cnn_px, [vit_block1_px, [14.0, 14.0]])
    assert finding.verdict == verdict


def test_locality_keeps_attention_distance_and_receptive_field_as_labelled_extras(measured, tiny_pair):
    finding, looking = measured(GROWING_CNN, [[12.8, 12.8], [14.0, 14.0]])
    layers, heads = len(tiny_pair.vit.encoder.layers), tiny_pair.vit.encoder.layers[0].self_attention.num_heads
    assert looking.attention.shape == (layers, heads)
    assert looking.receptive_fields["stem"] < looking.receptive_fields["layer4"]
    assert finding.cnn.startswith("effective distance 10% of the side after the stem, 40% after the last stage")
    assert f"theoretical receptive field {looking.receptive_fields['stem']} px" in finding.cnn
    assert finding.vit.startswith("effective distance 40% after block 1, 44% after block 2")
    assert "extra: mean attention distance of layer-1 heads" in finding.vit
    assert "Extras, other quantities" in finding.measurement


@pytest.mark.parametrize("ratio, verdict", [(1.3, HOLDS), (1.26, HOLDS), (1.24, PARTLY), (1.01, PARTLY),
                                            (0.99, NOT), (0.5, NOT)])
def test_parameters_holds_when_the_vit_is_larger(tiny_pair, ratio, verdict):
    vit = count_parameters(tiny_pair.vit)
    cnn = nn.Linear(round(vit / ratio), 1, bias=False)  # a CNN of exactly that many weights
    pair = SimpleNamespace(cnn=cnn, vit=tiny_pair.vit)
    finding = parameters(pair)
    assert finding.verdict == verdict
    assert finding.cnn == f"{count_parameters(cnn):,} parameters"


@pytest.mark.parametrize("global_slope, windowed_slope, verdict", [
    (2.0, 1.0, HOLDS), (1.51, 1.29, HOLDS), (1.49, 1.0, PARTLY), (2.0, 1.31, PARTLY), (1.0, 1.0, PARTLY)])
def test_attention_cost_holds_when_global_grows_quadratically_and_windowed_linearly(monkeypatch, global_slope,
                                                                                     windowed_slope, verdict):
    sides = (7, 14)  # 49 then 196 tokens: ×4

    def timed(side: int, C: int, M: int, heads: int, repeats: int) -> dict[str, float]:
        tokens = side * side / 49
        return {"global_ms": 2.0 * tokens ** global_slope, "windowed_ms": 1.0 * tokens ** windowed_slope}

    monkeypatch.setattr(lab.claims, "time_attention", timed)
    finding, timings = attention_cost(C=8, M=7, sides=sides, repeats=1)
    assert finding.verdict == verdict
    assert f"tokens^{global_slope:.2f} (global) vs tokens^{windowed_slope:.2f} (windowed)" in finding.vit
    assert timings[-1]["global_ms"] == pytest.approx(2.0 * 4 ** global_slope)
