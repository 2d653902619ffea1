"""The obvious use of a pair is the right one: `pair.cnn(pair.transform(image)[None])` gives what the app shows."""
import timm
import torch
from timm.data import resolve_data_config
from torchvision.transforms import v2

from explain.passes import cnn_pass, vit_pass
from models import load_pair
from toyworld import LABELS, render

FRESH_SEEDS = range(5_000_000, 5_000_040)  # outside the train, val, test and Picasso seed ranges


def test_toy_models_are_right_through_the_obvious_expression():
    pair = load_pair("toy")
    images = [(render(label, seed), LABELS.index(label)) for label in LABELS for seed in FRESH_SEEDS]
    hits = {"cnn": 0, "vit": 0}
    with torch.inference_mode():
        for image, label in images:
            hits["cnn"] += int(pair.cnn(pair.transform(image)[None]).argmax()) == label
            hits["vit"] += int(pair.vit(pair.transform(image)[None]).argmax()) == label
    assert hits["cnn"] / len(images) >= 0.97, hits
    assert hits["vit"] / len(images) >= 0.97, hits


def test_the_obvious_expression_gives_what_the_app_shows():
    pair = load_pair("toy")
    image01 = pair.transform(render("face", 7))
    with torch.inference_mode():
        cnn_probs = pair.cnn(image01[None]).softmax(-1)[0]
        vit_probs = pair.vit(image01[None]).softmax(-1)[0]
    torch.testing.assert_close(cnn_pass(pair, image01).probs, cnn_probs)
    torch.testing.assert_close(vit_pass(pair, image01).probs, vit_probs)


def test_normalisation_adds_no_weights():
    pair = load_pair("toy")
    assert not any("normalize" in key for key in pair.vit.state_dict())
    assert set(pair.cnn.model.state_dict()) == {key.removeprefix("model.") for key in pair.cnn.state_dict()}


def test_hub_pair_through_the_obvious_expression_equals_timm_with_its_own_preprocessing(hub_cache, monkeypatch):
    import models.pairs

    monkeypatch.setattr(models.pairs, "_loaded", {})
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    pair = load_pair("resnet50-vs-deit-small")
    generator = torch.Generator().manual_seed(0)
    crop = pair.transform(v2.functional.to_pil_image(torch.rand(3, 300, 260, generator=generator)))
    for model_name, ours in [("resnet50.a1_in1k", pair.cnn), ("deit_small_patch16_224.fb_in1k", pair.vit)]:
        file = next((hub_cache / f"models--timm--{model_name}" / "snapshots").glob("*/model.safetensors"))
        reference = timm.create_model(model_name, pretrained=True, pretrained_cfg_overlay={"file": str(file)}).eval()
        config = resolve_data_config({}, model=reference)
        timm_input = v2.Normalize(config["mean"], config["std"])(crop)[None]
        with torch.inference_mode():
            torch.testing.assert_close(ours(crop[None]), reference(timm_input), atol=1e-4, rtol=1e-4)
