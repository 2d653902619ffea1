"""No network: choosing or using a Hub pair answers at once and clearly, and the app keeps serving its pair.

Two ways of being offline: HF_HUB_OFFLINE=1, and no env var but a Hub that cannot be reached (HF_ENDPOINT on a
loopback port nothing listens on). Only loopback addresses are used.
"""
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from harness.app_server import free_port
from models.hub import fetch_command
from models.pairs import _loaded  # internal: the test must start with the pair not yet loaded
from tests.deadline import answer_within
from tests.reliability_server import ABSOLUTE_PATH, client_for, logged_messages
from ui.examples import EXAMPLES_DIR
from ui.pair_choice import startup_pair

DEADLINE_S = 30.0
"""How long a test waits for an answer, not a speed target: the messages say which path answered; without the
network probe huggingface_hub retries for minutes."""
pytestmark = pytest.mark.slow
FACE = str(EXAMPLES_DIR / "toy_face.png")
HUB_PAIR = "resnet50-vs-vit-base"  # never in the test Hub caches
OFFLINE_WAYS = {
    "HF_HUB_OFFLINE": ({"HF_HUB_OFFLINE": "1"}, "HF_HUB_OFFLINE is set"),
    "unreachable Hub": ({"HF_ENDPOINT": "http://127.0.0.1:{port}"}, "cannot be reached"),
}


@pytest.fixture(params=list(OFFLINE_WAYS))
def offline(request, monkeypatch, tmp_path) -> str:
    """One way of being offline, with an empty Hub cache; returns the words the message must contain."""
    variables, words = OFFLINE_WAYS[request.param]
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty_hub_cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(port=free_port()))
    assert HUB_PAIR not in _loaded, "the pair was loaded earlier in this process; the test would prove nothing"
    return words


def test_choosing_a_hub_pair_offline_answers_and_keeps_the_pair(demo, offline):
    client = client_for(demo)
    job = client.submit(HUB_PAIR, api_name="/choose_pair")  # the current pair is session state, not an argument
    value, *_ = job.result(timeout=DEADLINE_S)
    assert value == "toy"  # the dropdown goes back to the pair still served
    warnings = [message for message, level in logged_messages(job) if level == "warning"]
    assert len(warnings) == 1, logged_messages(job)
    assert offline in warnings[0] and fetch_command(HUB_PAIR) in warnings[0]
    assert warnings[0].endswith("Still serving toy.")
    assert client.predict(handle_file(FACE), "toy", 1, api_name="/predict")["cnn"][0]["label"] == "face"


def test_predicting_with_a_hub_pair_offline_is_a_clear_error(demo, offline):
    client = client_for(demo)
    with pytest.raises(AppError) as error:
        client.submit(handle_file(FACE), HUB_PAIR, 5, api_name="/predict").result(timeout=DEADLINE_S)
    assert offline in str(error.value) and fetch_command(HUB_PAIR) in str(error.value)
    assert client.predict(handle_file(FACE), "toy", 1, api_name="/predict")["pair"] == "toy"


def test_starting_on_a_hub_pair_offline_falls_back_to_toy(offline, capsys):
    pair = answer_within(DEADLINE_S, startup_pair, HUB_PAIR)
    assert pair.name == "toy"
    printed = capsys.readouterr().out
    assert offline in printed and "Serving the bundled toy pair instead." in printed


def test_offline_messages_show_no_server_paths(demo, offline):
    with pytest.raises(AppError) as error:
        client_for(demo).submit(handle_file(FACE), HUB_PAIR, 5, api_name="/predict").result(timeout=DEADLINE_S)
    assert not ABSOLUTE_PATH.search(str(error.value)), str(error.value)


def test_a_hub_that_accepts_but_never_answers_is_given_up_on(monkeypatch, tmp_path):
    """A server that takes the connection and stays silent: huggingface_hub alone retries for minutes here."""
    import socket
    import threading

    from models import hub

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    held = []
    threading.Thread(target=lambda: [held.append(silent.accept()) for _ in iter(int, 1)], daemon=True).start()
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty_hub_cache"))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{silent.getsockname()[1]}")
    monkeypatch.setattr(hub, "ANSWER_SECONDS", 1.0)
    with pytest.raises(hub.WeightsUnavailable, match="did not answer within 1 s") as error:
        answer_within(DEADLINE_S, hub.fetch, "timm/resnet50.a1_in1k", "resnet50-vs-deit-small")
    assert fetch_command("resnet50-vs-deit-small") in str(error.value)
    assert held, "the server never saw a connection: the test proved nothing"
