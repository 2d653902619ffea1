"""Shared fixtures: small real models, built offline with random weights."""

import pytest
import timm
import torch


import runtime.precision
from harness.hub_cache import add_to_hub_cache
from models.pairs import ModelCard, Pair, Preprocessing
from models.vit import ViT

TINY_LABELS = [f"class_{i}" for i in range(5)]


def make_tiny_pair(seed: int = 0, labels: list[str] = TINY_LABELS, image_size: int = 32) -> Pair:
    """A Pair of a small timm ResNet and a tiny seed ViT (patch 8), random weights."""
    torch.manual_seed(seed)
    cnn = timm.create_model("resnet10t", num_classes=len(labels), channels=(8, 16, 32, 64), stem_width=8,
                            output_stride=16).eval()
    vit = ViT(image_size=image_size, patch_size=8, num_classes=len(labels), num_layers=2, num_heads=2, d_model=16,
              d_feedforward=32).eval()
    card = ModelCard("tiny", "tests", "none", "n/a", "MIT")
    prep = Preprocessing(image_size, 1.0, "bilinear", (0.5,) * 3, (0.5,) * 3, (0.5,) * 3, (0.5,) * 3)
    return Pair(name="tiny", description="test pair", cnn=cnn, vit=vit, labels=list(labels), preprocessing=prep,
                cnn_card=card, vit_card=card)


@pytest.fixture(autouse=True)
def unchanged_precision():
    """Every test leaves the process at the library's default precision, fp32, as the session started: a command's
    main() sets the precision, in a test or in a fixture shared by a module (set up before this one)."""
    yield
    runtime.precision.set_precision("fp32")


@pytest.fixture(scope="session")
def tiny_pair() -> Pair:
    return make_tiny_pair()


@pytest.fixture(scope="session")
def hub_cache(tmp_path_factory):
    """A Hub cache holding random-init weights of the resnet50-vs-deit-small pair (not of resnet50-vs-vit-base) and of
    the Theory tab's Swin-T."""
    cache = tmp_path_factory.mktemp("hub")
    for name in ["resnet50.a1_in1k", "deit_small_patch16_224.fb_in1k", "swin_tiny_patch4_window7_224.ms_in1k"]:
        add_to_hub_cache(cache, name)
    return cache


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The app on the toy pair, offline (no Hub pair can load), with an upload folder of this test module's own, so
    closing it never deletes files another test process serves."""
    from harness.app_server import running_app

    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("uploads")))
        env.setenv("HF_HUB_OFFLINE", "1")
        with running_app("toy") as running:
            yield running


@pytest.fixture(scope="module")
def app_url(demo) -> str:
    """The address of `demo`, without a trailing slash."""
    return demo.local_url.rstrip("/")


@pytest.fixture(scope="module")
def client(hub_cache, tmp_path_factory):
    """A gradio_client Client of the app on the toy pair whose Hub pairs load offline from the test cache."""
    from gradio_client import Client

    from harness.app_server import running_app

    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRADIO_TEMP_DIR", str(tmp_path_factory.mktemp("uploads")))
        env.setenv("HF_HUB_CACHE", str(hub_cache))
        env.setenv("HF_HUB_OFFLINE", "1")
        with running_app("toy") as running:
            yield Client(running.local_url, verbose=False)
