"""The Swin-T view and Swin's JSON endpoints through the real server, offline: the test Hub cache's Swin-T (random
weights stored as the Hub's), random init without it, and each bad setting's own message."""
import gradio as gr
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from matplotlib.figure import Figure

from lab.swin_view import swin_crop
from images.decode import load_image
from lab.window_reach import window_reach
from models.swin import HUB_CACHE, RANDOM_INIT, load_swin
from ui import swin_view
from ui.examples import EXAMPLES_DIR

pytestmark = pytest.mark.slow
FACE = str(EXAMPLES_DIR / "toy_face.png")


def test_window_attention_answers_offline_with_the_caches_weights(client):
    answer = client.predict(handle_file(FACE), 1, 2, 3, 55, 0, api_name="/swin_window_attention")
    assert answer["weights"] == {"source": HUB_CACHE, "repo": "timm/swin_tiny_patch4_window7_224.ms_in1k",
                                 "seed": None}
    assert answer["kind"] == "SW-MSA" and answer["wrapped"] and answer["shift"] == 3 and answer["query"] == [55, 0]
    assert len(answer["keys"]) == len(answer["probabilities"]) == 49
    assert sum(answer["probabilities"]) == pytest.approx(1.0) and sum(answer["masked"]) == 37


def test_reach_answers_offline_with_the_caches_weights(client):
    answer = client.predict(10, 20, [1, 2], api_name="/swin_reach")
    assert answer["weights"]["source"] == HUB_CACHE and answer["token"] == [10, 20] and answer["blocks"] == [1, 2]
    assert answer["counts"]["traced"] == [49, 196] and answer["counts"]["predicted"] == [49, 196]
    assert answer["vit_count"] == 14 * 14 and len(answer["traced"][0]) == 56


def test_without_the_cache_the_endpoints_fall_back_to_random_init_and_say_so(client, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))  # the server runs in this process
    answer = client.predict(handle_file(FACE), 2, 1, 1, 28, 28, api_name="/swin_window_attention")
    assert answer["weights"]["source"] == RANDOM_INIT and answer["weights"]["seed"] == 0
    assert answer["kind"] == "W-MSA" and not answer["wrapped"] and answer["query"] == [14, 14]
    assert client.predict(28, 28, [1], api_name="/swin_reach")["weights"]["source"] == RANDOM_INIT


def test_the_cost_curve_is_read_from_the_results_file(client):
    answer = client.predict("all", api_name="/swin_cost")
    assert answer["answered_from"] == "findings/swin_cost.json" and "provenance" in answer
    assert [m["name"] for m in answer["models"]] == ["DeiT-S", "Swin-T", "ResNet-50"]
    assert [m["name"] for m in client.predict("Swin-T", api_name="/swin_cost")["models"]] == ["Swin-T"]


@pytest.mark.parametrize("arguments, message", [
    ((1, 2, 4, 28, 28), "Stage 1 of Swin-T has 3 heads: head must be 1 to 3, got 4"),
    ((3, 7, 1, 28, 28), "Stage 3 of Swin-T has 6 blocks"),
    ((1, 1, 1, 56, 3), r"The token \(56, 3\) is outside Swin-T's 56 × 56 grid"),
    ((5, 1, 1, 0, 0), "stage must be 1, 2, 3 or 4")])
def test_bad_settings_get_their_own_message_and_the_server_keeps_serving(client, arguments, message):
    with pytest.raises(AppError, match=message):
        client.predict(handle_file(FACE), *arguments, api_name="/swin_window_attention")
    assert client.predict(handle_file(FACE), 1, 1, 1, 0, 0, api_name="/swin_window_attention")["kind"] == "W-MSA"


def test_bad_requests_to_the_other_endpoints_get_their_own_message(client):
    with pytest.raises(AppError, match="No image"):
        client.predict(None, 1, 1, 1, 0, 0, api_name="/swin_window_attention")
    with pytest.raises(AppError, match="outside Swin-T's 56 × 56 grid"):
        client.predict(-1, 0, [1], api_name="/swin_reach")
    with pytest.raises(AppError, match="ViT-H is not in the list of choices"):  # Gradio's own check of a dropdown
        client.predict("ViT-H", api_name="/swin_cost")
    with pytest.raises(gr.Error, match="Unknown model 'ViT-H'"):
        swin_view.swin_cost("ViT-H")


def test_the_panels_answer_through_the_server(client):
    crop, windows, attention, about = client.predict(handle_file(FACE), 3, 6, 12, 0, 55, api_name="/swin_view")
    assert windows and attention and "pretrained from the Hub cache" in about and "shifted window" in about
    figure, counts = client.predict(28, 28, api_name="/swin_reach_panel")
    assert figure and "depends on 49, 196, 1,764 input patches after 1, 2, 4 blocks" in counts


def test_the_view_shows_the_crop_windows_attention_and_which_weights():
    crop, windows, attention, about = swin_view.swin_view(FACE, 1, 2, 1, 55, 0)
    assert crop.size == (224, 224) and isinstance(windows, Figure) and isinstance(attention, Figure)
    assert "**Weights:**" in about and "wraps around the image's edge" in about


def test_a_click_names_the_stage_1_patch_under_it():
    assert swin_view.select_token(gr.SelectData(None, {"index": [10, 223], "value": None})) == (55, 2)


def test_the_views_words_in_persian():
    weights = load_swin()
    result = swin_view.window_attention(weights, swin_crop(load_image(FACE)), 1, 1, 1, (0, 0))
    persian = swin_view.attention_markdown(result, weights, "fa")
    assert "وزن‌ها" in persian and "پنجرهٔ معمولی" in persian and "۱" in persian
    reach = window_reach(112, (5, 5), blocks=(1, 2))
    assert "۴۹، ۱۹۶" in swin_view.reach_markdown(reach, weights, "fa")


def test_a_missing_cost_file_names_the_command(monkeypatch, tmp_path):
    import lab.swin_view

    monkeypatch.setattr(lab.swin_view, "COST_FILE", tmp_path / "swin_cost.json")  # a file that is not there
    with pytest.raises(gr.Error, match="python -m findings.swin"):
        swin_view.swin_cost("all")
