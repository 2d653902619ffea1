"""ui.strings: every key in both languages and used by the app; the messages a visitor can cause (raised with a key
at any layer), the progress texts and the model cards' phrases in Persian for a Persian request."""
import json
import re
import string
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

import gradio as gr
import pytest
from gradio.context import LocalContext
from PIL import Image

from images.decode import load_image
from lab.claims import SETTING_KINDS
from lab.verdicts import VERDICTS
from models import hub, load_pair
from models.bundled import WeightsError
from models.pairs import HUB_PAIRS
from images.part_scramble import Mark, check_marks
from lab.picasso_photo import parse_marks
from ui import explanations, panels, picasso_photo
from ui.examples import EXAMPLES_DIR
from ui.pair_choice import choose_pair
from ui.requests import TOP_CLASS, class_index, get_pair, user_errors
from runtime.messages import MESSAGES, MessageError
from ui.strings import DESCRIPTIONS_FA, PREFIX, STRINGS, language, number, text, translated

PERSIAN = re.compile("[\u0600-\u06ff]")
UI = Path(__file__).resolve().parent.parent / "ui"


@pytest.fixture(scope="module")
def page_keys() -> set[str]:
    """The gr.I18n keys in the page's config, as the browser receives it."""
    from ui.demo import build_demo

    config = json.dumps(build_demo("toy").get_config_file(), default=str)
    return set(re.findall(r'translation_metadata\\?", \\?"key\\?": \\?"' + re.escape(PREFIX) + r'([^"\\]+)', config))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_english_and_persian_with_the_same_fields(page_keys):
    for key, (english, persian) in STRINGS.items():
        assert english.strip() and PERSIAN.search(persian), key
        assert not PERSIAN.search(english), key
        assert _fields(english) == _fields(persian), key
        assert "{" not in english or _fields(english), key  # gr.I18n's translations are ICU messages: no braces


def test_every_key_is_used(page_keys):
    """In the page (gr.I18n's keys in its config), or named in ui/'s code: text(key) for the server's words, t(key)
    for the page's (the share button's "Link copied" travels inside its script)."""
    code = "\n".join(path.read_text() for path in UI.glob("*.py") if path.name != "strings.py")
    said = set(re.findall(r"""\b(?:text|t)\(["']([\w ]+)["']""", code)) | {f"verdict_{v}" for v in VERDICTS} | {
        f"setting_{kind}" for kind in SETTING_KINDS}
    unused = set(STRINGS) - page_keys - said
    assert not unused
    assert page_keys <= set(STRINGS)  # and every key the page asks for has its translations


def test_the_persian_descriptions_cover_every_pair_and_sweep():
    from lab.sweeps import SWEEPS
    from models import PAIRS

    assert {f"pair_{name}" for name in PAIRS} | {f"sweep_{name}" for name in SWEEPS} <= set(DESCRIPTIONS_FA)


