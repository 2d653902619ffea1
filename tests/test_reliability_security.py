"""Requests never reach files outside Gradio's upload folder, the folder is cleaned, and messages show no paths."""
import os
from pathlib import Path

import httpx
import numpy as np
import pytest
from gradio.route_utils import delete_files_created_by_app
from gradio.utils import get_upload_folder, is_in_or_equal
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from harness.app_server import running_app
from models.bundled import WEIGHTS_DIR, read_manifest
from tests.reliability_server import ABSOLUTE_PATH, client_for, raw_call, upload
from ui import panels
from ui.requests import TOP_CLASS
from ui.examples import EXAMPLES_DIR

pytestmark = pytest.mark.slow
FACE = EXAMPLES_DIR / "toy_face.png"
NOT_UPLOADED = "Only files uploaded to this app can be analysed; please upload the image."


@pytest.fixture(scope="module")
def uploads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="module")
def demo(uploads):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRADIO_TEMP_DIR", str(uploads))
        env.setenv("HF_HUB_OFFLINE", "1")
        with running_app("toy") as running:
            yield running


@pytest.fixture(scope="module")
def outside(tmp_path_factory, uploads) -> dict[str, str]:
    """Server files a request must never reach; the picture would be analysed if it were read."""
    folder = tmp_path_factory.mktemp("outside")
    picture = folder / "private_picture.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(picture)
    link = uploads / "innocent.png"
    link.symlink_to(picture)  # inside the upload folder by name, outside by target
    return {
        "system file": "/etc/passwd",
        "the repo's weights": str(WEIGHTS_DIR / read_manifest()["toy_vit"]["file"]),
        "an example picture": str(FACE),
        "a picture outside": str(picture),
        "a climb out of the upload folder": f"{uploads}/../{folder.name}/{picture.name}",
        "a symlink in the upload folder": str(link),
    }


def test_the_picture_outside_would_be_analysed_if_read(outside):
    """Control: the file the tests below try to reach is a valid image, so a refusal is not a decode error."""
    assert panels.predict(outside["a picture outside"], "toy", 1)["pair"] == "toy"


@pytest.mark.parametrize("target", ["system file", "the repo's weights", "an example picture", "a picture outside",
                                    "a climb out of the upload folder", "a symlink in the upload folder"])
def test_gradio_refuses_a_filedata_path_outside_the_uploads(demo, outside, target):
    """A FileData (tagged as Gradio's client tags uploads) naming a server path: Gradio refuses it before our code."""
    file_data = {"path": outside[target], "meta": {"_type": "gradio.FileData"}}
    event, payload = raw_call(demo, "predict", [file_data, "toy", 5])
    assert event == "error" and payload == {"error": None}  # Gradio's own refusal; our decoder would explain


@pytest.mark.parametrize("api_name", ["/predict", "/compare"])
@pytest.mark.parametrize("target", ["system file", "the repo's weights", "an example picture", "a picture outside",
                                    "a climb out of the upload folder", "a symlink in the upload folder"])
def test_an_untagged_path_outside_the_uploads_is_refused(demo, outside, target, api_name):
    """The same path without the FileData tag passes Gradio's check; UploadedImage must refuse it unread."""
    client = client_for(demo)
    args = ("toy", 5) if api_name == "/predict" else ("toy", "mean", 0.9, TOP_CLASS)
    with pytest.raises(AppError) as error:
        client.predict({"path": outside[target]}, *args, api_name=api_name)
    assert str(error.value) == NOT_UPLOADED


def test_uploads_and_outputs_stay_in_the_upload_folder(demo, uploads):
    """Raw answers of /compare point only into the upload folder, which is Gradio's upload folder."""
    file_data = upload(demo, FACE)
    assert is_in_or_equal(file_data["path"], uploads) and Path(get_upload_folder()) == uploads
    event, outputs = raw_call(demo, "compare", [file_data, "toy", "mean", 0.9, TOP_CLASS])
    assert event == "complete"
    files = [value["path"] for value in outputs if isinstance(value, dict) and "path" in value]
    assert len(files) == 4 and all(is_in_or_equal(path, uploads) for path in files)


@pytest.mark.parametrize("path", ["/etc/passwd", str(WEIGHTS_DIR / "manifest.json"), "app.py", str(FACE)])
def test_the_file_route_serves_nothing_outside_the_uploads(demo, path):
    answer = httpx.get(f"{demo.local_url.rstrip('/')}/gradio_api/file={path}")
    assert answer.status_code == 403 and "root:" not in answer.text


def test_the_temporary_cache_is_cleaned(tmp_path, monkeypatch):
    """Scheduled clean-ups spare fresh uploads and outputs (the app deletes them after an hour), and stopping deletes
    them all. Files an hour old cannot be made here: Gradio ages them by ctime, which no test can set back."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "own_uploads"))  # its own folder: closing it cleans
    unique = tmp_path / "unique.png"
    Image.fromarray(np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(unique)
    with running_app("toy") as demo:
        before = {path for files in demo.temp_file_sets for path in files}
        client_for(demo).predict(handle_file(str(unique)), "toy", "mean", 0.9, TOP_CLASS,
                                 api_name="/compare")
        created = [Path(path) for files in demo.temp_file_sets for path in files if path not in before]
        assert len(created) >= 5 and all(path.exists() for path in created)  # the upload and four maps
        assert all(is_in_or_equal(path, tmp_path / "own_uploads") for path in created)
        _, age = demo.delete_cache  # what the server's schedule passes to each clean-up
        delete_files_created_by_app(demo, age)
        assert all(path.exists() for path in created), "a scheduled clean-up deleted files a user may still fetch"
    assert not [path for path in created if path.exists()]


def test_refusals_show_no_server_paths(demo, tmp_path):
    """Messages users see name the problem, never a server path (the corpus is checked in test_reliability_inputs)."""
    client = client_for(demo)
    text = tmp_path / "secret_notes.png"
    text.write_text("password=hunter2\n")
    messages = []
    for call in [lambda: client.predict(handle_file(str(text)), "toy", 5, api_name="/predict"),
                 lambda: client.predict({"path": "/etc/passwd"}, "toy", 5, api_name="/predict"),
                 lambda: client.predict(handle_file(str(FACE)), "alexnet", 5, api_name="/predict")]:
        with pytest.raises(AppError) as error:
            call()
        messages.append(str(error.value))
    for message in messages:
        assert not ABSOLUTE_PATH.search(message) and "hunter2" not in message and os.getcwd() not in message
