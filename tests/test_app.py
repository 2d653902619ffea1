"""The real app, launched in-process and driven through gradio_client: every panel's endpoint and its errors."""
import base64
import io

import numpy as np
import pytest
from gradio.processing_utils import encode_pil_to_bytes
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from explain.overlay import overlay
from explain.passes import cnn_pass, vit_pass
from images.decode import load_image
from lab.picasso import run_picasso
from models import load_pair
from models.inference import probabilities, top_k
from toyworld import render
from ui.examples import EXAMPLES_DIR, TOY_EXAMPLES
from ui.explanations import KNOWN, object_mask, outlined

pytestmark = pytest.mark.slow
FACE = str(EXAMPLES_DIR / "toy_face.png")
HUB = "resnet50-vs-deit-small"


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
        assert len(scores) == 5 and scores == sorted(scores, reverse=True)
        assert result[model][0]["label"] == "face"


def test_predict_on_a_hub_pair_from_the_cache(client):
    result = client.predict(handle_file(FACE), HUB, 3, api_name="/predict")
    pair = load_pair(HUB)  # the server runs in this process, on the same cache
    direct = probabilities(pair, pair.transform(load_image(FACE))[None])
    assert result["pair"] == HUB
    for model, probs in zip(("cnn", "vit"), direct):
        expected = top_k(probs[0], pair.labels, 3)
        assert [e["label"] for e in result[model]] == [e["label"] for e in expected]
        assert [e["score"] for e in result[model]] == pytest.approx([e["score"] for e in expected], abs=1e-5)


@pytest.mark.parametrize("pair, size", [("toy", 64), (HUB, 224)])  # maps at the crop the models saw
def test_compare_panel(client, pair, size):
    cnn, vit, latency, gradcam, rollout, vit_cam, chefer, ground_truth = client.predict(
        handle_file(FACE), pair, "max", 0.5, "(each model's top class)", api_name="/compare")
    assert cnn["label"] and len(cnn["confidences"]) == 5 and len(vit["confidences"]) == 5
    assert "ms" in latency
    for image in (gradcam, rollout, vit_cam, chefer):
        assert picture(image).size == (size, size)
    assert "this is the toy world's *face* (seed 3)" in ground_truth  # the example's own masks, on either pair


def served(path: str) -> np.ndarray:
    return np.asarray(Image.open(path), dtype=np.int16)


def as_served(picture: Image.Image, path: str) -> np.ndarray:
    """A picture encoded as the server encoded the file at `path` (lossy WebP by default), then decoded."""
    return np.asarray(Image.open(io.BytesIO(encode_pil_to_bytes(picture, path.rsplit(".", 1)[1]))), dtype=np.int16)


def test_compare_for_a_chosen_class_shows_that_class(client):
    pair = load_pair("toy")
    crop = pair.transform(load_image(FACE))
    face_mask = object_mask(pair, KNOWN.find(load_image(FACE)))  # the example's outline is drawn on every map
    shown = {}
    for name in ("face", "house"):
        *_, gradcam, rollout, vit_cam, chefer, _ = client.predict(handle_file(FACE), "toy", "mean", 0.9, name,
                                                                  api_name="/compare")
        target = pair.labels.index(name)
        shown[name] = {"cnn": served(gradcam), "vit": served(vit_cam), "chefer": served(chefer),
                       "rollout": served(rollout)}
        vit_direct = vit_pass(pair, crop, target)
        for model, path, direct in (("cnn", gradcam, cnn_pass(pair, crop, target).gradcam),
                                    ("vit", vit_cam, vit_direct.gradcam), ("chefer", chefer, vit_direct.chefer)):
            expected = as_served(outlined(overlay(crop, direct), face_mask), path)
            assert np.abs(shown[name][model] - expected).mean() < 1.0, (name, model)  # 8-bit rounding, re-encoded
    for model in ("cnn", "vit", "chefer"):  # the class-specific maps follow the class (well beyond rounding)...
        assert np.abs(shown["face"][model] - shown["house"][model]).mean() > 3.0, model
    assert np.array_equal(shown["face"]["rollout"], shown["house"]["rollout"])  # ...rollout is class-agnostic


def test_inside_panel(client):
    grid, attention = client.predict(handle_file(FACE), "toy", "layer2", 6, api_name="/inside")
    assert min(picture(grid).size) >= 128
    assert picture(attention).size[0] >= 300
    looking = client.predict(handle_file(FACE), "toy", api_name="/how_far")
    assert picture(looking).size == (1000, 420)
    single = client.predict(handle_file(FACE), "toy", 2, 1, api_name="/cls_attention")
    assert picture(single).size == (64, 64)


@pytest.mark.parametrize("pair, grid", [("toy", 8), (HUB, 14)])  # a Hub pair's ViT has learned positions too
def test_what_the_weights_learned(client, pair, grid):
    filters, learned, fixed = client.predict(pair, api_name="/weights_learned")
    assert picture(filters).size == (1000, 440)
    side = round(100 * (1.4 + min(0.6, 8.0 / grid) * grid))  # one small map per patch position, grid × grid
    assert picture(learned).size[0] == side and picture(fixed).size[0] == side


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
    assert result == run_picasso(load_pair("toy"), 7).to_json() | {"precision": "fp32"}  # the same numbers, here
    names = [variant["name"] for variant in result["variants"]]
    assert names[0] == "clean" and len(names) >= 4
    assert result["variants"][0]["cnn"]["top1"] == result["variants"][0]["vit"]["top1"] == "face"
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


@pytest.mark.parametrize("name", list(TOY_EXAMPLES))
def test_toy_examples_are_the_generators_pictures_and_plain_ones_are_named(client, name):
    label, seed, scramble = TOY_EXAMPLES[name]
    path = EXAMPLES_DIR / f"{name}.png"
    drawn = render(label, seed, scramble=scramble)
    assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), np.asarray(drawn))
    if not scramble:
        result = client.predict(handle_file(str(path)), "toy", 1, api_name="/predict")
        assert result["cnn"][0]["label"] == result["vit"][0]["label"] == label
