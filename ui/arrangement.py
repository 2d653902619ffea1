"""The lab's arrangement experiment: the figures the findings report drew from `python -m lab.arrangement`'s
results file, one per question, with a caption in each language; a pointer to the commands until they exist."""
from pathlib import Path

import gradio as gr

from figures.arrangement import FIGURES
from ui.layout import ROOT
from ui.strings import t

FIGURES_DIR = ROOT / "findings"
"""Where `python -m findings.report --arrangement …` saves the experiment's figures (one PNG per FIGURES stem)."""


def saved_figures(folder: Path = FIGURES_DIR) -> list[tuple[str, str]]:
    """(path, caption key) for each of the experiment's figures saved in `folder`, in the report's order."""
    return [(str(folder / f"{stem}.png"), f"{stem}_caption") for stem in FIGURES if (folder / f"{stem}.png").exists()]


def panel() -> None:
    """The experiment's figures in a closed accordion (they are static: the experiment trains for two hours)."""
    with gr.Accordion(t("arrangement_title"), open=False):
        gr.Markdown(t("arrangement_intro"))
        figures = saved_figures()
        if figures:  # one image per figure, so that each caption is translated in the page
            for path, caption in figures:
                gr.Image(path, label=t(caption), interactive=False)
        else:
            gr.Markdown(t("arrangement_missing"))
