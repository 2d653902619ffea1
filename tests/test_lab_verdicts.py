"""Each claim's verdict rule on constructed numbers on both sides of its thresholds."""
import pytest

from lab.attention_cost import AttentionCost, ModelCost
from lab.window_crossing import TokenCrossing, WindowCrossing
from lab.statistics import Interval, wilson
from lab.verdicts import (CLEARLY_FEWER, CONTENT_VARIATION, GLOBAL, INVARIANT, LOCAL, NOT_FACE, NOT_FACE_PARTLY,
                          NOT_INVARIANT, STILL_FACE, STILL_FACE_PARTLY, VERDICTS, RegionShares,
                          c1_fewer_parameters, c2_learns_where_to_look, c3_local_vs_global, c4_interpretability,
                          c5_rotation, c6_translation, c7_moved_parts, c8_homework_face_cnn, c9_homework_face_vit,
                          c10_mha_count, c11_attention_cost, c12_window_reach, c12c_residual, c13_underfit,
                          c14_right_parts, HOMEWORK_GATE, MECHANISM_GATE, UNSTABLE, Competence, across_runs, gate,
                          unstable)


def around(value: float, half: float = 0.01) -> Interval:
    """An interval of the given half-width around value."""
    return Interval(value, value - half, value + half)


def verdict(result: tuple[str, str]) -> str:
    assert result[0] in VERDICTS and result[1], result
    return result[0]


# C1: fewer parameters, and for the reason given

@pytest.mark.parametrize("cnn, vit, kernel, expected", [
    (100, 100, 1, "does not hold"),  # as many
    (120, 100, 1, "does not hold"),  # more
    (100, 110, 1, "partly"),  # fewer, not clearly
    (100, 100 * CLEARLY_FEWER, 1, "holds"),  # clearly fewer, and a 1×1 convolution (C²) is cheaper than 4C²
    (100, 400, 3, "partly"),  # clearly fewer, but a 3×3 convolution (9C²) costs more than attention (4C²)
])
def test_c1(cnn, vit, kernel, expected):
    assert verdict(c1_fewer_parameters(cnn, vit, width=64, kernel=kernel)) == expected


def test_c1_the_toy_pair_and_a_larger_vit():
    assert verdict(c1_fewer_parameters(1_234_822, 829_578, width=128)) == "does not hold"
    result = c1_fewer_parameters(25_557_032, 86_567_656, width=768)
    assert result[0] == "partly" and "not because its filters are shared" in result[1]


# C2: the ViT learns where to look

SELECTIVE = RegionShares(object=around(0.6), border=around(0.05), object_area=0.3, border_area=0.25)
UNSELECTIVE = RegionShares(object=around(0.3, 0.05), border=around(0.25, 0.05), object_area=0.3, border_area=0.25)
ON_OBJECT_ONLY = RegionShares(object=around(0.6), border=around(0.3), object_area=0.3, border_area=0.25)


@pytest.mark.parametrize("vit, cnn, variation, expected", [
    (SELECTIVE, UNSELECTIVE, CONTENT_VARIATION, "holds"),
    (SELECTIVE, UNSELECTIVE, CONTENT_VARIATION - 0.01, "partly"),  # attention barely depends on the image
    (SELECTIVE, SELECTIVE, 1.0, "partly"),  # the CNN's evidence is as selective: not a difference
    (ON_OBJECT_ONLY, UNSELECTIVE, 1.0, "partly"),  # does not avoid the border
    (UNSELECTIVE, UNSELECTIVE, 1.0, "does not hold"),
    (RegionShares(object=Interval(0.35, 0.29, 0.41), border=around(0.05), object_area=0.3, border_area=0.25),
     UNSELECTIVE, 1.0, "does not hold"),  # more than the area on average, but not clearly
])
def test_c2(vit, cnn, variation, expected):
    assert verdict(c2_learns_where_to_look(vit, cnn, variation)) == expected


# C3: local against global, depth by depth

CNN_GROWING = [around(LOCAL - 0.05), around(0.2), around(0.4)]


@pytest.mark.parametrize("cnn, vit, expected", [
    (CNN_GROWING, [around(GLOBAL + 0.02), around(0.45)], "holds"),
    (CNN_GROWING, [around(GLOBAL - 0.05), around(0.45)], "partly"),  # farther than the CNN, not global
    ([around(LOCAL + 0.02), around(0.2), around(0.4)], [around(0.4), around(0.45)], "partly"),  # CNN not local
    ([around(0.1), around(0.1)], [around(0.4), around(0.45)], "partly"),  # CNN does not grow
    (CNN_GROWING, [around(0.1), around(0.45)], "does not hold"),  # ViT looks as close as the CNN
])
def test_c3(cnn, vit, expected):
    assert verdict(c3_local_vs_global(cnn, vit)) == expected


