"""The Picasso figure saves for both measures, and shows the report's rates over its held-out faces next to the one face
scored."""
from PIL import Image

from figures.picasso import picasso_figure, recognition_figure
from lab.picasso import FaceRates, FaceScore, PicassoScores, VariantScores, picasso_variants, run_picasso
from lab.statistics import Interval
from models import load_pair
from tests.saved_figure import assert_saves


def test_picasso_figure_saves_for_both_measures(tmp_path):
    names = ["clean", "moved", "picasso"]
    variants = [VariantScores(n, FaceScore(0.9 - i / 4, "face"), FaceScore(0.8 - i / 3, "clock"))
                for i, n in enumerate(names)]
    images = [Image.new("RGB", (64, 64), (40 * i, 90, 160)) for i in range(len(names))]
    for measure in ("p_face", "p_clean_top1"):
        result = PicassoScores(measure, {"cnn": "face", "vit": "face"}, variants)
        assert_saves(picasso_figure(result, images), tmp_path / f"{measure}.png")


def test_report_rates_are_drawn_as_diamonds_with_their_intervals():
    variants = picasso_variants(3_000_000)
    result = run_picasso(load_pair("toy"), 3_000_000, variants=variants)
    names = [v.name for v in result.variants]
    shares = {"cnn": Interval(0.9, 0.85, 0.95), "vit": Interval(0.2, 0.1, 0.3)}
    rates = FaceRates(500, "share called 'face'", {name: shares for name in names[:2]}, 3_000_000)
    figure = picasso_figure(result, [image for _, image in variants], rates)
    bars = figure.axes[len(names):]  # the picture row, then the bar row
    for column, ax in enumerate(bars):
        diamonds = [line for line in ax.lines if line.get_marker() == "D"]
        if column < 2:
            assert sorted(float(line.get_ydata()[0]) for line in diamonds) == [0.2, 0.9]
        else:
            assert not diamonds  # no report rate for this variant: nothing drawn
    assert "share of 500 held-out faces called a face" in [t.get_text() for t in bars[0].get_legend().get_texts()]
    plain = picasso_figure(result, [image for _, image in variants])
    assert not any(line.get_marker() == "D" for ax in plain.axes for line in ax.lines)


def test_recognition_figure_draws_one_bar_per_variant_and_model(tmp_path):
    rates = {"clean": {"cnn": Interval(0.9, 0.8, 0.95), "vit": Interval(0.85, 0.75, 0.9)},
             "picasso": {"cnn": Interval(0.7, 0.6, 0.8), "vit": Interval(0.2, 0.1, 0.3)}}
    fig = recognition_figure(rates, "share called 'face'", 40)
    heights = sorted(round(bar.get_height(), 2) for bar in fig.axes[0].patches)
    assert heights == [0.2, 0.7, 0.85, 0.9]
    assert_saves(fig, tmp_path / "recognition.png")
