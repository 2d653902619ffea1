"""The Picasso figure shows the report's rates over its held-out faces next to the one face scored."""

from figures.lab import picasso_figure
from lab.picasso import FaceRates, picasso_variants, run_picasso
from lab.statistics import Interval
from models import load_pair


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
