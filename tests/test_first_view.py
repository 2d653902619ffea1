"""The page as a visitor first sees it: an example selected (in the page's config) and, from the page's load event
(/first_view), that example's Compare result and the default Picasso face scored, computed once at start-up."""

import httpx
import pytest
from gradio_client import Client

import ui.first_view
from ui import panels
from ui.first_view import first_view
from ui.panels import DEFAULT_FACE_SEED
from ui.strings import t

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shown(app_url) -> tuple:
    """What the page's load event fills in: /compare's eight outputs, then /picasso_panel's two."""
    return Client(app_url, verbose=False).predict(api_name="/first_view")


def test_an_example_is_selected(app_url):
    config = httpx.get(f"{app_url}/config", timeout=60).json()
    image = next(component["props"] for component in config["components"]
                 if component["props"].get("label") == str(t("image")))  # "Image (upload, paste or webcam)"
    assert image["value"]["orig_name"] == "toy_face.png"


def test_its_compare_result_is_shown(shown):
    cnn, vit, latency, *maps, ground_truth = shown[:8]
    assert cnn["label"] == "face" and vit["label"] == "face" and len(cnn["confidences"]) == 5
    assert " ms · " in latency and all(maps)
    assert "this is the toy world's *face*" in ground_truth  # the toy face's maps checked against its masks


def test_the_default_picasso_face_is_shown_scored(shown):
    plot, numbers = shown[8:]
    assert plot["plot"].startswith("data:image/")
    assert numbers == panels.picasso("toy", DEFAULT_FACE_SEED)


def test_it_was_computed_once_and_kept(shown):
    # The server runs in this process: the page load above found the view already computed, and it is kept.
    assert ("toy", "en") in ui.first_view._views  # internal: the test is that this cache keeps the view
    view = first_view("toy")
    assert view is first_view("toy") and view.picasso[1] == shown[9]
