"""Figures of the arrangement experiment, one per question, drawn from its results file (lab.arrangement)."""
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from figures.theme import CNN_COLOR, VIT_COLOR

STYLES = {
    "cnn_pooled": ("CNN, pooled", CNN_COLOR, "-", "o"),
    "cnn_flattened": ("CNN, flattened", CNN_COLOR, "--", "s"),
    "vit_position": ("ViT, position embeddings", VIT_COLOR, "-", "o"),
    "vit_no_position": ("ViT, no position embeddings", VIT_COLOR, "--", "s"),
}
"""Each architecture's legend name, colour (CNN blue, ViT orange), line and marker: dashed for the ablation."""


def _bars(ax, groups: list[str], values: dict[str, list[list[float]]], ylabel: str) -> None:
    """Grouped bars, one per architecture in each group, with their 95% intervals."""
    width = 0.8 / len(STYLES)
    for i, (key, (name, color, line, _)) in enumerate(STYLES.items()):
        xs = [g + (i - (len(STYLES) - 1) / 2) * width for g in range(len(groups))]
        shares = [v[0] for v in values[key]]
        errors = [[max(0.0, v[0] - v[1]) for v in values[key]],  # Wilson's bounds can miss 0 or 1 by a rounding
                  [max(0.0, v[2] - v[0]) for v in values[key]]]
        ax.bar(xs, shares, width=width, color=color if line == "-" else "white", edgecolor=color,
               hatch=None if line == "-" else "//", yerr=errors, capsize=2, label=name)
    ax.set_xticks(range(len(groups)), groups, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)


def face_vs_jumbled_figure(results: dict) -> Figure:
    """Does each architecture tell a face from a jumbled face? Clean faces called face, jumbles called jumbled."""
    models = results["models"]
    fig = Figure(figsize=(7, 3.8), layout="constrained")
    ax = fig.subplots()
    kinds = {"faces_called_face": "clean faces called face", "jumbled_called_jumbled": "jumbled faces called jumbled",
             "accuracy": "both together"}
    _bars(ax, list(kinds.values()), {key: [models[key]["face_vs_jumbled"][k] for k in kinds] for key in STYLES},
          "share of test images (95% interval)")
    ax.legend(fontsize=7, loc="lower left")
    fig.suptitle("Face against jumbled face, trained on the largest set")
    return fig


def held_out_figure(results: dict) -> Figure:
    """Which scrambles, never seen in training, does each architecture still call a face?"""
    models = results["models"]
    variants = list(next(iter(models.values()))["held_out_called_face"])
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    ax = fig.subplots()
    _bars(ax, variants, {key: [models[key]["held_out_called_face"][v] for v in variants] for key in STYLES},
          "share called 'face' (95% interval)")
    ax.legend(fontsize=7, loc="upper right")
    fig.suptitle("Held-out faces called a face")
    return fig


def shuffle_figure(results: dict) -> Figure:
    """How much does each architecture's answer on a clean face depend on where its patches are?"""
    models = results["models"]
    grids = list(next(iter(models.values()))["shuffle_top1_kept"])
    fig = Figure(figsize=(6, 3.8), layout="constrained")
    ax = fig.subplots()
    _bars(ax, [f"{g}×{g}" for g in grids], {key: [models[key]["shuffle_top1_kept"][g] for g in grids]
                                            for key in STYLES}, "top-1 kept after shuffling (95% interval)")
    ax.set_xlabel("patch grid shuffled")
    ax.legend(fontsize=7, loc="lower left")
    fig.suptitle("Patch shuffle on clean faces")
    return fig


def learning_curve_figure(results: dict) -> Figure:
    """Which inductive bias learns the arrangement from less data? Face-vs-jumbled accuracy against set size."""
    curve = results["learning_curve"]
    fig = Figure(figsize=(6, 3.8), layout="constrained")
    ax = fig.subplots()
    for key, (name, color, line, marker) in STYLES.items():
        points = curve["accuracy"][key]
        ax.plot(curve["sizes"], [p[0] for p in points], linestyle=line, marker=marker, color=color, label=name)
        ax.fill_between(curve["sizes"], [p[1] for p in points], [p[2] for p in points], color=color, alpha=0.12)
    ax.set_xscale("log")
    ax.set_xticks(curve["sizes"], [f"{size:,}" for size in curve["sizes"]])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel("training images (same number of steps at every size)")
    ax.set_ylabel("face vs jumbled face accuracy")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.suptitle("Learning curve")
    return fig


def fine_tuning_figure(results: dict) -> Figure:
    """The homework's protocol: validation accuracy after each epoch, the homework's 5 marked."""
    accuracy = results["fine_tuning"]["accuracy"]
    fig = Figure(figsize=(6, 3.5), layout="constrained")
    ax = fig.subplots()
    epochs = range(1, len(accuracy) + 1)
    ax.plot(epochs, accuracy, "o-", color=VIT_COLOR, label="ViT from the toy ViT's weights")
    ax.axvline(5, color="grey", linestyle=":", label="the homework stopped here")
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (eleven classes)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.suptitle("Fine-tuning, constant learning rate")
    return fig


FIGURES = {"arrangement_face_vs_jumbled": face_vs_jumbled_figure, "arrangement_held_out": held_out_figure,
           "arrangement_shuffle": shuffle_figure, "arrangement_learning_curve": learning_curve_figure,
           "arrangement_fine_tuning": fine_tuning_figure}
"""File stem -> figure, for the report."""
