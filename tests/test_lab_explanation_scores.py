"""Tests for lab.explanation_scores: the bundled toy pair's maps against ground truth on held-out images, and the
aggregation of per-image records into intervals, split by correct and wrong predictions."""
import json
import math
from collections import Counter

import numpy as np
import pytest

from explain.scores import RANDOM
from lab.explanation_scores import ExplanationScores, MapRecord, score_explanations, summarise
from lab.statistics import mean_ci, wilson
from models import load_pair
from toyworld import LABELS, render_with_masks
from toyworld.splits import render_split, sample

HELD_OUT = 50
CHECKED = {"cnn": ["gradcam"], "vit": ["chefer"]}
"""The maps issue 12 asks to hold up on real weights (the random baseline comes with them)."""


@pytest.fixture(scope="module")
def toy_scores() -> ExplanationScores:
    return score_explanations(load_pair("toy"), HELD_OUT, maps=CHECKED)


def test_masked_renders_are_the_test_split_pixel_for_pixel():
    images, labels = render_split("test", HELD_OUT, workers=1)
    for index in range(HELD_OUT):
        label, seed = sample("test", index)
        image, masks = render_with_masks(label, seed)
        assert LABELS[labels[index]] == label
        assert np.array_equal(np.asarray(image), images[index])
        assert masks["object"].shape == images[index].shape[:2] and masks["object"].any()


def test_toy_scores_cover_every_class_equally_and_only_the_chosen_maps(toy_scores):
    assert toy_scores.maps() == [("cnn", "gradcam"), ("cnn", RANDOM), ("vit", "chefer"), ("vit", RANDOM)]
    per_class = Counter(r.label for r in toy_scores.records if (r.model, r.name) == ("cnn", "gradcam"))
    assert set(per_class.values()) == {HELD_OUT // len(LABELS)} and len(per_class) == len(LABELS)


@pytest.mark.parametrize("model,name", [("cnn", "gradcam"), ("vit", "chefer")])
def test_trained_maps_put_more_mass_on_the_object_than_its_area_on_most_images(toy_scores, model, name):
    summary = next(s for s in toy_scores.summary() if (s.model, s.name) == (model, name))
    assert summary.count == HELD_OUT and summary.empty == 0
    assert summary.above_area.value >= 0.8, summary


@pytest.mark.parametrize("model,name", [("cnn", "gradcam"), ("vit", "chefer")])
def test_trained_maps_beat_the_random_map_on_deletion(toy_scores, model, name):
    rows = {s.name: s for s in toy_scores.summary() if s.model == model}
    assert rows[name].deletion[0] < rows[RANDOM].deletion[0], rows


def test_a_pair_whose_crop_is_not_the_toy_image_is_refused(tiny_pair):
    with pytest.raises(ValueError, match="pixel for pixel"):
        score_explanations(tiny_pair, 1)


def test_unknown_map_names_are_refused():
    with pytest.raises(ValueError, match="unknown vit maps"):
        score_explanations(load_pair("toy"), 1, maps={"vit": ["gradcam++"]})


def record(index: int, correct: bool, hit: bool, inside: float, area: float = 0.2, deletion: float = 0.5,
           insertion: float = 0.5, model: str = "cnn", name: str = "gradcam") -> MapRecord:
    return MapRecord(index=index, label=LABELS[index % len(LABELS)], model=model, name=name, correct=correct, hit=hit,
                     inside=inside, area=area, deletion=deletion, insertion=insertion, blurred=0.1)


def constructed() -> ExplanationScores:
    """Four images: the CNN right on three and wrong on the last; a Grad-CAM and a random map each."""
    records = [record(0, True, True, 0.6, deletion=0.2, insertion=0.9),
               record(1, True, True, 0.4, deletion=0.3, insertion=0.8),
               record(2, True, False, 0.1, deletion=0.4, insertion=0.7),
               record(3, False, False, math.nan, deletion=0.6, insertion=0.5)]
    records += [record(r.index, r.correct, False, 0.2, deletion=0.7, insertion=0.6, name=RANDOM) for r in records]
    return ExplanationScores(pair="constructed", count=4, steps=25, records=records, grids={"cnn": (4, 4)},
                             precision="fp32")


def test_summary_gives_wilson_and_normal_intervals_and_leaves_empty_maps_out_of_the_mass():
    gradcam = constructed().summary()[0]
    assert (gradcam.model, gradcam.name, gradcam.count, gradcam.empty) == ("cnn", "gradcam", 4, 1)
    assert gradcam.pointing == wilson(2, 4)
    assert gradcam.inside == pytest.approx(mean_ci([0.6, 0.4, 0.1]))
    assert gradcam.above_area == wilson(2, 4)  # an empty map never counts as above its area
    assert gradcam.deletion == pytest.approx(mean_ci([0.2, 0.3, 0.4, 0.6]))
    assert gradcam.insertion == pytest.approx(mean_ci([0.9, 0.8, 0.7, 0.5]))
    assert gradcam.area == pytest.approx((0.2, 0.0))


def test_summary_splits_by_the_explaining_models_correctness():
    scores = constructed()
    right, wrong = scores.summary("correct")[0], scores.summary("wrong")[0]
    assert (right.count, wrong.count) == (3, 1)
    assert right.pointing == wilson(2, 3) and wrong.pointing == wilson(0, 1)
    assert right.deletion == pytest.approx(mean_ci([0.2, 0.3, 0.4]))
    assert wrong.deletion[0] == pytest.approx(0.6) and math.isnan(wrong.deletion[1])  # one image: no interval
    assert math.isnan(wrong.inside[0])  # its only map was empty
    assert scores.accuracy("cnn") == wilson(3, 4)
    with pytest.raises(ValueError, match="subset"):
        scores.summary("unsure")


def test_a_subset_without_images_summarises_to_nan():
    empty = summarise("vit", "chefer", [])
    assert empty.count == 0 and math.isnan(empty.pointing.value) and math.isnan(empty.deletion[0])


def test_paired_differences_match_the_per_image_differences():
    scores = constructed()
    deletion = scores.paired("deletion", ("cnn", RANDOM), ("cnn", "gradcam"))
    assert deletion == pytest.approx(mean_ci([0.5, 0.4, 0.3, 0.1]))
    excess = scores.paired("excess", ("cnn", "gradcam"), ("cnn", RANDOM), subset="correct")
    assert excess == pytest.approx(mean_ci([0.4, 0.2, -0.1]))


def test_scores_survive_a_json_round_trip():
    scores = constructed()
    text = json.dumps(scores.to_json(), allow_nan=False)
    again = ExplanationScores.from_json(json.loads(text))
    assert again.grids == scores.grids and again.to_json() == scores.to_json()  # nan is written as null
    assert math.isnan(again.records[3].inside)
    gradcam = scores.to_json()["summary"]["all"][0]  # intervals as [value, low, high], means as [mean, half-width]
    assert gradcam["pointing"] == [round(v, 6) for v in wilson(2, 4)] and len(gradcam["inside"]) == 2
