"""Every corpus file through the running app: odd images work on every panel, bad files get a clear message."""
import base64

import httpx
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from models import load_pair
from tests.image_corpus import CorpusCase, build_corpus
from tests.reliability_server import ABSOLUTE_PATH, client_for, same_predictions
from ui import panels
from ui.requests import TOP_CLASS
from ui.examples import EXAMPLES_DIR
from images.decode import MAX_FILE_BYTES

pytestmark = pytest.mark.slow
NOT_UPLOADABLE = {"missing", "too_large"}  # no such file; refused by Gradio at upload (tested below)
FACE = EXAMPLES_DIR / "toy_face.png"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[CorpusCase]:
    return build_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def client(demo):
    return client_for(demo)


def _check_top5(result: list[dict], labels: list[str]) -> None:
    scores = [entry["score"] for entry in result]
    assert len(result) == 5 and len({entry["label"] for entry in result}) == 5
    assert all(entry["label"] in labels for entry in result)
    assert scores == sorted(scores, reverse=True)


def _compare_ok(out: tuple, labels: list[str]) -> bool:
    cnn, vit, latency, *maps, ground_truth = out
    return (cnn["label"] in labels and vit["label"] in labels and len(cnn["confidences"]) == 5
            and "ms" in latency and len(maps) == 4 and all(maps) and "Ground truth" in ground_truth)


OTHER_PANELS = {  # api name -> (arguments after the image, whether a successful answer looks right)
    "/compare": (("toy", "mean", 0.9, TOP_CLASS), _compare_ok),
    "/inside": (("toy", "layer2", 1), lambda out, labels: len(out) == 2 and all(out)),
    "/cls_attention": (("toy", 1, 0), lambda out, labels: bool(out)),
    "/sweep": (("toy", "shuffle"), lambda out, labels: out["kind"] == "shuffle" and len(out["x"]) == 4),
}


def assert_clear_refusal(error: AppError, case: CorpusCase) -> None:
    """The message names the problem, is not the generic internal error, and shows no server path."""
    message = str(error)
    assert case.expect in message.lower(), f"{case.name}: {message}"
    assert "internal error" not in message.lower(), f"{case.name}: {message}"
    assert not ABSOLUTE_PATH.search(message), f"{case.name} leaks a path: {message}"


def test_the_corpus_is_large_and_varied(corpus):
    uploadable = [case for case in corpus if case.name not in NOT_UPLOADABLE]
    assert len(uploadable) >= 25
    assert sum(case.ok for case in uploadable) >= 15 and sum(not case.ok for case in uploadable) >= 10


def test_every_file_on_predict_and_one_other_panel(client, corpus):
    labels = load_pair("toy").labels
    uploadable = [case for case in corpus if case.name not in NOT_UPLOADABLE]
    panel_names = list(OTHER_PANELS)
    failures = []
    for index, case in enumerate(uploadable):
        panel = panel_names[index % len(panel_names)]
        arguments, check = OTHER_PANELS[panel]
        for api_name, args in (("/predict", ("toy", 5)), (panel, arguments)):
            try:
                result = client.predict(handle_file(str(case.path)), *args, api_name=api_name)
            except AppError as error:
                if case.ok:
                    failures.append(f"{case.name} on {api_name}: refused with {error}")
                else:
                    assert_clear_refusal(error, case)
                continue
            if not case.ok:
                failures.append(f"{case.name} on {api_name}: accepted, expected {case.expect!r}")
            elif api_name == "/predict":
                _check_top5(result["cnn"], labels)
                _check_top5(result["vit"], labels)
                # Not silently wrong: the server's answer is what the decoder gives on the original file.
                assert same_predictions(result, panels.predict(str(case.path), "toy", 5)), case.name
            elif not check(result, labels):
                failures.append(f"{case.name} on {api_name}: unexpected answer {result}")
    assert not failures, "\n".join(failures)


def test_a_file_over_the_size_limit_is_refused_at_upload(client, demo, corpus):
    too_large = next(case for case in corpus if case.name == "too_large")
    # gradio_client checks the size before sending; its message gives the limit in bytes (and an empty label).
    with pytest.raises(ValueError, match=rf"too_large\.png exceeds the maximum file size of {MAX_FILE_BYTES} bytes"):
        client.predict(handle_file(str(too_large.path)), "toy", 5, api_name="/predict")
    # A client that sends it anyway (as a browser bypassing the page's check would) is stopped by the server.
    with too_large.path.open("rb") as file:
        answer = httpx.post(f"{demo.local_url.rstrip('/')}/gradio_api/upload",
                            files=[("files", (too_large.path.name, file))], timeout=60)
    assert answer.status_code == 413
    assert answer.text == f"File size exceeded maximum allowed size of {MAX_FILE_BYTES} bytes."


def _data_url(data: bytes, mime: str = "image/png") -> dict:
    """A pasted image as the browser sends it: a data URL, no file."""
    return {"url": f"data:{mime};base64,{base64.b64encode(data).decode()}"}


def test_a_pasted_image_is_decoded_like_the_file(client):
    pasted = client.predict(_data_url(FACE.read_bytes()), "toy", 3, api_name="/predict")
    uploaded = client.predict(handle_file(str(FACE)), "toy", 3, api_name="/predict")
    assert same_predictions(pasted, uploaded) and pasted["cnn"][0]["label"] == "face"


@pytest.mark.parametrize("payload, expected", [
    (_data_url(b"<!DOCTYPE html><html><body>hi</body></html>", "text/html"), "not an image (it looks like an html"),
    (_data_url(b"", "image/png"), "the file is empty"),
    ({"url": "data:image/png;base64"}, "pasted image data could not be read"),
])
def test_a_bad_paste_is_a_clear_error(client, payload, expected):
    with pytest.raises(AppError) as error:
        client.predict(payload, "toy", 3, api_name="/predict")
    assert expected in str(error.value).lower()
