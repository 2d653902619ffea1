"""The precision setting reaches every model call: each panel, the training loop and the API answers; and bf16 keeps
the toy pair's predictions (fidelity itself is measured by `benchmarks/run.py`, not asserted here)."""
import contextlib

import pytest
import torch
from torch import nn

from explain.analysis_cache import ANALYSIS_CACHE
from models import load_pair
from models.bundled import build_model
from models.inference import probabilities
from runtime.precision import LOWER, precision, precision_set
from toyworld import LABELS
from toyworld.data import split_tensors
from training.loop import Optimisation, fit
from training.recipes import TOY_VIT
from ui import explanations, panels
from ui.examples import EXAMPLES_DIR

FACE = str(EXAMPLES_DIR / "toy_face.png")
COMPUTING = (nn.Conv2d, nn.Linear)
"""The layers whose output dtype says what precision a model computed at."""


@contextlib.contextmanager
def computed_dtypes(*models: nn.Module):
    """Per model, the set of output dtypes of its convolutions and linear layers over the block's forwards."""
    seen = [set() for _ in models]
    handles = [layer.register_forward_hook(lambda module, args, output, found=found: found.add(output.dtype))
               for model, found in zip(models, seen) for layer in model.modules() if isinstance(layer, COMPUTING)]
    try:
        yield seen
    finally:
        for handle in handles:
            handle.remove()


PANELS = {
    "compare": lambda: explanations.compare(FACE, "toy"),
    "maps": lambda: explanations.maps(FACE, "toy"),
    "faithfulness": lambda: explanations.faithfulness_scores(FACE, "toy"),
    "faithfulness_panel": lambda: explanations.faithfulness_panel(FACE, "toy"),
    "predict": lambda: panels.predict(FACE, "toy"),
    "inside": lambda: panels.inside(FACE, "toy"),
    "how_far": lambda: panels.how_far(FACE, "toy"),
    "cls_attention": lambda: panels.cls_attention_map(FACE, "toy", 1, 0),
    "sweep": lambda: panels.sweep(FACE, "toy", "rotate"),
    "sweep_panel": lambda: panels.sweep_panel(FACE, "toy", "drop"),
    "picasso": lambda: panels.picasso("toy", 0),
    "picasso_panel": lambda: panels.picasso_panel("toy", 1),
}


@pytest.mark.parametrize("panel", list(PANELS))
def test_every_panel_runs_both_models_at_bf16(panel):
    pair = load_pair("toy")
    with precision_set("bf16") as name:
        ANALYSIS_CACHE.clear()  # so the panel runs the models itself
        with computed_dtypes(pair.cnn, pair.vit) as (cnn, vit):
            PANELS[panel]()
    assert cnn == vit == {LOWER[name]}, (cnn, vit)


@pytest.mark.parametrize("panel, answer", [
    ("predict", lambda: panels.predict(FACE, "toy")),
    ("maps", lambda: explanations.maps(FACE, "toy")),
    ("faithfulness", lambda: explanations.faithfulness_scores(FACE, "toy")),
    ("sweep", lambda: panels.sweep(FACE, "toy", "translate")),
    ("picasso", lambda: panels.picasso("toy", 0)),
])
def test_every_answer_with_scores_names_its_precision(panel, answer):
    for setting in ("fp32", "bf16"):
        with precision_set(setting) as name:
            assert answer()["precision"] == name


def test_the_latency_line_names_the_precision():
    with precision_set("bf16") as name:
        latency = explanations.compare(FACE, "toy")[2]
    assert f"at {name} (" in latency
    with precision_set("fp32"):
        assert "at fp32 (" in explanations.compare(FACE, "toy")[2]


def test_an_analysis_is_not_reused_across_precisions():
    pair = load_pair("toy")
    ANALYSIS_CACHE.clear()
    with precision_set("fp32"):
        panels.predict(FACE, "toy")
    with precision_set("bf16") as name, computed_dtypes(pair.vit) as (vit,):
        panels.predict(FACE, "toy")
    assert vit == {LOWER[name]}


@pytest.mark.slow
def test_training_at_bf16_keeps_float32_weights_and_repeats_itself():
    images, labels = split_tensors("train", 64)
    data = (images * 2 - 1, labels)

    def trained() -> dict[str, torch.Tensor]:
        torch.manual_seed(0)
        model = build_model(TOY_VIT.manifest_fields() | {"labels": LABELS})
        with computed_dtypes(model) as (seen,):
            fit(model, data, data, Optimisation(epochs=1, lr=1e-3, label_smoothing=0.1, batch_size=32), seed=0,
                desc="test")
        assert seen == {LOWER[precision()]}
        return model.state_dict()

    with precision_set("bf16"):
        first, second = trained(), trained()
    assert {value.dtype for value in first.values()} == {torch.float32}
    assert all(torch.equal(first[key], second[key]) for key in first), "same seed, same precision, same weights"


def test_bf16_top1_agrees_with_fp32_on_50_toy_images():
    pair = load_pair("toy")
    images, _ = split_tensors("test", 50)
    with precision_set("fp32"):
        exact = probabilities(pair, images)
    with precision_set("bf16"):
        lower = probabilities(pair, images)
    for a, b in zip(exact, lower):
        assert b.dtype == torch.float32
        assert (a.argmax(-1) == b.argmax(-1)).double().mean() >= 0.98