def _png_claiming(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


@contextmanager
def _request_in(lang: str):
    """Answer as the app does for a browser set to `lang` ("fa": Persian; "en": no Accept-Language at all)."""
    token = LocalContext.request.set(gr.Request(headers={"accept-language": "fa-IR,fa;q=0.9" if lang == "fa" else ""}))
    try:
        yield
    finally:
        LocalContext.request.reset(token)


def _said(call, lang: str) -> str:
    """What the visitor reads when `call` fails inside a request in `lang`: the panel's gr.Error, or the error from
    a lower layer as the UI writes it (translated); every error a visitor can cause carries a message key."""
    with _request_in(lang):
        try:
            call()
        except gr.Error as error:
            return error.message
        except MessageError as error:
            return translated(error)
    raise AssertionError("no error")


def _progress_texts(photo: Path, lang: str) -> list[str]:
    """What the panels show in their progress bars in a request in `lang`, recorded from real calls on the toy
    pair."""
    seen = []

    def progress(fraction, desc=None):
        seen.append(desc)

    face = str(EXAMPLES_DIR / "toy_face.png")
    with _request_in(lang):
        choose_pair("toy", "toy", progress)
        panels.how_far(face, "toy", progress)
        panels.sweep(face, "toy", "rotate", progress)
        panels.picasso("toy", 0, progress)
        panels.complexity(96, 7, True, progress)
        explanations.faithfulness_scores(face, "toy", TOP_CLASS, progress)
        picasso_photo.picasso_photo(str(photo), "toy", [{"part": "left eye", "x": 10, "y": 10, "size": 8},
                                                        {"part": "nose", "x": 25, "y": 25, "size": 8}], 0, progress)
    return sorted({desc for desc in seen if desc})


def test_every_progress_text_is_in_persian_with_persian_digits_and_the_sweeps_name(tmp_path):
    photo = tmp_path / "photo.png"
    Image.new("RGB", (40, 40), "white").save(photo)
    english, persian = _progress_texts(photo, "en"), _progress_texts(photo, "fa")
    assert len(persian) >= 8 and len(persian) == len(english), persian
    assert "rotate sweep: done" in english and "پیمایش چرخش: پایان" in persian
    for desc in persian:
        assert PERSIAN.search(desc) and not re.search("[0-9]", desc), desc
    assert not any(PERSIAN.search(desc) for desc in english)


def _hub_errors(tmp_path, monkeypatch) -> list:
    """Choosing a Hub pair whose weights are not cached: offline, and with a Hub that cannot be reached."""
    def refused():
        with pytest.raises(hub.WeightsUnavailable) as error:
            hub.fetch("timm/resnet50.a1_in1k", "resnet50-vs-deit-small")
        raise error.value

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty_hub_cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    offline = {lang: _said(refused, lang) for lang in ("en", "fa")}
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    return [offline, {lang: _said(refused, lang) for lang in ("en", "fa")}]


def _visitor_errors(tmp_path, tiny_pair) -> list:
    """One error of each kind a visitor can cause, made by the code that makes it (images/, lab/, ui/)."""
    png = tmp_path / "face.png"
    Image.new("RGB", (40, 40), "white").save(png)
    big = tmp_path / "big.png"
    with big.open("wb") as f:
        f.truncate(21 * 2**20)

    @user_errors
    def broken():
        raise RuntimeError("a bug")

    click = {"index": [3, 4], "value": None}
    return [
        lambda: load_image(b"lecture notes, not a picture\n"),
        lambda: load_image(b"%PDF-1.4 not a picture"),
        lambda: load_image(b"\x00\x01binary, not an image" * 10),
        lambda: load_image(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        lambda: load_image(png.read_bytes()[:60]),
        lambda: load_image(b""),
        lambda: load_image(str(big)),
        lambda: load_image(_png_claiming(100_000, 100_000)),
        lambda: load_image(None),
        lambda: load_image(str(tmp_path / "gone.png")),
        lambda: get_pair("no-such-pair"),
        lambda: class_index(tiny_pair, "zebra"),
        lambda: panels.complexity(3, 7, measure=False),
        lambda: panels.window_reach(1),
        lambda: panels.mha_parameter_counts(0, 20, 100, 100, 50),
        lambda: panels.predict(str(png), "toy", 0),
        broken,
        lambda: picasso_photo.picasso_photo(str(png), "toy", []),
        lambda: picasso_photo.picasso_photo(str(png), "toy", [{"part": "tail", "x": 1, "y": 1, "size": 8}]),
        lambda: picasso_photo.add_mark(None, [], "nose", 0, gr.SelectData(None, click)),
        lambda: picasso_photo.add_mark(str(png), [], "nose", 0, gr.SelectData(None, {"index": None, "value": None})),
        lambda: picasso_photo.add_mark(str(png), [], "tail", 0, gr.SelectData(None, click)),
        lambda: check_marks([Mark("nose", 5, 5, 8)], 40, 40),
        lambda: check_marks([Mark("nose", 5, 5, 8), Mark("nose", 9, 9, 8)], 40, 40),
        lambda: check_marks([Mark("nose", 5, 5, 8), Mark("mouth", 50, 9, 8)], 40, 40),
        lambda: check_marks([Mark("nose", 5, 5, 3), Mark("mouth", 9, 9, 8)], 40, 40),
        lambda: parse_marks("nose"),
        lambda: parse_marks([{"part": "nose"}]),
        lambda: parse_marks([{"part": "nose", "x": "left", "y": 1, "size": 8}]),
    ]


def _in_persian(english: str, persian: str) -> None:
    assert PERSIAN.search(persian) and persian != english, english
    assert not PERSIAN.search(english), english
    assert not re.search(r"\{\w*\}", persian), persian  # every field filled in


def test_every_error_a_visitor_can_cause_reads_in_persian_for_a_persian_request(tmp_path, tiny_pair, monkeypatch):
    for call in _visitor_errors(tmp_path, tiny_pair):
        _in_persian(_said(call, "en"), _said(call, "fa"))
    for said in _hub_errors(tmp_path, monkeypatch):
        _in_persian(said["en"], said["fa"])


def test_an_error_raised_in_a_lower_layer_is_shown_in_persian_through_a_panel(tmp_path):
    """images.decode and lab.picasso_photo raise a key and its fields; the panel's gr.Error holds its Persian."""
    png = tmp_path / "face.png"
    Image.new("RGB", (40, 40), "white").save(png)
    with _request_in("fa"), pytest.raises(gr.Error) as refused:
        explanations.compare(b"lecture notes, not a picture\n", "toy")
    assert refused.value.message == MESSAGES["not_an_image"][1].format(
        kind="متن", formats="PNG، JPEG، GIF، BMP، TIFF، WebP یا ICO")
    marks = [{"part": "nose", "x": 5, "y": 5, "size": 8}, {"part": "mouth", "x": 50, "y": 9, "size": 8}]
    with _request_in("fa"), pytest.raises(gr.Error) as refused:
        picasso_photo.picasso_photo(str(png), "toy", marks)
    assert refused.value.message == "علامت 'mouth' در (۵۰، ۹) بیرون از عکس ۴۰ × ۴۰ است."
    with _request_in("en"), pytest.raises(gr.Error) as refused:
        picasso_photo.picasso_photo(str(png), "toy", marks)
    assert refused.value.message == "The mark for 'mouth' at (50, 9) is outside the 40 × 40 photo."


def test_the_model_cards_phrases_in_persian():
    toy, task = load_pair("toy").cnn_card, load_pair("toy-arrangement").vit_card
    hub_card = HUB_PAIRS["resnet50-vs-vit-base"].vit_card
    for phrase in (toy.training_data, toy.top1, task.training_data, task.top1, hub_card.training_data):
        _in_persian(translated(phrase, "en"), translated(phrase, "fa"))
    assert "مسئلهٔ چیدمان" in translated(task.training_data, "fa")
    assert not re.search("[0-9]", translated(toy.top1, "fa"))
    assert translated(HUB_PAIRS["resnet50-vs-vit-base"].cnn_card.top1, "fa") == "80.4% (ResNet strikes back, A1, 224 px)"


def test_the_servers_markdown_writes_numbers_in_persian_digits():
    from ui.layout import pair_markdown

    counts = panels.mha_parameter_counts(3, 20, 100, 100, 50, 10, 30)
    assert counts["total"] == 33_000 and number(33_000, ",", "fa") == "۳۳٬۰۰۰"
    assert "**۳۳٬۰۰۰**" in panels.mha_table(counts, 3, "fa") and "**33,000**" in panels.mha_table(counts, 3, "en")
    card = load_pair("toy").cnn_card
    persian = pair_markdown(load_pair("toy"), "fa")
    assert f"{number(card.parameters / 1e6, '.2f', 'fa')} میلیون پارامتر" in persian
    assert f"{card.parameters / 1e6:.2f}M parameters" in pair_markdown(load_pair("toy"), "en")


def test_a_message_without_a_key_stays_english():
    assert translated("A message without a key.", "fa") == "A message without a key."
    assert translated(WeightsError("weights/toy_cnn.safetensors is missing."), "fa") == \
        "weights/toy_cnn.safetensors is missing."


@pytest.mark.parametrize("accepted, expected", [("fa-IR,fa;q=0.9,en;q=0.8", "fa"), ("fa", "fa"), ("FA-ir", "fa"),
                                                ("en-US,en;q=0.9,fa;q=0.8", "en"), ("de", "en"), ("", "en")])
def test_the_language_is_the_requests_first(accepted, expected):
    token = LocalContext.request.set(gr.Request(headers={"accept-language": accepted}))
    try:
        assert language() == expected
        assert (PERSIAN.search(text("mha_total")) is not None) == (expected == "fa")
    finally:
        LocalContext.request.reset(token)


def test_without_a_request_the_server_writes_english():
    assert language() == "en" and text("hit") == "hit"
