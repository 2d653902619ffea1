"""Training the toy pair (a tiny smoke run), the seed's fine-tuning experiment, and the bundled weights.

Missing, tampered and untrained weights are tested in test_reliability_weights.py.
"""
import pytest

import models.pairs
from models.bundled import WEIGHTS_DIR, load_bundled, read_manifest, sha256
from training.evaluate import evaluate
from training.toy import main as train

TINY = ["--train-size", "128", "--val-size", "40", "--test-size", "40", "--epochs", "1", "--batch-size", "64"]


@pytest.mark.slow
def test_one_epoch_smoke_run_writes_loadable_reproducible_weights(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    train(TINY + ["--out", str(first)])
    log = capsys.readouterr().out
    assert "toy_cnn epoch 1/1 accuracy:" in log and "toy_vit epoch 1/1 accuracy:" in log
    manifest = read_manifest(first)
    assert set(manifest) == {"toy_cnn", "toy_vit"}
    for key, entry in manifest.items():
        model, _ = load_bundled(key, first)
        assert entry["provenance"]["hyperparameters"]["epochs"] == 1
        assert (first / entry["file"]).stat().st_size < 10 * 2 ** 20
    assert (first / "MODEL_CARD.md").read_text().count("| toy_") == 2
    train(TINY + ["--out", str(second), "--only", "vit"])
    assert sha256(second / "toy_vit.safetensors") == manifest["toy_vit"]["sha256"], "same seed, same weights"


@pytest.mark.slow
def test_finetune_a_hub_pair_on_the_toy_world(hub_cache, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_HUB_CACHE", str(hub_cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(models.pairs, "_loaded", {})
    train(["--finetune", "resnet50-vs-deit-small", "--dataset", "toy", "--train-size", "16", "--val-size", "8",
           "--epochs", "1", "--batch-size", "8", "--out", str(tmp_path)])
    log = capsys.readouterr().out
    assert "cnn epoch 1/1 accuracy:" in log and "vit epoch 1/1 accuracy:" in log
    assert {p.name for p in (tmp_path / "finetune-resnet50-vs-deit-small-toy").iterdir()} == {
        "cnn.safetensors", "vit.safetensors"}


def test_bundled_pair_scores_at_least_97_percent_on_fresh_test_images():
    pair = models.load_pair("toy")
    scores = evaluate(pair, 300)
    assert scores["cnn"] >= 0.97 and scores["vit"] >= 0.97, scores


def test_bundled_weights_match_their_manifest_and_size_limit():
    for entry in read_manifest().values():
        path = WEIGHTS_DIR / entry["file"]
        assert sha256(path) == entry["sha256"]
        assert path.stat().st_size <= 10 * 2 ** 20
        if entry["file"].startswith("toy_"):  # the arrangement pair's bar is tests/test_arrangement_pair.py's
            assert entry["provenance"]["test_accuracy"] >= 0.97
