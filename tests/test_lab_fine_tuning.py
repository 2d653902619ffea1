"""C13 and C14 from the protocol's records (lab.fine_tuning): the slope after epoch 5, the wrong-against-right
comparison, and the rules, each coming out every way on hand-made runs."""
import pytest

from lab.fine_tuning import misclassified, slope_interval, trend
from lab.verdicts import c13_underfit as grade_underfit, c14_right_parts as grade_right_parts


def _run(val: list[float], train: list[float], seed: int = 0) -> dict:
    return {"seed": seed, "training": {"epochs": [{"val_accuracy": v, "train_accuracy": t} for v, t in zip(val, train)]}}


def test_the_slope_of_a_straight_line_is_exact_and_its_interval_is_a_point():
    slope = slope_interval([0.1 * i for i in range(1, 11)])
    assert slope.value == pytest.approx(0.1) and slope.low == pytest.approx(0.1) and slope.high == pytest.approx(0.1)


def test_the_slope_of_noise_around_a_plateau_reaches_zero():
    slope = slope_interval([0.9, 0.92, 0.91, 0.93, 0.92, 0.91, 0.93, 0.92, 0.91, 0.92, 0.93, 0.91])
    assert slope.low < 0 < slope.high


RISING = [0.5, 0.6, 0.65, 0.7, 0.74, 0.76, 0.78, 0.8, 0.81, 0.83, 0.84]
FLAT = [0.5, 0.6, 0.65, 0.7, 0.74, 0.75, 0.73, 0.74, 0.75, 0.73, 0.74]
TRAIN = [0.5 + 0.04 * i for i in range(11)]


@pytest.mark.parametrize("curves, verdict", [
    ([RISING, RISING, RISING], "holds"),
    ([FLAT, FLAT, FLAT], "does not hold"),
    ([RISING, FLAT, RISING], "partly"),
])
def test_c13_reads_every_runs_slope(curves, verdict):
    assert grade_underfit([trend(_run(c, TRAIN, seed)) for seed, c in enumerate(curves)])[0] == verdict


def test_c13_is_not_underfit_when_the_training_accuracy_had_stopped_rising():
    saturated = [1.0] * 11
    assert grade_underfit([trend(_run(RISING, saturated))])[0] == "partly"


def _protocol(excess_wrong: float, fixed: int, broken: int, seed: int = 0) -> dict:
    """20 images of class 0: 10 wrong after the early epoch (`fixed` of them right at the end), 10 right (`broken`
    of them wrong at the end); the object covers 20% of each image."""
    label = [0] * 20
    early = [1] * 10 + [0] * 10
    final = [0] * fixed + [1] * (10 - fixed) + [1] * broken + [0] * (10 - broken)
    chefer = [0.2 + excess_wrong + 0.01 * (i % 3) for i in range(10)] + [0.6 + 0.01 * (i % 3) for i in range(10)]
    return {"seed": seed, "images": {"label": label, "top1_early": early, "top1_final": final,
                                     "chefer_on_object": chefer, "object_area": [0.2] * 20}}


def test_c14_compares_wrong_images_with_right_ones_and_the_churn_baseline():
    summary = misclassified(_protocol(0.3, 9, 1), ["a", "b"])
    assert (summary.wrong, summary.right) == (10, 10)
    assert summary.excess_wrong.value == pytest.approx(0.309) and summary.excess_right.value == pytest.approx(0.409)
    assert summary.fixed_later.value == 0.9 and summary.broken_later.value == 0.1
    assert summary.by_class == {"a": (10, 0.9)}


@pytest.mark.parametrize("excess, fixed, broken, verdict", [
    (0.3, 10, 0, "holds"),
    (-0.1, 10, 0, "does not hold"),
    (0.3, 4, 0, "partly"),  # on the object, but most of them are not right later
])
def test_c14_rule_reads_interval_bounds(excess, fixed, broken, verdict):
    runs = [misclassified(_protocol(excess, fixed, broken, seed), ["a", "b"]) for seed in range(3)]
    assert grade_right_parts(runs)[0] == verdict
