"""Model pairs from the Hub cache: loading, offline failures, sharing across threads (parity: test_pair_api.py)."""
import threading

import pytest

import models.pairs
from harness.hub_cache import add_to_hub_cache
from models import PAIRS, load_pair
from models.hub import WeightsUnavailable, fetch_command
from tests.deadline import answer_within

PAIR = "resnet50-vs-deit-small"
DEADLINE_S = 30.0
"""How long a test waits for an answer; without the network probe huggingface_hub retries for minutes."""


@pytest.fixture
def fresh_pairs(monkeypatch):
    """Forget pairs loaded by earlier tests, so each test loads from its own cache."""
    monkeypatch.setattr(models.pairs, "_loaded", {})


def test_pairs_are_described():
    assert set(PAIRS) == {"toy", "toy-arrangement", "resnet50-vs-deit-small", "resnet50-vs-vit-base"}
    assert "not like-for-like" in PAIRS["resnet50-vs-vit-base"].lower()
    with pytest.raises(ValueError, match="unknown pair 'nope'"):
        load_pair("nope")


def test_hub_pair_loads_offline_from_cache(hub_cache, fresh_pairs, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    pair = load_pair(PAIR)
    assert len(pair.labels) == 1000 and pair.labels[0] == "tench"
    assert pair.input_size == 224
    assert pair.cnn_card.parameters == sum(p.numel() for p in pair.cnn.parameters())


def test_hub_pair_loads_once_across_threads(hub_cache, fresh_pairs, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    results = []
    threads = [threading.Thread(target=lambda: results.append(load_pair(PAIR))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(r is results[0] for r in results)


@pytest.mark.parametrize("offline", ["1", ""])
def test_missing_hub_weights_fail_at_once_with_the_fix(tmp_path, fresh_pairs, monkeypatch, offline):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", offline)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(WeightsUnavailable) as error:
        answer_within(DEADLINE_S, load_pair, PAIR)
    message = str(error.value)
    assert "timm/resnet50.a1_in1k" in message and fetch_command(PAIR) in message
    assert ("HF_HUB_OFFLINE is set" if offline else "cannot be reached") in message


def test_wrong_architecture_in_cache_is_refused(tmp_path, fresh_pairs, monkeypatch):
    add_to_hub_cache(tmp_path, "resnet50.a1_in1k")
    config = next(tmp_path.glob("models--timm--resnet50.a1_in1k/snapshots/*/config.json"))
    target = config.resolve()
    config.unlink()
    config.write_text(target.read_text().replace('"resnet50"', '"resnet18"'))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(WeightsUnavailable, match="resnet18"):
        load_pair(PAIR)
