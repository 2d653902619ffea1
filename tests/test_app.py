"""The real app, launched in-process and driven through gradio_client: every panel's endpoint and its errors."""
import base64
import io
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from models.hub import fetch_command
from tests.app_server import running_app
from ui.examples import EXAMPLES_DIR

pytestmark = pytest.mark.slow
FACE = str(EXAMPLES_DIR / "toy_face.png")
HUB = "resnet50-vs-deit-small"


@pytest.fixture(scope="module")
def client(hub_cache):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HF_HUB_CACHE", str(hub_cache))
        env.setenv("HF_HUB_OFFLINE", "1")
        with running_app("toy") as demo:
            yield Client(demo.local_url, verbose=False)


def picture(value) -> Image.Image:
    """An image output as the client returns it: a file path, or a plot as {"type", "plot": data URL}."""
    if isinstance(value, dict) and "plot" in value:
        return Image.open(io.BytesIO(base64.b64decode(value["plot"].split(",", 1)[1])))
    if isinstance(value, dict) and "path" in value:
        value = value["path"]
    return Image.open(value)


def test_predict_on_the_toy_pair(client):
    result = client.predict(handle_file(FACE), "toy", 5, api_name="/predict")
    assert result["pair"] == "toy"
    for model in ("cnn", "vit"):
        scores = [entry["score"] for entry in result[model]]
        assert len(scores) == 5 and scores == sorted(scores, reverse=True) and sum(scores) <= 1.0 + 1e-6
        assert result[model][0]["label"] == "face"


def test_predict_on_a_hub_pair_from_the_cache(client):
    result = client.predict(handle_file(FACE), HUB, 3, api_name="/predict")
    assert result["pair"] == HUB and len(result["cnn"]) == 3 and len(result["vit"]) == 3
    assert all(0.0 <= entry["score"] <= 1.0 for entry in result["cnn"] + result["vit"])


@pytest.mark.parametrize("pair, size", [("toy", 64), (HUB, 224)])  # maps at the crop the models saw
def test_compare_panel(client, pair, size):
    cnn, vit, latency, gradcam, rollout, vit_cam = client.predict(
        handle_file(FACE), pair, "max", 0.5, "(each model's top class)", api_name="/compare")
    assert cnn["label"] and len(cnn["confidences"]) == 5 and len(vit["confidences"]) == 5
    assert "ms" in latency
    for image in (gradcam, rollout, vit_cam):
        assert picture(image).size == (size, size)


def test_compare_for_a_chosen_class(client):
    cnn, vit, latency, *_ = client.predict(handle_file(FACE), "toy", "mean", 0.9, "house", api_name="/compare")
    assert latency.count("*house*") == 2


def test_inside_panel(client):
    grid, attention, looking = client.predict(handle_file(FACE), "toy", "layer2", 6, api_name="/inside")
    assert min(picture(grid).size) >= 128
    assert picture(attention).size[0] >= 300 and picture(looking).size == (640, 400)
    single = client.predict(handle_file(FACE), "toy", 2, 1, api_name="/cls_attention")
    assert picture(single).size == (64, 64)


@pytest.mark.parametrize("kind, points", [("rotate", 24), ("translate", 11), ("shuffle", 4), ("drop", 10)])
def test_sweep_api(client, kind, points):
    result = client.predict(handle_file(FACE), "toy", kind, api_name="/sweep")
    assert result["kind"] == kind and len(result["x"]) == points
    for model in ("cnn", "vit"):
        assert len(result[model]["score"]) == points and len(result[model]["top1"]) == points
    if kind in ("rotate", "translate"):
        clean = client.predict(handle_file(FACE), "toy", 1, api_name="/predict")
        at_zero = result["x"].index(0)
        for model in ("cnn", "vit"):
            assert result[model]["score"][at_zero] == pytest.approx(clean[model][0]["score"], abs=1e-5)
            assert result[model]["top1"][at_zero] == clean[model][0]["label"]


def test_sweep_panel_plots_and_strip(client):
    plot, strip, numbers = client.predict(handle_file(FACE), "toy", "rotate", api_name="/sweep_panel")
    assert picture(plot).size == (800, 420)
    assert picture(strip).size[0] >= 12 * 100 and numbers["kind"] == "rotate"


def test_picasso_api(client):
    result = client.predict("toy", 7, api_name="/picasso")
    assert result["measure"] == "p_face"
    names = [variant["name"] for variant in result["variants"]]
    assert names[0] == "clean" and len(names) >= 4
    for variant in result["variants"]:
        for model in ("cnn", "vit"):
            assert 0.0 <= variant[model]["p_face"] <= 1.0 and variant[model]["top1"]
    plot, numbers = client.predict("toy", 7, api_name="/picasso_panel")
    assert picture(plot).size[0] >= 800 and numbers == result


def test_theory_panels(client):
    params, flops = client.predict("toy", api_name="/theory")
    assert picture(params).size[0] == 800 and picture(flops).size[0] == 800
    table = client.predict(3, 20, 100, 100, 50, 10, 30, False, api_name="/mha_parameters")
    assert "**33,000**" in table
    plot = client.predict(96, 7, api_name="/complexity")
    assert picture(plot).size == (1100, 420)


def test_no_image_is_a_clear_error(client):
    with pytest.raises(AppError, match="No image"):
        client.predict(None, "toy", 5, api_name="/predict")


def test_a_text_file_is_a_clear_error(client, tmp_path):
    notes = tmp_path / "notes.png"
    notes.write_text("these are my lecture notes, not a picture")
    with pytest.raises(AppError, match="not an image"):
        client.predict(handle_file(str(notes)), "toy", "mean", 0.9, "(each model's top class)", api_name="/compare")


def test_unknown_pair_and_bad_options_are_clear_errors(client):
    with pytest.raises(AppError, match="alexnet is not in the list of choices"):
        client.predict(handle_file(FACE), "alexnet", 5, api_name="/predict")
    with pytest.raises(AppError, match="'zoom' .* is not in the list of choices"):
        client.predict(handle_file(FACE), "toy", "zoom", api_name="/sweep")
    with pytest.raises(AppError, match="top_k must be between"):
        client.predict(handle_file(FACE), "toy", 0, api_name="/predict")


def test_hub_pair_missing_offline_is_a_fast_clear_error(client):
    with pytest.raises(AppError) as error:
        client.predict(handle_file(FACE), "resnet50-vs-vit-base", 5, api_name="/predict")
    assert "HF_HUB_OFFLINE is set" in str(error.value)  # refused before any network call: nothing to wait for
    assert fetch_command("resnet50-vs-vit-base") in str(error.value)
    assert client.predict(handle_file(FACE), "toy", 1, api_name="/predict")["pair"] == "toy"


def test_choosing_an_unavailable_pair_keeps_the_current_one(client):
    result = client.predict("resnet50-vs-vit-base", "toy", api_name="/choose_pair")
    assert result[0] == "toy"


def test_examples_exist():
    assert Path(FACE).exists()
