"""ui.strings: every key in both languages and used by the app; the messages a visitor can cause, in Persian."""
import json
import re
import string
import struct
import zlib
from pathlib import Path

import gradio as gr
import pytest
from gradio.context import LocalContext

from images.decode import load_image
from lab.claims import SETTING_KINDS
from lab.verdicts import VERDICTS
from models import hub, load_pair
from models.pairs import HUB_PAIRS
from images.part_scramble import Mark, check_marks
from lab.picasso_photo import parse_marks
from ui import explanations, panels, picasso_photo
from ui.examples import EXAMPLES_DIR
from ui.pair_choice import choose_pair
from ui.requests import TOP_CLASS, class_index, get_pair, user_errors
from ui.strings import DESCRIPTIONS_FA, MESSAGES, PREFIX, STRINGS, language, text, translated

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


def _message(call) -> str:
    try:
        call()
    except (ValueError, gr.Error) as error:
        return error.message if isinstance(error, gr.Error) else str(error)
    raise AssertionError("no error")


def _progress_texts(photo: Path) -> list[str]:
    """What the panels show in their progress bars, recorded from real calls on the toy pair."""
    seen = []

    def progress(fraction, desc=None):
        seen.append(desc)

    face = str(EXAMPLES_DIR / "toy_face.png")
    choose_pair("toy", "toy", progress)
    panels.how_far(face, "toy", progress)
    panels.sweep(face, "toy", "rotate", progress)
    panels.picasso("toy", 0, progress)
    panels.complexity(96, 7, True, progress)
    explanations.faithfulness_scores(face, "toy", TOP_CLASS, progress)
    picasso_photo.picasso_photo(str(photo), "toy", [{"part": "left eye", "x": 10, "y": 10, "size": 8},
                                                    {"part": "nose", "x": 25, "y": 25, "size": 8}], 0, progress)
    return sorted({desc for desc in seen if desc})


def test_every_progress_text_is_in_persian(tmp_path):
    photo = tmp_path / "photo.png"
    __import__("PIL.Image", fromlist=["Image"]).new("RGB", (40, 40), "white").save(photo)
    texts = _progress_texts(photo)
    assert len(texts) >= 8, texts
    for desc in texts:
        assert PERSIAN.search(translated(desc, "fa")), desc


def _hub_messages(tmp_path, monkeypatch) -> list[str]:
    """Choosing a Hub pair whose weights are not cached: offline, and with a Hub that cannot be reached."""
    def refused() -> str:
        with pytest.raises(hub.WeightsUnavailable) as error:
            hub.fetch("timm/resnet50.a1_in1k", "resnet50-vs-deit-small")
        return str(error.value)

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty_hub_cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    offline = refused()
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    return [offline, refused()]


def _real_messages(tmp_path, tiny_pair, monkeypatch) -> list[str]:
    """One message of each kind MESSAGES knows, made by the code that makes it."""
    png = tmp_path / "face.png"
    gr_image = __import__("PIL.Image", fromlist=["Image"]).new("RGB", (40, 40), "white")
    gr_image.save(png)
    big = tmp_path / "big.png"
    with big.open("wb") as f:
        f.truncate(21 * 2**20)

    @user_errors
    def broken():
        raise RuntimeError("a bug")

    card = load_pair("toy").cnn_card
    task_card = load_pair("toy-arrangement").vit_card  # the arrangement pair's card phrases
    return [
        _message(lambda: load_image(b"lecture notes, not a picture\n")),
        _message(lambda: load_image(b"\x00\x01binary, not an image" * 10)),
        _message(lambda: load_image(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")),
        _message(lambda: load_image(png.read_bytes()[:60])),
        _message(lambda: load_image(b"")),
        _message(lambda: load_image(str(big))),
        _message(lambda: load_image(_png_claiming(100_000, 100_000))),
        _message(lambda: load_image(None)),
        _message(lambda: load_image(str(tmp_path / "gone.png"))),
        _message(lambda: get_pair("no-such-pair")),
        _message(lambda: class_index(tiny_pair, "zebra")),
        _message(lambda: panels.complexity(3, 7, measure=False)),
        _message(lambda: panels.window_reach(1)),
        _message(lambda: panels.mha_parameter_counts(0, 20, 100, 100, 50)),
        _message(broken),
        _message(lambda: picasso_photo.picasso_photo(str(png), "toy", [])),
        _message(lambda: picasso_photo.add_mark(None, [], "nose", 0, gr.SelectData(None, {"index": [3, 4], "value": None}))),
        _message(lambda: picasso_photo.add_mark(str(png), [], "nose", 0, gr.SelectData(None, {"index": None, "value": None}))),
        _message(lambda: picasso_photo.add_mark(str(png), [], "tail", 0, gr.SelectData(None, {"index": [3, 4], "value": None}))),
        _message(lambda: check_marks([Mark("nose", 5, 5, 8)], 40, 40)),
        _message(lambda: check_marks([Mark("nose", 5, 5, 8), Mark("nose", 9, 9, 8)], 40, 40)),
        _message(lambda: check_marks([Mark("nose", 5, 5, 8), Mark("mouth", 50, 9, 8)], 40, 40)),
        _message(lambda: check_marks([Mark("nose", 5, 5, 3), Mark("mouth", 9, 9, 8)], 40, 40)),
        _message(lambda: parse_marks("nose")),
        _message(lambda: parse_marks([{"part": "nose"}])),
        _message(lambda: parse_marks([{"part": "tail", "x": 1, "y": 1, "size": 8}])),
        _message(lambda: parse_marks([{"part": "nose", "x": "left", "y": 1, "size": 8}])),
        *_progress_texts(png),
        *_hub_messages(tmp_path, monkeypatch),
        card.training_data,
        card.top1,
        task_card.training_data,
        task_card.top1,
        HUB_PAIRS["resnet50-vs-vit-base"].vit_card.training_data,
    ]


def test_every_message_pattern_matches_a_real_message(tmp_path, tiny_pair, monkeypatch):
    messages = _real_messages(tmp_path, tiny_pair, monkeypatch)
    for pattern, _ in MESSAGES:
        assert any(re.fullmatch(pattern, message) for message in messages), pattern


def test_the_real_messages_in_persian_and_unchanged_in_english(tmp_path, tiny_pair, monkeypatch):
    for message in _real_messages(tmp_path, tiny_pair, monkeypatch):
        persian = translated(message, "fa")
        assert PERSIAN.search(persian) and persian != message, message
        assert not re.search(r"\{\w*\}", persian), persian  # every field filled in
        assert translated(message, "en") == message
    assert translated("A message no pattern knows.", "fa") == "A message no pattern knows."


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
