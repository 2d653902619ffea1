"""Figures of the theory tab: Swin's attention cost against image size, and where parameters or FLOPs go."""
from matplotlib.figure import Figure

from lab.theory import swin_complexity
from figures.theme import MODELS, MSA_COLOR, WMSA_COLOR


def _human(n: float) -> str:
    """A count in a few characters: 780, 2.1k, 23.5M, 4.1G."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f}{unit}"
    return f"{n:g}"


def complexity_figure(C: int, M: int, sizes: list[int], timings: list[dict] | None = None) -> Figure:
    """Ω(MSA) and Ω(W-MSA) against image size in patches (h = w); measured timings in a second panel if given."""
    fig = Figure(figsize=(11 if timings else 6, 4.2), layout="constrained")
    axes = fig.subplots(1, 2 if timings else 1, squeeze=False)[0]
    costs = [swin_complexity(side, side, C, M) for side in sizes]
    ax = axes[0]
    ax.plot(sizes, [c["msa"] for c in costs], "o-", color=MSA_COLOR, label="MSA: 4hwC² + 2(hw)²C")
    ax.plot(sizes, [c["wmsa"] for c in costs], "s-", color=WMSA_COLOR, label="W-MSA: 4hwC² + 2M²hwC")
    ax.set_ylabel("Ω (multiply-adds)")
    ax.set_title(f"Swin Eq. 1–2: quadratic vs linear in hw (C = {C}, M = {M})")
    if timings:
        ax = axes[1]
        ax.plot(sizes, [t["global_ms"] for t in timings], "o-", color=MSA_COLOR, label="global attention")
        ax.plot(sizes, [t["windowed_ms"] for t in timings], "s-", color=WMSA_COLOR,
                label=f"windowed attention ({M}×{M})")
        ax.set_ylabel("median time on this machine (ms)")
        ax.set_title("Measured (scaled_dot_product_attention, CPU)")
    for ax in axes:
        ax.set_yscale("log")
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [f"{side}×{side}\n({side * side} tokens)" for side in sizes], fontsize=8)
        ax.minorticks_off()
        ax.set_xlabel("image size in patches (h = w)")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=9)
    return fig


def parameter_figure(cnn_breakdown: dict[str, int], vit_breakdown: dict[str, int],
                     quantity: str = "parameters") -> Figure:
    """Grouped horizontal bars per category (CNN vs ViT), e.g. of parameter_breakdown or flop_breakdown."""
    categories = list(dict.fromkeys([*cnn_breakdown, *vit_breakdown]))
    fig = Figure(figsize=(8, 0.55 * len(categories) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    height = 0.38
    largest = max([*cnn_breakdown.values(), *vit_breakdown.values(), 1])
    for offset, (breakdown, (_, name, color)) in zip((-height / 2, height / 2),
                                                      zip((cnn_breakdown, vit_breakdown), MODELS)):
        values = [breakdown.get(category, 0) for category in categories]
        rows = [i + offset for i in range(len(categories))]
        ax.barh(rows, values, height=height, color=color,
                label=f"{name} (total {_human(sum(breakdown.values()))})")
        for row, value in zip(rows, values):
            ax.text(value + largest * 0.01, row, _human(value), va="center", fontsize=8)
    ax.set_yticks(range(len(categories)), categories)
    ax.invert_yaxis()
    ax.set_xlim(0, largest * 1.15)
    ax.xaxis.set_major_formatter(lambda value, _: _human(value))
    ax.set_xlabel(quantity)
    ax.legend(loc="lower right", fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    ax.set_title(f"Where the {quantity} are")
    return fig