# C4: can the learned filters be drawn and read: first-layer structure against shuffled weights

SHUFFLED = around(-0.12, 0.01)


@pytest.mark.parametrize("cnn, vit, expected", [
    (around(0.5), around(-0.1), "holds"),  # the CNN's filters structured, the ViT's not
    (around(0.5), around(0.2), "partly"),  # both structured, the CNN's clearly more
    (around(0.3, 0.05), around(0.25, 0.05), "does not hold"),  # both structured, no clear difference
    (around(0.2), around(0.5), "does not hold"),  # the ViT's smoother
    (around(-0.10, 0.03), around(0.5), "does not hold"),  # the CNN's interval reaches its shuffled one's
    (around(-0.10, 0.03), around(-0.12), "does not hold"),  # neither structured
])
def test_c4(cnn, vit, expected):
    assert verdict(c4_interpretability(cnn, SHUFFLED, vit, SHUFFLED)) == expected


def test_c4_reads_interval_bounds_not_means():
    # A mean far above the shuffled baseline with an interval that reaches it is not structure.
    assert verdict(c4_interpretability(Interval(0.3, -0.115, 0.7), SHUFFLED, around(-0.1), SHUFFLED)) == "does not hold"
    assert verdict(c4_interpretability(Interval(0.3, -0.105, 0.7), SHUFFLED, around(-0.1), SHUFFLED)) == "holds"


# C5 and C6: invariance, from the top-1-kept interval

@pytest.mark.parametrize("kept, expected", [
    (wilson(252, 500), "holds"),  # 50% kept: clearly not invariant
    (Interval(NOT_INVARIANT - 0.03, NOT_INVARIANT - 0.06, NOT_INVARIANT - 0.001), "holds"),
    (Interval(NOT_INVARIANT, NOT_INVARIANT - 0.03, NOT_INVARIANT + 0.03), "partly"),
    (Interval(INVARIANT - 0.01, INVARIANT - 0.03, INVARIANT + 0.01), "partly"),
    (Interval(INVARIANT + 0.02, INVARIANT, INVARIANT + 0.04), "does not hold"),
])
def test_c5_rotation(kept, expected):
    assert verdict(c5_rotation(kept, vit_kept=wilson(275, 500))) == expected


@pytest.mark.parametrize("kept, expected", [
    (wilson(497, 500), "holds"),
    (Interval(INVARIANT + 0.02, INVARIANT, INVARIANT + 0.04), "holds"),
    (Interval(INVARIANT + 0.01, INVARIANT - 0.01, INVARIANT + 0.03), "partly"),
    (Interval(NOT_INVARIANT, NOT_INVARIANT - 0.03, NOT_INVARIANT + 0.03), "partly"),
    (Interval(NOT_INVARIANT - 0.03, NOT_INVARIANT - 0.06, NOT_INVARIANT - 0.001), "does not hold"),
])
def test_c6_translation(kept, expected):
    assert verdict(c6_translation(kept)) == expected


# C7: moved parts still read as a face

@pytest.mark.parametrize("moved, without_pooling, expected", [
    (around(STILL_FACE), None, "holds"),
    (around(STILL_FACE - 0.01), None, "partly"),
    (around(STILL_FACE_PARTLY), None, "partly"),
    (around(STILL_FACE_PARTLY - 0.01), None, "does not hold"),
    (around(0.98), around(0.3), "holds"),  # without pooling, clearly fewer: pooling is the cause
    (around(0.98), around(0.97), "partly"),  # without pooling just as many: pooling is not the cause
])
def test_c7(moved, without_pooling, expected):
    assert verdict(c7_moved_parts(moved, without_pooling)) == expected


# C8: the CNN will NOT call the homework's picture a face

def test_c8_98_percent_face_does_not_hold():
    result = c8_homework_face_cnn(wilson(490, 500))
    assert result[0] == "does not hold" and "98%" in result[1]


def test_c8_5_percent_face_holds():
    assert verdict(c8_homework_face_cnn(wilson(25, 500))) == "holds"


@pytest.mark.parametrize("share, expected", [
    (NOT_FACE, "holds"), (NOT_FACE + 0.01, "partly"), (NOT_FACE_PARTLY, "partly"),
    (NOT_FACE_PARTLY + 0.01, "does not hold"),
])
def test_c8_thresholds(share, expected):
    assert verdict(c8_homework_face_cnn(around(share))) == expected


