"""The Picasso photo panel and /picasso_photo: mark a photo's parts by clicking it, then score its six scrambles.

Plain functions first (the tests call them), then `panel` and `json_endpoint`, which ui.demo calls to lay them out
and wire them. Every string a visitor reads is a key of ui.strings (English and Persian).
"""
import gradio as gr
import spaces

from figures.picasso_photo import marked_photo, picasso_photo_figure
from images.decode import load_image
from lab.picasso_photo import (PARTS, PhotoScores, auto_size, parse_marks, photo_variants, run_picasso_photo,
                               shipped_marks)
from runtime.messages import UserError
from runtime.precision import precision
from ui.gpu import QUICK
from ui.requests import get_pair, user_errors
from ui.strings import t, translated

TITLE = t("photo_title")
MARKED_LABEL = t("photo_marked")
PART_LABEL = t("photo_part")
SIZE_LABEL = t("photo_size")
CLEAR_LABEL = t("photo_clear")
SEED_LABEL = t("photo_seed")
RUN_LABEL = t("photo_run")
PLOT_LABEL = t("photo_plot")
MARKS_LABEL = t("photo_marks")
NUMBERS_LABEL = t("numbers")
API_KEYS = ("part", "x", "y", "size")


def _api_marks(marks: list[dict]) -> list[dict]:
    """The marks as the API takes them (without the panel's note of which were sized automatically)."""
    return [{key: mark[key] for key in API_KEYS} for mark in marks]


def _next_part(marks: list[dict]) -> str:
    marked = {mark["part"] for mark in marks}
    return next((part for part in PARTS if part not in marked), PARTS[0])


def _shown(picture, marks: list[dict]):
    return marked_photo(picture, parse_marks(_api_marks(marks))) if picture is not None else None


@user_errors
def load_photo(image) -> tuple:
    """A newly chosen photo: shown with its shipped marks (bundled examples) or none, and the first part to mark."""
    if image is None:
        return None, [], PARTS[0], []
    picture = load_image(image)
    marks = shipped_marks(picture) or []
    return _shown(picture, marks), marks, _next_part(marks), _api_marks(marks)


@user_errors
def add_mark(image, marks: list[dict], part: str, size: float, evt: gr.SelectData) -> tuple:
    """Mark `part` where the photo was clicked (replacing its earlier mark); automatic sizes follow the eyes."""
    if image is None:
        raise UserError("photo_first")
    if part not in PARTS:
        raise UserError("unknown_part", part=part, parts=", ".join(PARTS))
    if not isinstance(evt.index, (list, tuple)) or len(evt.index) != 2:
        raise UserError("click_inside")
    picture = load_image(image)
    x, y = evt.index
    automatic = not size
    marks = [mark for mark in marks if mark["part"] != part]
    marks.append({"part": part, "x": int(x), "y": int(y), "size": int(size or 0), "auto": automatic})
    side = auto_size(marks, *picture.size)
    marks = [mark | {"size": side} if mark.get("auto") else mark for mark in marks]
    return _shown(picture, marks), marks, _next_part(marks), _api_marks(marks)


@user_errors
def clear_marks(image) -> tuple:
    """No marks: the photo alone, the first part to mark next."""
    picture = load_image(image) if image is not None else None
    return _shown(picture, []), [], PARTS[0], []


def _run(image, pair_name: str, marks, seed, progress) -> tuple[PhotoScores, list]:
    pair = get_pair(pair_name)
    picture = load_image(image)
    if not marks:
        marks = shipped_marks(picture)
        if marks is None:
            raise UserError("photo_unmarked")
    parsed = parse_marks(marks)
    variants = photo_variants(picture, parsed, int(seed))
    result = run_picasso_photo(pair, picture, parsed, int(seed), variants=variants,
                               progress=lambda f, desc: progress(f, desc=translated(desc)))
    return result, [image for _, image in variants]


