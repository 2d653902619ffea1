"""Figures of the arrangement experiment, one per question, drawn from its results file (lab.arrangement)."""
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator

from figures.theme import CNN_COLOR, VIT_COLOR

STYLES = {
    "cnn_pooled": ("CNN, pooled", CNN_COLOR, "-", "o"),
    "cnn_flattened": ("CNN, flattened", CNN_COLOR, "--", "s"),
    "vit_position": ("ViT, learned position embeddings", VIT_COLOR, "-", "o"),
    "vit_sincos": ("ViT, sin-cos position embeddings", VIT_COLOR, ":", "^"),
    "vit_no_position": ("ViT, no position embeddings", VIT_COLOR, "--", "s"),
}
"""Each architecture's legend name, colour (CNN blue, ViT orange), line and marker: dashed for the ablations."""


def _bars(ax, groups: list[str], values: dict[str, list[list[float]]], ylabel: str,
          seeds: dict[str, list[list[float]]] | None = None) -> None:
    """Grouped bars, one per architecture in each group: the pooled share with its interval over seeds, and each
    seed's own share as a dot."""
    width = 0.8 / len(STYLES)
    for i, (key, (name, color, line, _)) in enumerate(STYLES.items()):
        xs = [g + (i - (len(STYLES) - 1) / 2) * width for g in range(len(groups))]
        shares = [v[0] for v in values[key]]
        errors = [[max(0.0, v[0] - v[1]) for v in values[key]],  # bounds can miss 0 or 1 by a rounding
                  [max(0.0, v[2] - v[0]) for v in values[key]]]
        ax.bar(xs, shares, width=width, color=color if line == "-" else "white", edgecolor=color,
               hatch=None if line == "-" else ("//" if line == "--" else ".."), yerr=errors, capsize=2, label=name)
        for x, per_seed in zip(xs, (seeds or {}).get(key, [])):
            ax.plot([x] * len(per_seed), per_seed, "k.", markersize=3)
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
    _bars(ax, list(kinds.values()), {key: [models[key]["pooled"]["face_vs_jumbled"][k] for k in kinds]
                                     for key in STYLES},
          "share of test images (interval over seeds)",
          {key: [[run["face_vs_jumbled"][k][0] for run in models[key]["runs"]] for k in kinds] for key in STYLES})
    ax.axhline(results["gate"]["threshold"], color="grey", linestyle=":", linewidth=1)
    ax.legend(fontsize=7, loc="lower left")
    fig.suptitle("Face against jumbled face: pooled over seeds (bars), each seed (dots), the gate (dotted)")
    return fig


def held_out_figure(results: dict) -> Figure:
    """Which scrambles, never seen in training, does each architecture still call a face?"""
    models = results["models"]
    variants = list(next(iter(models.values()))["pooled"]["held_out_called_face"])
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    ax = fig.subplots()
    _bars(ax, variants, {key: [models[key]["pooled"]["held_out_called_face"][v] for v in variants] for key in STYLES},
          "share called 'face' (interval over seeds)",
          {key: [[run["held_out_called_face"][v][0] for run in models[key]["runs"]] for v in variants]
           for key in STYLES})
    ax.legend(fontsize=7, loc="upper right")
    fig.suptitle("Held-out faces called a face")
    return fig


def shuffle_figure(results: dict) -> Figure:
    """How much does each architecture's answer on a clean face depend on where its patches are?"""
    models = results["models"]
    grids = list(next(iter(models.values()))["pooled"]["shuffle_top1_kept"])
    fig = Figure(figsize=(7, 3.8), layout="constrained")
    ax = fig.subplots()
    _bars(ax, [f"{g}×{g}" for g in grids], {key: [models[key]["pooled"]["shuffle_top1_kept"][g] for g in grids]
                                            for key in STYLES}, "top-1 kept after shuffling (interval over seeds)",
          {key: [[run["shuffle_top1_kept"][g][0] for run in models[key]["runs"]] for g in grids] for key in STYLES})
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
        sizes, points = zip(*[(size, p) for size, p in zip(curve["sizes"], curve["accuracy"][key]) if p is not None])
        ax.plot(sizes, [p[0] for p in points], linestyle=line, marker=marker, color=color, label=name)
        ax.fill_between(sizes, [p[1] for p in points], [p[2] for p in points], color=color, alpha=0.12)
    ax.set_xscale("log")
    ax.set_xticks(curve["sizes"], [f"{size:,}" for size in curve["sizes"]])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(f"training images ({curve['steps']:,} steps at every size, seed {curve['seed']})")
    ax.set_ylabel("face vs jumbled face accuracy")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.suptitle("Learning curve")
    return fig


