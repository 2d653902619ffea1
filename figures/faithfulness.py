"""Deletion and insertion curves of every map of one image, with their areas in the legend."""
from matplotlib.figure import Figure

from explain.scores import RANDOM, Faithfulness
from figures.theme import MODELS

MAP_STYLES = {"gradcam": "-", "rollout": "--", "chefer": "-.", "gradcam_vit_grid": (0, (5, 1)), RANDOM: ":"}
MAP_NAMES = {"gradcam": "Grad-CAM", "rollout": "rollout", "chefer": "Chefer",
             "gradcam_vit_grid": "Grad-CAM on the ViT's grid", RANDOM: "random"}


def faithfulness_figure(scores: dict[str, dict[str, Faithfulness]], classes: dict[str, str]) -> Figure:
    """Two panels: the explained class's probability as pixels are deleted, and as they are inserted, per map."""
    fig = Figure(figsize=(10, 4), layout="constrained")
    deletion_ax, insertion_ax = fig.subplots(1, 2, sharey=True)
    for key, name, colour in MODELS:
        for map_name, score in scores[key].items():
            style = dict(color=colour, linestyle=MAP_STYLES[map_name], alpha=0.55 if map_name == RANDOM else 1.0)
            label = f"{name} {MAP_NAMES[map_name]}"
            deletion_ax.plot(score.deletion.fractions, score.deletion.probs, **style,
                             label=f"{label}: AUC {score.deletion.auc:.2f}")
            insertion_ax.plot(score.insertion.fractions, score.insertion.probs, **style,
                              label=f"{label}: AUC {score.insertion.auc:.2f}")
    deletion_ax.set_title("Deletion: most salient pixels blurred first (lower AUC is better)", fontsize=10)
    insertion_ax.set_title("Insertion: most salient pixels revealed first (higher AUC is better)", fontsize=10)
    deletion_ax.set_ylabel(f"P(explained class): CNN → {classes['cnn']}, ViT → {classes['vit']}")
    for ax in (deletion_ax, insertion_ax):
        ax.set_xlabel("share of the crop's pixels changed")
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    return fig