@spaces.GPU(duration=QUICK)
@user_errors
def picasso_photo(image, pair: str, marks: list | None = None, seed: int = 0, progress=gr.Progress()) -> dict:
    """Score "Picasso" photos: a real photo and the same photo with its marked parts moved, rotated or swapped.

    The photo's parts (eyes, nose, mouth, ...) are square patches marked by their centres; each is pasted with a
    soft edge and the hole it leaves is filled from its surroundings. Variants: clean, homework (eyes and brows
    moved, nose and mouth rotated), moved, rotated, swapped, picasso (moved and rotated).

    Args:
        image: the photo, as an http(s) URL of a PNG, JPEG, GIF, BMP, TIFF, WebP or ICO file (at most 20 MB).
        pair: the models: "toy" (10 toy-world classes) or an ImageNet-1k pair (1000 classes).
        marks: at least two parts as [{"part", "x", "y", "size"}]: part one of "left eye", "right eye", "nose",
            "mouth", "left brow", "right brow", "left ear", "right ear"; x, y the centre and size the square's side,
            in the photo's pixels (a photo over 1024 px on its long side is first shrunk to 1024). Empty: the
            shipped marks of a bundled example photo.
        seed: which scramble (any integer; the same seed always gives the same pictures).

    Returns:
        "variants": [{"name", "cnn": {"p_target", "top1", "p_group"}, "vit": {...}}] for "clean" and each scramble
        "p_target": the model's probability (0 to 1) of its class; "top1": the label the model predicts
        "classes": {"cnn", "vit"}: the class each model is scored on; "measure": how it was chosen
        "p_clean_top1": each model's top-1 on the clean photo; "p_face": the class is face (toy pair)
        "p_group": the probabilities summed over that class's WordNet group, named in "groups" (ImageNet pairs;
            null when the class is in no group); "group_measure": "p_clean_group"
        "precision": the arithmetic the models ran at (fp32, bf16 or fp16)
    """
    return _run(image, pair, marks, seed, progress)[0].to_json() | {"precision": precision()}


@spaces.GPU(duration=QUICK)
@user_errors
def picasso_photo_panel(image, pair: str, marks: list, seed: int = 0, progress=gr.Progress()):
    """The six variants with both models' scores plotted, and the numbers."""
    result, images = _run(image, pair, marks, seed, progress)
    return picasso_photo_figure(result, images), result.to_json() | {"precision": precision()}


def panel(image: gr.Image, pair_name: gr.Dropdown) -> None:
    """The panel, under the Picasso faces: the marked photo, the part and size of the next mark, the scores."""
    start = image.value["path"] if isinstance(image.value, dict) else image.value
    picture, start_marks, start_part, start_shown = load_photo(start)
    gr.Markdown(TITLE)
    with gr.Row():
        marked = gr.Image(picture, label=MARKED_LABEL, interactive=False, type="pil", height=360,
                          elem_id="picasso-photo")
        with gr.Column():
            part = gr.Radio([(t(f"part_{name}"), name) for name in PARTS], value=start_part, label=PART_LABEL)
            size = gr.Slider(0, 256, value=0, step=1, label=SIZE_LABEL)
            seed = gr.Number(0, precision=0, label=SEED_LABEL)
            with gr.Row():
                clear = gr.Button(CLEAR_LABEL)
                run = gr.Button(RUN_LABEL, variant="primary")
            shown_marks = gr.JSON(start_shown, label=MARKS_LABEL, elem_id="picasso-photo-marks")
    marks = gr.State(start_marks)
    plot = gr.Plot(label=PLOT_LABEL, elem_id="picasso-photo-plot")
    numbers = gr.JSON(label=NUMBERS_LABEL, open=False, elem_id="picasso-photo-numbers")
    shown = [marked, marks, part, shown_marks]
    image.change(load_photo, image, shown, api_name="picasso_photo_load", api_visibility="undocumented",
                 show_progress="hidden")
    marked.select(add_mark, [image, marks, part, size], shown, api_name="picasso_photo_mark",
                  api_visibility="undocumented", show_progress="hidden")
    clear.click(clear_marks, image, shown, api_name="picasso_photo_clear", api_visibility="undocumented")
    run.click(picasso_photo_panel, [image, pair_name, marks, seed], [plot, numbers], api_name="picasso_photo_panel",
              api_visibility="undocumented")


def json_endpoint(image: gr.Image, pair_name: gr.Dropdown, button: gr.Button, output: gr.JSON) -> None:
    """/picasso_photo(image, pair, marks, seed): the numbers alone, on ui.demo's hidden image and its own hidden
    marks and seed."""
    with gr.Row(visible=False):
        marks = gr.JSON([])
        seed = gr.Number(0, precision=0)
    button.click(picasso_photo, [image, pair_name, marks, seed], output, api_name="picasso_photo")