def test_c8_rotated_only_tests_the_reason():
    rejected = wilson(25, 500)
    assert verdict(c8_homework_face_cnn(rejected, rotated_only=wilson(40, 500))) == "holds"
    result = c8_homework_face_cnn(rejected, rotated_only=wilson(480, 500))
    assert result[0] == "partly" and "not because of the rotated parts" in result[1]
    result = c8_homework_face_cnn(wilson(490, 500), rotated_only=wilson(480, 500))
    assert result[0] == "does not hold" and "96%" in result[1]


# C9: the ViT will not call it a face either; position embeddings the reason

def test_c9_direction_and_thresholds():
    assert verdict(c9_homework_face_vit(wilson(455, 500))) == "does not hold"  # 91% face
    assert verdict(c9_homework_face_vit(wilson(25, 500))) == "holds"
    assert verdict(c9_homework_face_vit(around(NOT_FACE_PARTLY))) == "partly"


def test_c9_position_ablation():
    rejected = wilson(25, 500)
    assert verdict(c9_homework_face_vit(rejected, without_position=wilson(400, 500))) == "holds"
    assert verdict(c9_homework_face_vit(rejected, without_position=wilson(30, 500))) == "partly"
    # rotated-only faces still called faces do not count against the ViT: its reason is the arrangement
    assert verdict(c9_homework_face_vit(rejected, rotated_only=wilson(480, 500))) == "holds"


# C10, C11, C12: the theory

def test_c10_holds_iff_the_count_matches():
    result = c10_mha_count()
    assert result[0] == "holds" and "18,000" in result[1] and "15,000" in result[1]
    assert verdict(c10_mha_count(33_001)) == "does not hold"
    assert verdict(c10_mha_count(18_000)) == "does not hold"


def _model_cost(name: str, mixing: Interval | None, attention: Interval | None) -> ModelCost:
    """A hand-made model cost: only the exponents the C11 rule reads are meaningful."""
    one = Interval(1.0, 1.0, 1.0)
    return ModelCost(name, (1, 4, 9, 16), (1, 4, 9, 16), (1, 4, 9, 16), (1, 4, 9, 16), None, None, (1.0,) * 4, one,
                     attention, mixing, None, None, one)


def _cost(deit_mixing: Interval, swin_mixing: Interval, swin_attention: Interval) -> AttentionCost:
    return AttentionCost((224, 448, 672, 896), 5, 2, (
        _model_cost("DeiT-S", deit_mixing, Interval(1.49, 1.2, 1.8)), _model_cost("Swin-T", swin_mixing, swin_attention),
        _model_cost("ResNet-50", None, None)))


SQUARE, LINE = Interval(2.0, 2.0, 2.0), Interval(1.0, 1.0, 1.0)


@pytest.mark.parametrize("deit_mixing, swin_mixing, swin_attention, expected", [
    (SQUARE, LINE, LINE, "holds"),
    (Interval(1.99, 1.91, 2.07), Interval(1.0, 0.91, 1.09), LINE, "holds"),  # intervals inside the bands
    (Interval(1.99, 1.89, 2.07), LINE, LINE, "partly"),  # DeiT-S's interval leaves the quadratic band
    (SQUARE, Interval(1.02, 0.95, 1.11), LINE, "partly"),  # Swin-T's mixing leaves the linear band
    (SQUARE, LINE, Interval(1.3, 1.2, 1.4), "partly"),  # Swin-T's whole attention is not linear
    (LINE, SQUARE, SQUARE, "does not hold"),  # the other way round: the rule could have read this
])
def test_c11_reads_the_exponent_intervals_against_the_bands(deit_mixing, swin_mixing, swin_attention, expected):
    assert verdict(c11_attention_cost(_cost(deit_mixing, swin_mixing, swin_attention))) == expected


def test_c11_waits_for_the_measurement():
    assert verdict(c11_attention_cost(None)) == "not testable here"


def _crossing(*rows: tuple[int, int, int, int]) -> WindowCrossing:
    """Tokens given as (outside after block 1, outside after block 2, predicted after 1, predicted after 2)."""
    tokens = tuple(TokenCrossing((i, 0), (49, 49 + o2), (o1, o2), (49, 49 + p2), (p1, p2), (o1 == p1, o2 == p2))
                   for i, (o1, o2, p1, p2) in enumerate(rows))
    return WindowCrossing(224, 56, 7, 1e-20, 0, tokens)


def test_c12_from_traced_crossings():
    assert verdict(c12_window_reach(_crossing((0, 49, 0, 49), (0, 0, 0, 0)))) == "holds"
    assert verdict(c12_window_reach(_crossing((0, 0, 0, 49), (0, 0, 0, 0)))) == "partly"  # never crosses
    assert verdict(c12_window_reach(_crossing((3, 49, 0, 49), (0, 49, 0, 49)))) == "partly"  # W-MSA leaks
    assert verdict(c12_window_reach(_crossing((3, 0, 0, 49)))) == "does not hold"
    assert verdict(c12_window_reach(None)) == "not testable here"
    why = c12_window_reach(_crossing((0, 49, 0, 49), (0, 0, 0, 49)))[1]
    assert "1 of 2 traced reaches are the predicted patches" in why


