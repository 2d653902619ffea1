"""ZeroGPU's decorator off ZeroGPU: the decorated handlers are the plain functions and answer as before; no handler is
async (ZeroGPU runs none)."""
import inspect

import pytest
import spaces

from images.decode import load_image
from models import load_pair
from models.inference import probabilities, top_k
from ui import explanations, panels
from ui.examples import EXAMPLES_DIR
from ui.gpu import LONG, QUICK, on_zerogpu

FACE = str(EXAMPLES_DIR / "toy_face.png")


def test_this_is_not_zerogpu():
    assert not on_zerogpu()


def test_off_zerogpu_the_decorator_returns_the_function_itself():
    def handler(x):
        return x

    assert spaces.GPU(duration=QUICK)(handler) is handler and spaces.GPU(handler) is handler
    assert 0 < QUICK < LONG <= 120


def test_a_decorated_handler_answers_as_the_models_do():
    pair = load_pair("toy")
    cnn, vit = probabilities(pair, pair.transform(load_image(FACE))[None])
    answer = panels.predict(FACE, "toy", 3)
    for model, probs in (("cnn", cnn), ("vit", vit)):
        expected = top_k(probs[0], pair.labels, 3)
        assert [e["label"] for e in answer[model]] == [e["label"] for e in expected]
        assert [e["score"] for e in answer[model]] == pytest.approx([e["score"] for e in expected], abs=1e-5)


def test_the_decorated_json_handlers_run_on_the_cpu():
    assert set(explanations.maps(FACE, "toy")["vit"]) == {"rollout", "gradcam", "chefer"}
    assert panels.sweep(FACE, "toy", "translate")["kind"] == "translate"
    assert panels.picasso("toy", 0)["variants"][0]["name"] == "clean"


def test_no_handler_is_async():
    from ui.demo import build_demo

    for block_fn in build_demo("toy").fns.values():
        fn = inspect.unwrap(block_fn.fn) if block_fn.fn else None
        assert not (inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)), block_fn.api_name
