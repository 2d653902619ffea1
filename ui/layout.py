"""Text, theme and styles of the app's page."""
import re
from pathlib import Path

import gradio as gr
from gradio.i18n import I18nData

from models.pairs import Pair
from figures.theme import CNN_COLOR, CNN_NAME, VIT_COLOR, VIT_NAME
from lab.sweeps import SWEEPS
from ui.strings import LANGUAGES, described, text, translated, translation

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = ROOT / "FINDINGS.md"

THEME = gr.themes.Soft(primary_hue="slate")
CSS = f"""
.cnn {{ border-top: 4px solid {CNN_COLOR} !important; }}
.vit {{ border-top: 4px solid {VIT_COLOR} !important; }}
.model-pixels .image-frame {{ width: 100%; }}
.model-pixels img {{ width: 100% !important; height: auto !important; object-fit: contain; image-rendering: pixelated; }}
html[lang="fa"] .prose {{ direction: rtl; text-align: right; }}  /* Gradio sets lang to the locale it shows */
html[lang="fa"] .findings .prose {{ direction: ltr; text-align: left; }}  /* FINDINGS.md is written in English */
"""


def pair_markdown(pair: Pair, lang: str | None = None) -> str:
    """The pair's description and one line per model, in `lang` (default: the request's language)."""
    lines = [described(f"pair_{pair.name}", pair.description, lang), ""]
    for role, card in ((CNN_NAME, pair.cnn_card), (VIT_NAME, pair.vit_card)):
        lines.append(text("pair_line", lang, role=role, name=card.name, data=translated(card.training_data, lang),
                          parameters=card.parameters / 1e6, top1=translated(card.top1, lang),
                          license=card.license))
    return "\n".join(lines)


def sweeps_markdown() -> I18nData:
    """One line per sweep: its name and what it does, in English and Persian."""
    return translation("sweeps", *("\n".join(f"- **{text(f'sweep_{name}', lang)}**: "
                                              f"{described(f'sweep_{name}', spec.description, lang)}"
                                              for name, spec in SWEEPS.items()) for lang in LANGUAGES))


def findings() -> tuple[str, list[tuple[str, str]]]:
    """FINDINGS.md as Markdown without its image lines, and its figures as (path, caption) for a gallery."""
    if not FINDINGS.exists():
        return "FINDINGS.md has not been written yet: run `python -m findings.report`.", []
    text = FINDINGS.read_text()
    figures = list(dict.fromkeys(re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)))
    gallery = [(str(ROOT / path), Path(path).stem.replace("_", " ")) for path in figures if (ROOT / path).exists()]
    return re.sub(r"^!\[.*$\n?", "", text, flags=re.MULTILINE), gallery
