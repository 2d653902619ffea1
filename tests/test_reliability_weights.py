"""A missing or tampered bundled weights file stops the app at start with a message naming the file and the fix.

Nothing here touches the real weights/: the library tests use a copy, the start-up tests run `python app.py`
in a copy of the repository.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from models.bundled import WEIGHTS_DIR, WeightsError, load_bundled, read_manifest

REPO = Path(__file__).resolve().parent.parent
FIX = "restore it with `git checkout -- weights/` or retrain with `python -m training.toy`"


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-1000])


def _swap_with_the_cnn(path: Path) -> None:
    shutil.copyfile(path.parent / read_manifest(path.parent)["toy_cnn"]["file"], path)


TAMPERINGS = {"flipped byte": _flip_a_byte, "truncated": _truncate, "other model's file": _swap_with_the_cnn}


@pytest.fixture
def weights(tmp_path) -> Path:
    """A copy of weights/ that the test may break."""
    manifest = read_manifest()
    assert {"toy_cnn", "toy_vit"} <= manifest.keys(), "weights/ has no trained toy pair"
    return Path(shutil.copytree(WEIGHTS_DIR, tmp_path / "weights"))


def _vit_file(weights: Path) -> Path:
    return weights / read_manifest(weights)["toy_vit"]["file"]


def test_an_intact_copy_loads(weights):
    model, entry = load_bundled("toy_vit", weights)
    assert entry["kind"] == "vit" and sum(p.numel() for p in model.parameters()) > 0


def test_a_missing_file_is_named_with_the_fix(weights):
    vit = _vit_file(weights)
    vit.unlink()
    with pytest.raises(WeightsError) as error:
        load_bundled("toy_vit", weights)
    assert str(error.value) == f"weights/{vit.name} is missing: {FIX}."


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_a_tampered_file_is_refused_with_the_fix(weights, tampering):
    vit = _vit_file(weights)
    TAMPERINGS[tampering](vit)
    with pytest.raises(WeightsError) as error:
        load_bundled("toy_vit", weights)
    assert str(error.value) == (f"weights/{vit.name} does not match the sha256 in weights/manifest.json "
                                f"(changed or corrupted); refusing to load it: {FIX}.")


def test_an_untrained_model_says_how_to_train(weights):
    (weights / "manifest.json").write_text("{}\n")
    with pytest.raises(WeightsError, match=r"toy_vit is not trained yet: run `python -m training\.toy`"):
        load_bundled("toy_vit", weights)


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    """The code, examples and weights of this repository, copied so its weights can be broken."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", ".gradio",
                                                               "tests", "runs", "flagged"))
    return copy


def _start_app(repo: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PYTHONPATH"))}
    env |= {"HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", "CNN_VIT_PAIR": "toy"}
    env.pop("SPACE_ID", None)
    return subprocess.run([sys.executable, "app.py", "--port", "0"], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=90)


@pytest.mark.slow
@pytest.mark.parametrize("breakage", ["missing", "flipped byte"])
def test_python_app_py_refuses_to_start_on_broken_weights(repo_copy, breakage):
    vit = _vit_file(repo_copy / "weights")
    if breakage == "missing":
        vit.unlink()
    else:
        _flip_a_byte(vit)
    result = _start_app(repo_copy)
    assert result.returncode == 1
    problem = "is missing" if breakage == "missing" else "does not match the sha256 in weights/manifest.json"
    assert f"Cannot start: weights/{vit.name} {problem}" in result.stderr, result.stderr
    assert FIX in result.stderr
    assert "Running on" not in result.stdout
    assert "Traceback" not in result.stderr  # a message, not a crash