# C13, C14: the fine-tuning runs (their rules on hand-made runs: tests/test_lab_fine_tuning.py)

def test_c13_and_c14_wait_for_the_runs():
    for rule in (c13_underfit, c14_right_parts):
        result = rule()
        assert result[0] == "not testable here" and "protocol" in result[1]


# Competence gates: a model below its gate grades nothing; the gate reads the point estimate

TOY_TASK = "the toy world's ten classes"


@pytest.mark.parametrize("accuracy, testable", [
    (Interval(HOMEWORK_GATE + 0.001, 0.90, 0.97), True),  # just above the gate: its low end below does not matter
    (Interval(HOMEWORK_GATE, 0.93, 0.96), True),  # at the gate
    (Interval(HOMEWORK_GATE - 0.001, 0.94, 0.9999), False),  # just below: its high end above does not help
])
def test_homework_gate_on_both_sides(accuracy, testable):
    refused = gate([Competence("the toy CNN (seed 0)", TOY_TASK, accuracy, HOMEWORK_GATE)])
    assert (refused is None) == testable
    if not testable:
        assert refused[0] == "not testable here"
        assert refused[1] == ("the toy CNN (seed 0) did not learn the toy world's ten classes (94.9% [94.0%–100.0%], "
                              "below the 95% gate)")


def test_mechanism_gate_names_every_model_below_it():
    learned = Competence("CNN, global average pooling (cnn_pooled)", "face vs jumbled face",
                         Interval(MECHANISM_GATE + 0.01, 0.89, 0.93), MECHANISM_GATE)
    chance = Competence("ViT, learned position embeddings (vit_position)", "face vs jumbled face",
                        Interval(0.572, 0.541, 0.602), MECHANISM_GATE)
    assert gate([learned]) is None
    verdict_, why = gate([learned, chance])
    assert verdict_ == "not testable here"
    assert why == ("ViT, learned position embeddings (vit_position) did not learn face vs jumbled face "
                   "(57.2% [54.1%–60.2%], below the 90% gate)")
    assert "91.0% [89.0%–93.0%] on face vs jumbled face (gate 90%)" in learned.describe()


def test_a_verdict_that_flips_between_runs_is_partly_and_unstable():
    pooled = ("holds", "pooled reasons")
    assert across_runs(pooled, [("holds", "a"), ("holds", "b"), ("holds", "c")]) == pooled
    flipped = across_runs(pooled, [("holds", "a"), ("does not hold", "b"), ("holds", "c")])
    assert flipped[0] == "partly" and flipped[1].startswith(UNSTABLE) and unstable(flipped)
    assert "'holds', 'does not hold', 'holds'" in flipped[1] and "pooled, it would be 'holds'" in flipped[1]
    assert not unstable(("partly", "within the intervals"))


# C12c: the residual connection, from the runs with and without it

def residual_run(seed: int, with_it: float, without: float, half: float = 0.01) -> dict:
    return {"seed": seed, "steps": 1000, "with_residual": {"test_accuracy": list(around(with_it, half))},
            "without_residual": {"test_accuracy": list(around(without, half))}}


def test_c12c_waits_for_its_runs():
    assert c12c_residual(None) == c12c_residual([]) and verdict(c12c_residual()) == "not testable here"
    assert "not run yet" in c12c_residual()[1]


@pytest.mark.parametrize("runs, expected", [
    ([residual_run(s, 0.98, 0.6) for s in range(3)], "holds"),
    ([residual_run(s, 0.98, 0.975) for s in range(3)], "partly"),  # higher, within the intervals
    ([residual_run(s, 0.98, 0.99) for s in range(3)], "does not hold"),
    ([residual_run(0, 0.98, 0.6), residual_run(1, 0.98, 0.99), residual_run(2, 0.98, 0.6)], "partly"),  # unstable
    ([residual_run(0, 0.98, 0.6), residual_run(1, 0.90, 0.6)], "not testable here"),  # seed 1 below its gate
])
def test_c12c(runs, expected):
    result = c12c_residual(runs)
    assert verdict(result) == expected
    if expected == "not testable here":
        assert "seed 1) did not learn" in result[1]
    else:
        assert "pooled over" in result[1] and "seed 2" in result[1] or len(runs) == 2
    assert unstable(result) == (runs[1]["without_residual"]["test_accuracy"][0] == 0.99 and
                                runs[0]["without_residual"]["test_accuracy"][0] == 0.6)
