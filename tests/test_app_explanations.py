"""The maps as numbers (/maps), their faithfulness (/faithfulness) and their check against the toy world's ground
truth, through the real app and directly."""
import numpy as np
import pytest
import torch
from gradio_client import handle_file
from PIL import Image

from explain.analysis_cache import analyse
from explain.maps import crop_maps
from explain.scores import faithfulness, localisation
from images.decode import load_image
from models import load_pair
from toyworld import render
from toyworld.ground_truth import KnownImages
from ui.examples import EXAMPLES_DIR
from ui import explanations
from ui.explanations import KNOWN, object_mask, outlined
from ui.requests import TOP_CLASS

FACE = str(EXAMPLES_DIR / "toy_face.png")  # the toy world's face, seed 3
PHOTO = str(EXAMPLES_DIR / "photo_cat_chelsea.jpg")
HUB = "resnet50-vs-deit-small"


@pytest.mark.slow
@pytest.mark.parametrize("class_name", ["(each model's top class)", "house"])
def test_maps_endpoint_gives_every_map_at_the_crop_as_computed_directly(client, class_name):
    result = client.predict(handle_file(FACE), "toy", class_name, api_name="/maps")
    pair = load_pair("toy")
    target = None if class_name.startswith("(") else pair.labels.index(class_name)
    direct = crop_maps(analyse(pair, load_image(FACE), target))
    assert result["size"] == [64, 64]
    assert set(result["cnn"]) == {"gradcam"} and set(result["vit"]) == {"rollout", "gradcam", "chefer"}
    for key, maps in (("cnn", direct.cnn), ("vit", direct.vit)):
        for name, heat in maps.items():
            served = np.asarray(result[key][name])
            assert served.shape == (64, 64) and served.min() >= 0 and served.max() <= 1
            np.testing.assert_allclose(served, heat.numpy(), atol=1e-4)
    expected = {"cnn": pair.labels[direct.cnn_target], "vit": pair.labels[direct.vit_target]}
    assert result["classes"] == expected
    if target is not None:
        assert result["classes"] == {"cnn": "house", "vit": "house"}


@pytest.mark.slow
def test_maps_on_a_hub_pair_are_at_its_224_px_crop(client):
    result = client.predict(handle_file(PHOTO), HUB, "(each model's top class)", api_name="/maps")
    assert result["size"] == [224, 224] and np.asarray(result["vit"]["chefer"]).shape == (224, 224)


@pytest.mark.slow
def test_faithfulness_endpoint_scores_every_map_and_a_random_one_as_computed_directly(client):
    result = client.predict(handle_file(FACE), "toy", "(each model's top class)", api_name="/faithfulness")
    pair = load_pair("toy")
    a = analyse(pair, load_image(FACE))
    direct = faithfulness(pair, a.image01, crop_maps(a))
    assert result["fill"] == "blurred copy of the image" and result["steps"] == 25
    for key in ("cnn", "vit"):
        assert set(result[key]) == set(direct[key]) and "random" in result[key]
        for name, score in direct[key].items():
            assert result[key][name]["deletion_auc"] == pytest.approx(score.deletion.auc, abs=1e-4)
            assert result[key][name]["insertion_auc"] == pytest.approx(score.insertion.auc, abs=1e-4)
            assert len(result[key][name]["deletion"]) == 26 and result[key][name]["fractions"][-1] == 1.0
    # On the bundled pair, the CNN's Grad-CAM is more faithful than chance on its own face example.
    assert result["cnn"]["gradcam"]["deletion_auc"] < result["cnn"]["random"]["deletion_auc"]


@pytest.mark.slow
def test_faithfulness_panel_draws_the_curves(client):
    plot = client.predict(handle_file(FACE), "toy", "mean", 0.9, "(each model's top class)",
                          api_name="/faithfulness_panel")
    assert isinstance(plot, dict) and plot.get("plot")


