"""Model pairs: a CNN and the seed's ViT, loaded once per process from weights/ or the Hub cache."""
import threading
from pathlib import Path
from dataclasses import dataclass, field
from typing import Callable

import timm
import torch
from PIL import Image
from timm.data import ImageNetInfo, resolve_data_config
from torch import nn
from torchvision.transforms import v2

from models import hub
from models.bundled import WEIGHTS_DIR, load_bundled, read_manifest
from models.normalization import Normalization, NormalizedCNN
from models.vit import ViT, from_timm
from runtime.device import compute_device
from runtime.messages import Message


@dataclass(frozen=True)
class ModelCard:
    """What a model is and where it comes from, as shown in the app and README; a phrase the app writes in the
    visitor's language is a Message."""
    name: str
    source: str
    training_data: str | Message
    top1: str | Message
    license: str
    parameters: int = 0


@dataclass(frozen=True)
class HubPair:
    """A pair of timm models whose weights come from the Hugging Face Hub."""
    description: str
    cnn_model: str
    vit_model: str
    cnn_card: ModelCard
    vit_card: ModelCard

    @property
    def repos(self) -> tuple[str, str]:
        return f"timm/{self.cnn_model}", f"timm/{self.vit_model}"


@dataclass(frozen=True)
class Preprocessing:
    """Geometry shared by both models (so their maps overlay the same pixels) and each model's normalisation."""
    size: int
    crop_pct: float
    interpolation: str
    cnn_mean: tuple[float, ...]
    cnn_std: tuple[float, ...]
    vit_mean: tuple[float, ...]
    vit_std: tuple[float, ...]


@dataclass
class Pair:
    """Two loaded models, their labels and preprocessing.

    `transform` is the crop both models share (so their maps overlay the same pixels), to [0, 1]; each model
    applies its own normalisation inside, so `pair.cnn(pair.transform(image)[None])` is the right call (on a GPU,
    with the batch moved to the model's device first: `runtime.device.module_device(pair.cnn)`).
    """
    name: str
    description: str
    cnn: NormalizedCNN
    vit: ViT
    labels: list[str]
    preprocessing: Preprocessing
    cnn_card: ModelCard
    vit_card: ModelCard
    transform: Callable[[Image.Image], torch.Tensor] = field(init=False)

    def __post_init__(self) -> None:
        p = self.preprocessing
        resize = round(p.size / p.crop_pct)
        self.transform = v2.Compose([
            v2.PILToTensor(),
            v2.Resize(resize, interpolation=v2.InterpolationMode(p.interpolation), antialias=True),
            v2.CenterCrop(p.size),
            v2.ToDtype(torch.float32, scale=True),
        ])
        if not isinstance(self.cnn, NormalizedCNN):
            self.cnn = NormalizedCNN(self.cnn, p.cnn_mean, p.cnn_std)
        self.vit.normalize = Normalization(p.vit_mean, p.vit_std)

    @property
    def input_size(self) -> int:
        return self.preprocessing.size


TOY_DESCRIPTION = ("Bundled, offline: a small timm ResNet and the seed's ViT, both trained from scratch here "
                   "on the procedural toy world (10 part-based classes, 64×64).")

RESNET50_CARD = ModelCard("ResNet-50 (timm resnet50.a1_in1k)", "hf.co/timm/resnet50.a1_in1k", "ImageNet-1k",
                          "80.4% (ResNet strikes back, A1, 224 px)", "apache-2.0")

HUB_PAIRS = {
    "resnet50-vs-deit-small": HubPair(
        description="The fair pair: ResNet-50 against DeiT-Small, both trained on ImageNet-1k only, "
                    "similar size (25.6M vs 22M parameters) and accuracy (80.4% vs 79.9%).",
        cnn_model="resnet50.a1_in1k",
        vit_model="deit_small_patch16_224.fb_in1k",
        cnn_card=RESNET50_CARD,
        vit_card=ModelCard("DeiT-Small/16 (timm deit_small_patch16_224.fb_in1k)",
                           "hf.co/timm/deit_small_patch16_224.fb_in1k", "ImageNet-1k",
                           "79.9% (timm results; DeiT paper: 79.8%)", "apache-2.0"),
    ),
    "resnet50-vs-vit-base": HubPair(
        description="Not like-for-like: ResNet-50 (ImageNet-1k only) against ViT-Base/16 pretrained on "
                    "ImageNet-21k then fine-tuned on 1k (85.1%), with 3.4× the parameters and about 11× more "
                    "training images.",
        cnn_model="resnet50.a1_in1k",
        vit_model="vit_base_patch16_224.augreg2_in21k_ft_in1k",
        cnn_card=RESNET50_CARD,
        vit_card=ModelCard("ViT-Base/16 (timm vit_base_patch16_224.augreg2_in21k_ft_in1k)",
                           "hf.co/timm/vit_base_patch16_224.augreg2_in21k_ft_in1k",
                           Message("imagenet_21k_fine_tuned"), "85.1% (timm results, 224 px)",
                           "apache-2.0"),
    ),
}

ARRANGEMENT_DESCRIPTION = ("Bundled, offline: the toy pair's architectures trained from scratch on the arrangement "
                           "task (the ten toy classes plus 'jumbled face': a face's parts out of place), "
                           "`python -m lab.arrangement`.")
