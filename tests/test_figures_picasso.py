"""The Picasso figure saves for both measures, and shows the report's rates over its held-out faces next to the one face
scored."""
from PIL import Image

from figures.picasso import picasso_figure, recognition_figure
from lab.picasso import picasso_variants, run_picasso
from models import load_pair
from tests.saved_figure import assert_saves


def test_picasso_figure_saves_for_both_measures(tmp_path):
    names = ["clean", "moved", "picasso"]
    variants = [{"name": n, "cnn": {"p_target": 0.9 - i / 4, "top1": "face"}, "vit": {"p_target": 0.8 - i / 3,
                                                                                     "top1": "clock"}}
                for i, n in enumerate(names)]
    images = [Image.new("RGB", (64, 64), (40 * i, 90, 160)) for i in range(len(names))]
    for measure in ("p_face", "p_clean_top1"):
        result = {"measure": measure, "classes": {"cnn": "face", "vit": "face"}, "variants": variants}
        assert_saves(picasso_figure(result, images), tmp_path / f"{measure}.png")


def test_report_rates_are_drawn_as_diamonds_with_their_intervals():
    variants = picasso_variants(3_000_000)
    result = run_picasso(load_pair("toy"), 3_000_000, variants=variants)
    names = [v["name"] for v in result["variants"]]
    rates = {"faces": 500, "variants": {name: {"cnn": [0.9, 0.85, 0.95], "vit": [0.2, 0.1, 0.3]} for name in names[:2]}}
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
    rates = {"clean": {"cnn": (0.9, 0.8, 0.95), "vit": (0.85, 0.75, 0.9)},
             "picasso": {"cnn": (0.7, 0.6, 0.8), "vit": (0.2, 0.1, 0.3)}}
    fig = recognition_figure(rates, "share called 'face'", 40)
    heights = sorted(round(bar.get_height(), 2) for bar in fig.axes[0].patches)
    assert heights == [0.2, 0.7, 0.85, 0.9]
    assert_saves(fig, tmp_path / "recognition.png")
