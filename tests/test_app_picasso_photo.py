"""/picasso_photo and the Picasso photo panel's events, on the real app driven through gradio_client."""
import re

import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from images.decode import load_image
from lab.picasso_photo import EXAMPLES_DIR, parse_marks, run_picasso_photo, shipped_marks
from models import load_pair
from tests.test_app import picture

pytestmark = pytest.mark.slow
CAT = str(EXAMPLES_DIR / "photo_cat_chelsea.jpg")
COFFEE = str(EXAMPLES_DIR / "photo_coffee.jpg")
HUB = "resnet50-vs-deit-small"
VARIANTS = ["clean", "homework", "moved", "rotated", "swapped", "picasso"]
TWO_MARKS = [{"part": "left eye", "x": 172, "y": 116, "size": 60},
             {"part": "right eye", "x": 320, "y": 136, "size": 60}]


def test_on_the_toy_pair_the_endpoint_answers_what_the_lab_computes(client):
    result = client.predict(handle_file(CAT), "toy", TWO_MARKS, 4, api_name="/picasso_photo")
    cat = load_image(CAT)
    assert result == run_picasso_photo(load_pair("toy"), cat, parse_marks(TWO_MARKS), 4).to_json() | {
        "precision": "fp32"}
    assert [v["name"] for v in result["variants"]] == VARIANTS
    assert set(result) == {"measure", "group_measure", "classes", "groups", "variants", "precision"}


def test_without_marks_a_bundled_photo_uses_its_shipped_marks(client):
    result = client.predict(handle_file(CAT), "toy", [], 0, api_name="/picasso_photo")
    cat = load_image(CAT)
    assert result == run_picasso_photo(load_pair("toy"), cat, parse_marks(shipped_marks(cat)), 0).to_json() | {
        "precision": "fp32"}


def test_on_a_hub_pair_from_the_test_cache(client):
    result = client.predict(handle_file(CAT), HUB, [], 0, api_name="/picasso_photo")
    assert result["measure"] == "p_clean_top1" and result["group_measure"] == "p_clean_group"
    assert [v["name"] for v in result["variants"]] == VARIANTS
    cat = load_image(CAT)
    expected = run_picasso_photo(load_pair(HUB), cat, parse_marks(shipped_marks(cat)), 0)
    assert result["classes"] == expected.classes and result["groups"] == expected.groups
    for got, want in zip(result["variants"], expected.variants):
        for model in ("cnn", "vit"):
            assert got[model]["top1"] == getattr(want, model).top1
            assert got[model]["p_target"] == pytest.approx(getattr(want, model).p_target, abs=1e-5)


@pytest.mark.parametrize("image, marks, message", [
    (CAT, TWO_MARKS[:1], "Mark at least two parts (got 1)"),
    (COFFEE, [], "Mark at least two parts of the photo"),
    (CAT, TWO_MARKS[:1] + [{"part": "nose", "x": 500, "y": 10, "size": 40}], "outside the 451 × 300 photo"),
    (CAT, TWO_MARKS[:1] + [{"part": "nose", "x": 200, "y": 100, "size": 400}], "shorter side (300 px)"),
    (CAT, [{"part": "tail", "x": 1, "y": 1, "size": 9}], "unknown part 'tail'"),
])
def test_bad_marks_get_a_clear_message_and_the_server_keeps_serving(client, image, marks, message):
    with pytest.raises(AppError, match=re.escape(message)):
        client.predict(handle_file(image), "toy", marks, 0, api_name="/picasso_photo")
    assert client.predict(handle_file(CAT), "toy", TWO_MARKS, 0, api_name="/picasso_photo")["variants"]


def test_the_panel_plots_six_variants_and_returns_the_numbers(client):
    # The panel's marks are session state, which API calls do not send: a new session has none, so the cat's own.
    plot, numbers = client.predict(handle_file(CAT), "toy", 0, api_name="/picasso_photo_panel")
    assert [v["name"] for v in numbers["variants"]] == VARIANTS
    assert picture(plot).width > 600


def test_loading_a_bundled_photo_shows_its_shipped_marks(client):
    marked, next_part, shown = client.predict(handle_file(CAT), api_name="/picasso_photo_load")  # state stays
    assert [m["part"] for m in shown] == ["left eye", "right eye", "nose", "mouth"]
    assert next_part == "left brow"
    assert picture(marked).size == load_image(CAT).size
