"""C12's figure: how many tokens can have influenced a token after L layers of global, windowed, shifted attention."""
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from figures.theme import MSA_COLOR, WMSA_COLOR
from lab.reach import SCHEMES, Reach

SHIFTED_COLOR = "#7570b3"  # purple: the third of the Dark2 colours next to MSA's orange and W-MSA's green
SCHEME_STYLE = {"global MSA": (MSA_COLOR, "o"), "W-MSA only": (WMSA_COLOR, "s"), "W-MSA / SW-MSA": (SHIFTED_COLOR, "D")}
"""(colour, marker) of each scheme."""


def reach_figure(result: Reach) -> Figure:
    """Tokens that can have influenced a token against depth, per scheme: all tokens (solid) and the central one."""
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for scheme in SCHEMES:
        color, marker = SCHEME_STYLE[scheme]
        ax.plot(result.layers, result.mean[scheme], marker=marker, color=color, linewidth=2, label=scheme)
        ax.plot(result.layers, result.central[scheme], marker=marker, color=color, linewidth=1, linestyle="--",
                markerfacecolor="white")
    color, _ = SCHEME_STYLE["W-MSA / SW-MSA"]  # the only scheme whose reach changes with depth
    for layer, mean, central in zip(result.layers, result.mean["W-MSA / SW-MSA"], result.central["W-MSA / SW-MSA"]):
        ax.annotate(f"{mean:,.0f}", (layer, mean), textcoords="offset points", xytext=(8, -12), fontsize=8,
                    color=color)
        if central != mean:
            ax.annotate(f"{central:,}", (layer, central), textcoords="offset points", xytext=(-8, 6), ha="right",
                        fontsize=8, color=color)
    ax.axhline(result.tokens, color="grey", linewidth=0.8, linestyle=":")
    ax.axhline(result.window ** 2, color="grey", linewidth=0.8, linestyle=":")
    ax.set_yscale("log")
    ax.set_ylim(1, result.tokens * 2.5)
    ax.set_yticks([1, result.window ** 2, result.tokens],
                  ["1", f"{result.window ** 2} (one window)", f"{result.tokens:,} (all)"])
    ax.minorticks_off()
    ax.set_xticks(result.layers)
    ax.set_xlabel("layers")
    ax.set_ylabel("tokens that can have influenced a token")
    ax.grid(alpha=0.3)
    ax.set_xlim(min(result.layers) - 0.5, max(result.layers) + 1)
    styles = [Line2D([], [], color="grey", linewidth=2, label="mean over all tokens"),
              Line2D([], [], color="grey", linewidth=1, linestyle="--", marker="o", markerfacecolor="white",
                     label=f"central token ({result.side // 2}, {result.side // 2})")]
    ax.legend(handles=ax.get_legend_handles_labels()[0] + styles, fontsize=8, loc="lower right")
    ax.set_title(f"Which tokens can reach a token: {result.side}×{result.side} grid, {result.window}×{result.window} "
                 f"windows\n(SW-MSA displaced by {result.window // 2}, no wrap-around across the edge)", fontsize=10)
    return fig
