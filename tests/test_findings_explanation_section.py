"""The findings report's "Explanations checked against ground truth" section and its figure, on constructed scores."""
from explain.scores import RANDOM
from figures.explanation_scores import explanation_scores_figure
from findings.report import explanation_section
from lab.explanation_scores import MAP_NAMES, ExplanationScores, MapRecord
from toyworld import LABELS

IMAGES = 20


def scores(cnn_inside: float, vit_inside: float, wrong: int = 0, lead: str = "cnn") -> ExplanationScores:
    """Every map on IMAGES images with the given mass inside (area 0.2, with a little spread); the `lead` model's
    maps hit every time, the other's every other time, random maps never; the first `wrong` images are
    misclassified by both models."""
    records = []
    for index in range(IMAGES):
        jitter = 0.01 * (index % 3)
        for model, names in MAP_NAMES.items():
            for name in names:
                inside = 0.2 + jitter if name == RANDOM else (cnn_inside if model == "cnn" else vit_inside) + jitter
                records.append(MapRecord(index=index, label=LABELS[index % len(LABELS)], model=model, name=name,
                                         correct=index >= wrong, inside=inside, area=0.2,
                                         hit=name != RANDOM and (model == lead or index % 2 == 0),
                                         deletion=0.8 + jitter if name == RANDOM else 0.3 + jitter,
                                         insertion=0.6 + jitter if name == RANDOM else 0.9 - jitter, blurred=0.2))
    return ExplanationScores(pair="constructed", count=IMAGES, steps=25, records=records,
                             grids={"cnn": (4, 4), "vit": (8, 8)}, precision="fp32")


def test_section_has_the_tables_measures_and_a_reading():
    text = "\n".join(explanation_section(scores(0.6, 0.4, wrong=3)))
    assert text.startswith("## Explanations checked against ground truth")
    for label in ("CNN Grad-CAM", "CNN random", "ViT rollout", "ViT Grad-CAM", "ViT Chefer", "ViT random"):
        assert text.count(f"| {label} |") == 3  # all images, correct, wrong
    assert "| CNN Grad-CAM | 17 | 100% [" in text and "| CNN Grad-CAM | 3 | 100% [" in text
    assert "| ViT Chefer | 50% [" in text and "| CNN random | 0% [" in text
    assert "Under 10 images" in text
    assert "25 steps of 4%" in text and "blurred copy" in text and "dilated by one pixel" in text
    assert "4×4" in text and "8×8" in text
    assert "as the claim expects" in text
    assert "every map beats its model's random map on deletion" in text


def test_the_reading_follows_the_numbers_whichever_way_they_fall():
    assert "the opposite of the claim" in "\n".join(explanation_section(scores(0.4, 0.6, lead="vit")))
    assert "mixed" in "\n".join(explanation_section(scores(0.4, 0.6, lead="cnn")))
    assert "about equally well" in "\n".join(explanation_section(scores(0.5, 0.5, lead="neither")))


def test_a_subset_without_images_is_said_so():
    assert "*Wrong predictions*: none among these images." in explanation_section(scores(0.6, 0.4))


def test_figure_draws_four_panels_even_for_rates_of_one():
    figure = explanation_scores_figure(scores(0.6, 0.4))  # every hit: Wilson's upper end rounds just below 1
    assert len(figure.axes) == 4
