"""Figures for FINDINGS.md: dataset-level sweeps with confidence bands, and Picasso recognition rates."""
from matplotlib.figure import Figure

from lab.dataset_sweeps import DatasetSweep
from lab.statistics import Interval
from lab.sweeps import SWEEPS
from figures.theme import MODELS


def dataset_sweep_figure(sweep: DatasetSweep) -> Figure:
    """Mean score of the clean prediction (±95% CI) and top-1 agreement (Wilson 95% CI) along a sweep."""
    spec = SWEEPS[sweep.kind]
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    score_ax, agree_ax = fig.subplots(1, 2)
    for key, name, color in MODELS:
        curve = getattr(sweep, key)
        low = [s - c for s, c in zip(curve.score, curve.score_ci)]
        high = [s + c for s, c in zip(curve.score, curve.score_ci)]
        score_ax.plot(sweep.x, curve.score, "o-", color=color, label=name, markersize=4)
        score_ax.fill_between(sweep.x, low, high, color=color, alpha=0.2)
        agree_ax.plot(sweep.x, curve.agreement, "o-", color=color, label=name, markersize=4)
        agree_ax.fill_between(sweep.x, curve.agreement_low, curve.agreement_high, color=color, alpha=0.2)
    score_ax.set_ylabel("P(class predicted on the clean image)")
    agree_ax.set_ylabel("top-1 same as on the clean image")
    for ax in (score_ax, agree_ax):
        ax.set_xlabel(spec.axis)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"{sweep.kind}: {sweep.count} held-out images, mean with 95% interval")
    return fig


def recognition_figure(rates: dict[str, dict[str, Interval]], measure: str,
                       count: int) -> Figure:
    """Per variant, the share of images each model still recognises, with Wilson 95% intervals."""
    names = list(rates)
    fig = Figure(figsize=(8, 3.8), layout="constrained")
    ax = fig.add_subplot()
    width = 0.38
    for offset, (key, name, color) in zip((-width / 2, width / 2), MODELS):
        p = [rates[v][key].value for v in names]
        err = [[rates[v][key].value - rates[v][key].low for v in names],
               [rates[v][key].high - rates[v][key].value for v in names]]
        ax.bar([i + offset for i in range(len(names))], p, width, yerr=err, color=color, label=name, capsize=3)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(measure)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(loc="lower left")
    ax.set_title(f"Picasso faces: {count} toy faces, clean and scrambled (Wilson 95% intervals)")
    return fig