@pytest.mark.slow
def test_compare_reads_ground_truth_only_for_the_toy_worlds_own_pictures(client, tmp_path):
    *_, face_text = client.predict(handle_file(FACE), "toy", "mean", 0.9, "(each model's top class)",
                                   api_name="/compare")
    pair = load_pair("toy")
    a = analyse(pair, load_image(FACE))
    scores = localisation(crop_maps(a), KNOWN.find(load_image(FACE)).masks["object"])
    assert f"covers **{scores['cnn']['random'].mass.area:.0%}**" in face_text
    assert f"| CNN Grad-CAM | {'hit' if scores['cnn']['gradcam'].hit else 'miss'} | " \
           f"{scores['cnn']['gradcam'].mass.inside:.0%} |" in face_text
    assert f"| ViT Chefer | {'hit' if scores['vit']['chefer'].hit else 'miss'} | " \
           f"{scores['vit']['chefer'].mass.inside:.0%} |" in face_text
    touched = tmp_path / "touched.png"  # the same face with one pixel changed is no longer the known picture
    pixels = np.array(load_image(FACE))
    pixels[0, 0] = 255 - pixels[0, 0]
    Image.fromarray(pixels).save(touched)
    for path in (PHOTO, str(touched)):
        *_, text = client.predict(handle_file(path), "toy", "mean", 0.9, "(each model's top class)",
                                  api_name="/compare")
        assert text.startswith("**Ground truth:** none for this image")


def test_known_images_are_found_by_their_pixels_only():
    known = KnownImages([("car", 5, False), ("face", 3, True)])
    found = known.find(render("face", 3, scramble=True))
    assert found is not None and (found.label, found.seed) == ("face", 3)
    assert known.find(render("face", 3)) is None  # the unscrambled face is another picture
    assert known.find(render("car", 5).convert("RGBA")) is not None  # same pixels, another mode


def test_object_mask_follows_the_pairs_crop(hub_cache, monkeypatch):
    import models.pairs

    monkeypatch.setattr(models.pairs, "_loaded", {})
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    known = KNOWN.find(load_image(FACE))
    toy = object_mask(load_pair("toy"), known)
    np.testing.assert_array_equal(toy, known.masks["object"])  # the toy crop is the picture itself
    hub = object_mask(load_pair(HUB), known)
    assert hub.shape == (224, 224)
    # The Hub crop enlarges the centre 90%: the object's share of it is close to its share of the picture.
    assert abs(hub.mean() - known.masks["object"][3:61, 3:61].mean()) < 0.02


def test_outline_paints_the_boundary_and_nothing_else():
    mask = np.zeros((8, 8), dtype=bool)
    mask[2:6, 2:6] = True
    picture = Image.new("RGB", (8, 8), (10, 20, 30))
    drawn = np.asarray(outlined(picture, mask))
    painted = (drawn != (10, 20, 30)).any(axis=-1)
    ring = mask.copy()
    ring[3:5, 3:5] = False
    np.testing.assert_array_equal(painted, ring)
    assert outlined(picture, None) is picture
    torch.testing.assert_close(torch.tensor(drawn[2, 2]), torch.tensor([0, 255, 255], dtype=torch.uint8))


def test_faithfulness_panel_scores_the_rollout_compare_draws():
    """The panel's rollout follows Compare's head fusion and discard ratio; the other maps do not depend on them."""
    def scores(head_fusion: str, discard: float) -> dict:
        # internal: the scoring step the panel draws, with its head fusion and discard ratio as arguments
        return explanations._faithfulness(FACE, "toy", TOP_CLASS, lambda *a, **k: None, head_fusion, discard)[0]

    default, other = scores("mean", 0.9), scores("max", 0.0)
    assert default["vit"]["rollout"].deletion.auc != other["vit"]["rollout"].deletion.auc
    for name in ("gradcam", "chefer"):
        assert default["vit"][name].deletion.auc == other["vit"][name].deletion.auc
