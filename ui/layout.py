"""Text, theme and styles of the app's page."""
import re
from pathlib import Path

import gradio as gr

from models.pairs import Pair
from figures.theme import CNN_COLOR, CNN_NAME, VIT_COLOR, VIT_NAME

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = ROOT / "FINDINGS.md"

INTRO = f"""
# CNN vs ViT: how a convolutional network and a vision transformer see the same image
One image goes through a <span style="color:{CNN_COLOR}">**CNN** (a ResNet)</span> and a
<span style="color:{VIT_COLOR}">**ViT** (the homework's hand-written Vision Transformer)</span>.
**Compare** their predictions and where they look, look **Inside** at feature maps and attention heads,
test the homework's invariance claims in the **Invariance lab**, and check the arithmetic in **Theory**.
What the measurements say about each claim — including where they contradict the homework — is in the
**Findings** tab (FINDINGS.md in the repository).
"""

THEME = gr.themes.Soft(primary_hue="slate")
CSS = f"""
.cnn {{ border-top: 4px solid {CNN_COLOR} !important; }}
.vit {{ border-top: 4px solid {VIT_COLOR} !important; }}
.model-pixels .image-frame {{ width: 100%; }}
.model-pixels img {{ width: 100% !important; height: auto !important; object-fit: contain; image-rendering: pixelated; }}
"""


def pair_markdown(pair: Pair) -> str:
    """The pair's description and one line per model."""
    lines = [pair.description, ""]
    for role, card in ((CNN_NAME, pair.cnn_card), (VIT_NAME, pair.vit_card)):
        lines.append(f"- **{role}**: {card.name}; trained on {card.training_data}; "
                     f"{card.parameters / 1e6:.2f}M parameters; top-1 {card.top1}; license {card.license}.")
    return "\n".join(lines)


def findings() -> tuple[str, list[tuple[str, str]]]:
    """FINDINGS.md as Markdown without its image lines, and its figures as (path, caption) for a gallery."""
    if not FINDINGS.exists():
        return "FINDINGS.md has not been written yet: run `python -m findings.report`.", []
    text = FINDINGS.read_text()
    figures = list(dict.fromkeys(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)))
    gallery = [(str(ROOT / path), Path(path).stem.replace("_", " ")) for path in figures if (ROOT / path).exists()]
    return re.sub(r"^!\[.*$\n?", "", text, flags=re.MULTILINE), gallery