def training_figure(results: dict) -> Figure:
    """Each architecture's training at full size: validation accuracy and training loss against steps, every seed."""
    fig = Figure(figsize=(10, 3.8), layout="constrained")
    accuracy_ax, loss_ax = fig.subplots(1, 2)
    for key, (name, color, line, _) in STYLES.items():
        for i, run in enumerate(results["models"][key]["runs"]):
            steps = [e["steps"] for e in run["epochs"]]
            label = name if i == 0 else None
            accuracy_ax.plot(steps, [e["val_accuracy"] for e in run["epochs"]], linestyle=line, color=color,
                             linewidth=1, label=label)
            loss_ax.plot(steps, [e["train_loss"] for e in run["epochs"]], linestyle=line, color=color, linewidth=1)
    accuracy_ax.set_ylabel("validation accuracy (eleven classes)")
    accuracy_ax.set_ylim(0.5, 1.0)
    loss_ax.set_ylabel("training loss (with label smoothing)")
    loss_ax.set_yscale("log")
    for ax in (accuracy_ax, loss_ax):
        ax.set_xlabel("optimisation steps (batch 128)")
        ax.grid(alpha=0.3)
    accuracy_ax.legend(fontsize=7, loc="lower right")
    fig.suptitle("Training at full size, every seed: until the plateau, within the declared maximum")
    return fig


def fine_tuning_figure(results: dict) -> Figure:
    """The homework's protocol: validation accuracy (eleven classes, and face vs jumbled face) after each epoch, for
    each learning rate, every seed; the homework's epoch 5 marked."""
    protocol = results["protocol"]
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    accuracy_ax, faces_ax = fig.subplots(1, 2)
    colors = dict(zip(protocol["lrs"], ("#9ecae1", "#4292c6", "#08306b", "#000000")))
    for run in protocol["runs"]:
        epochs = range(1, len(run["training"]["epochs"]) + 1)
        chosen = run["lr"] == protocol["chosen_lr"]
        style = {"color": colors[run["lr"]], "linewidth": 1.6 if chosen else 0.8, "alpha": 1 if chosen else 0.6}
        label = f"lr {run['lr']:g}" + (" (chosen)" if chosen else "") if run["seed"] == protocol["runs"][0]["seed"] \
            else None
        accuracy_ax.plot(epochs, [e["val_accuracy"] for e in run["training"]["epochs"]], label=label, **style)
        faces_ax.plot(epochs, run["face_vs_jumbled"], **style)
    for ax, ylabel in ((accuracy_ax, "validation accuracy (eleven classes)"),
                       (faces_ax, "face vs jumbled face (validation)")):
        ax.axvline(5, color="grey", linestyle=":")
        ax.set_xlabel("epoch (the homework stopped after 5)")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
    accuracy_ax.legend(fontsize=7)
    fig.suptitle("The homework's protocol: the toy ViT fine-tuned at a constant learning rate, every seed")
    return fig


FIGURES = {"arrangement_face_vs_jumbled": face_vs_jumbled_figure, "arrangement_held_out": held_out_figure,
           "arrangement_shuffle": shuffle_figure, "arrangement_learning_curve": learning_curve_figure,
           "arrangement_training": training_figure, "arrangement_fine_tuning": fine_tuning_figure}
"""File stem -> figure, for the report."""
