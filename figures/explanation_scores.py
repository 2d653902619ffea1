"""The dataset-level explanation scores as a figure: each map's localisation and faithfulness with 95% intervals."""
from matplotlib.figure import Figure

from explain.scores import RANDOM
from figures.faithfulness import MAP_NAMES
from figures.theme import MODELS
from lab.explanation_scores import ExplanationScores, MapSummary

MODEL_NAMES = {key: name for key, name, _ in MODELS}
MODEL_COLOURS = {key: colour for key, _, colour in MODELS}


def map_label(model: str, name: str) -> str:
    """"CNN Grad-CAM", "ViT Chefer", ...: how the report and the figure name a map."""
    return f"{MODEL_NAMES[model]} {MAP_NAMES[name]}"


def explanation_scores_figure(scores: ExplanationScores, subset: str = "all") -> Figure:
    """Four panels of horizontal bars, one bar per map: pointing game, mass inside the object (the object's area
    share marked), deletion AUC and insertion AUC, each with its 95% interval; random maps hatched."""
    rows = scores.summary(subset)
    fig = Figure(figsize=(13, 0.45 * len(rows) + 1.6), layout="constrained")
    axes = fig.subplots(1, 4, sharey=True)
    y = list(range(len(rows)))[::-1]
    panels = [("pointing game (map's maximum on the object)", _wilson_bar(lambda s: s.pointing)),
              ("share of the map's mass on the object", _mean_bar(lambda s: s.inside)),
              ("deletion AUC (lower is better)", _mean_bar(lambda s: s.deletion)),
              ("insertion AUC (higher is better)", _mean_bar(lambda s: s.insertion))]
    for ax, (title, bar) in zip(axes, panels):
        for row, summary in zip(y, rows):
            value, error = bar(summary)
            ax.barh(row, value, xerr=[[error[0]], [error[1]]], color=MODEL_COLOURS[summary.model], capsize=3,
                    hatch="//" if summary.name == RANDOM else None, alpha=0.5 if summary.name == RANDOM else 0.9)
        ax.set_title(title, fontsize=9)
        ax.set_xlim(0, 1.02)
        ax.grid(alpha=0.3, axis="x")
    for row, summary in zip(y, rows):
        axes[1].plot([summary.area[0]] * 2, [row - 0.4, row + 0.4], color="black", linewidth=1.5,
                     label="object's area share" if row == y[0] else None)
    axes[1].legend(fontsize=7, loc="lower right")
    axes[0].set_yticks(y, [map_label(s.model, s.name) for s in rows])
    fig.suptitle(f"Explanations against ground truth: {scores.count} held-out toy images"
                 f"{'' if subset == 'all' else f', {subset} predictions'} (95% intervals)")
    return fig


def _wilson_bar(field):
    def bar(summary: MapSummary) -> tuple[float, tuple[float, float]]:
        share = field(summary)  # rounding can put the value a hair outside its interval
        return share.value, (max(0.0, share.value - share.low), max(0.0, share.high - share.value))
    return bar


def _mean_bar(field):
    def bar(summary: MapSummary) -> tuple[float, tuple[float, float]]:
        mean, half = field(summary)
        return mean, (half, half)
    return bar