BUNDLED_PAIRS: dict[str, tuple[str, str, str]] = {
    "toy": ("toy_cnn", "toy_vit", TOY_DESCRIPTION),
    "toy-arrangement": ("arrangement_cnn", "arrangement_vit", ARRANGEMENT_DESCRIPTION),
}
"""Pairs whose weights are in weights/: (CNN's manifest key, ViT's manifest key, description). The toy pair is always
offered; another only once weights/manifest.json lists it (then its files must be there: a listed file that is
missing or altered is an error when the pair loads)."""

PAIRS: dict[str, str] = {name: description for name, (cnn_key, _, description) in BUNDLED_PAIRS.items()
                         if name == "toy" or cnn_key in read_manifest()} | {
    name: spec.description for name, spec in HUB_PAIRS.items()}

_loaded: dict[str, Pair] = {}
_locks: dict[str, threading.Lock] = {name: threading.Lock() for name in PAIRS}


def load_pair(name: str) -> Pair:
    """The named pair, loaded on first use and shared afterwards, on the process's device (the CUDA GPU when there
    is one); safe to call from several threads."""
    if name not in PAIRS:
        raise ValueError(f"unknown pair {name!r}; choose one of: {', '.join(PAIRS)}")
    with _locks[name]:
        if name not in _loaded:
            pair = _load_bundled(name) if name in BUNDLED_PAIRS else _load_hub(name, HUB_PAIRS[name])
            # Served models never learn: frozen parameters keep autograd from recording the trunk when an
            # explanation differentiates from the last stage or block only (training takes its own copy).
            pair.cnn.requires_grad_(False)
            pair.vit.requires_grad_(False)
            # Placed once: each model call moves its request's tensors to the model (runtime.device). The CNN's
            # weights go channels-last (the same float32 values, laid out as oneDNN's and cuDNN's convolutions
            # want them): its activations follow, which saves a reorder per layer (B2, B3 in BENCHMARKS.md).
            pair.cnn.to(compute_device(), memory_format=torch.channels_last)
            pair.vit.to(compute_device())
            _loaded[name] = pair
        return _loaded[name]


def count_parameters(model: nn.Module) -> int:
    """Number of parameters of a model."""
    return sum(p.numel() for p in model.parameters())


def _with_count(card: ModelCard, model: nn.Module) -> ModelCard:
    return ModelCard(**{**card.__dict__, "parameters": count_parameters(model)})


def load_training_run(folder: Path, name: str = "toy") -> Pair:
    """Another training run of a bundled pair: its weights in `folder` beside a manifest.json written as
    weights/manifest.json is (same keys, hashes checked); loaded on the CPU each call, not shared."""
    return _load_bundled(name, folder)


def _load_bundled(name: str, weights_dir: Path = WEIGHTS_DIR) -> Pair:
    cnn_key, vit_key, description = BUNDLED_PAIRS[name]
    cnn, cnn_entry = load_bundled(cnn_key, weights_dir)
    vit, vit_entry = load_bundled(vit_key, weights_dir)
    prep = cnn_entry["preprocessing"]
    vit_prep = vit_entry["preprocessing"]
    toy = name == "toy"
    cards = [ModelCard(entry["name"], f"weights/{entry['file']}",
                       Message("toy_world_training" if toy else "arrangement_task_training",
                               images=entry["provenance"]["training_set"]),
                       Message("toy_world_accuracy" if toy else "arrangement_task_accuracy",
                               accuracy=entry["provenance"]["test_accuracy"]), "MIT")
             for entry in (cnn_entry, vit_entry)]
    return Pair(
        name=name, description=description, cnn=cnn, vit=vit, labels=list(cnn_entry["labels"]),
        preprocessing=Preprocessing(prep["size"], 1.0, "bilinear", tuple(prep["mean"]), tuple(prep["std"]),
                                    tuple(vit_prep["mean"]), tuple(vit_prep["std"])),
        cnn_card=_with_count(cards[0], cnn), vit_card=_with_count(cards[1], vit),
    )


def _load_timm(model_name: str, pair_name: str) -> nn.Module:
    """A timm model with its Hub weights from the cache, the architecture checked against config.json."""
    files = hub.fetch(f"timm/{model_name}", pair_name)
    architecture = hub.read_config(files["config.json"]).get("architecture")
    if architecture != model_name.split(".")[0]:
        raise hub.WeightsUnavailable("weights_wrong_architecture", repo=f"timm/{model_name}", found=architecture,
                                     expected=model_name.split(".")[0])
    model = timm.create_model(model_name, pretrained=True,
                              pretrained_cfg_overlay={"file": str(files["model.safetensors"])})
    return model.eval()


def _load_hub(name: str, spec: HubPair) -> Pair:
    cnn = _load_timm(spec.cnn_model, name)
    timm_vit = _load_timm(spec.vit_model, name)
    vit = from_timm(timm_vit)
    cnn_cfg = resolve_data_config({}, model=cnn)
    vit_cfg = resolve_data_config({}, model=timm_vit)
    preprocessing = Preprocessing(
        size=vit_cfg["input_size"][-1], crop_pct=vit_cfg["crop_pct"], interpolation=vit_cfg["interpolation"],
        cnn_mean=cnn_cfg["mean"], cnn_std=cnn_cfg["std"], vit_mean=vit_cfg["mean"], vit_std=vit_cfg["std"],
    )
    labels = [description.split(",")[0] for description in ImageNetInfo().label_descriptions()]
    return Pair(name=name, description=spec.description, cnn=cnn, vit=vit, labels=labels,
                preprocessing=preprocessing, cnn_card=_with_count(spec.cnn_card, cnn),
                vit_card=_with_count(spec.vit_card, vit))
