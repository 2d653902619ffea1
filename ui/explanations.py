"""The Compare panel and the maps as numbers: where each model looks, how faithful each map is to its model, and, on
the toy world's own pictures, whether it finds the object."""
import numpy as np
import torch
import torch.nn.functional as F
import gradio as gr
import spaces
from PIL import Image

from explain.faithfulness import STEPS
from explain.maps import CNN_MAPS, VIT_MAPS, Maps, crop_maps
from explain.overlay import as_picture, overlay
from explain.scores import RANDOM, faithfulness, localisation
from figures.faithfulness import MAP_NAMES, faithfulness_figure
from figures.theme import CNN_NAME, VIT_NAME
from models.inference import top_k
from models.pairs import Pair
from runtime.messages import Message
from runtime.precision import describe, precision
from toyworld.ground_truth import KnownImage, KnownImages
from ui.examples import TOY_EXAMPLES
from ui.gpu import LONG, QUICK
from ui.requests import TOP_CLASS, decoded_analysis, image_analysis, user_errors
from ui.strings import number, text, translated

KNOWN = KnownImages(list(TOY_EXAMPLES.values()))
"""The toy examples the app ships: their parts' masks are known, so their maps can be checked against them."""
OUTLINE = (0, 255, 255)  # cyan: visible on inferno's blacks, purples and yellows


def _label(probs: torch.Tensor, labels: list[str]) -> dict[str, float]:
    return {entry["label"]: entry["score"] for entry in top_k(probs, labels, 5)}


@spaces.GPU(duration=QUICK)
@user_errors
def compare(image, pair: str, head_fusion: str = "mean", discard_ratio: float = 0.9,
            class_name: str | None = TOP_CLASS):
    """Both models' top-5, latencies, the four maps (with the object's outline on toy examples) and the check of
    each map against the object, where the image's ground truth is known."""
    picture, a = decoded_analysis(image, pair, class_name)
    labels = a.pair.labels
    latency = text("latency", cnn_ms=a.cnn_ms, vit_ms=a.vit_ms, precision=describe(),
                   cnn_class=labels[a.cnn.target], vit_class=labels[a.vit.target])
    maps = crop_maps(a, head_fusion, float(discard_ratio))
    known = KNOWN.find(picture)
    mask = object_mask(a.pair, known) if known else None
    crop = as_picture(a.image01)  # converted once for the four overlays
    pictures = [outlined(overlay(crop, heat), mask) for heat in
                (maps.cnn["gradcam"], maps.vit["rollout"], maps.vit["gradcam"], maps.vit["chefer"])]
    return (_label(a.cnn.probs, labels), _label(a.vit.probs, labels), latency, *pictures,
            ground_truth_text(maps, known, mask))


def object_mask(pair: Pair, known: KnownImage) -> np.ndarray:
    """The known picture's object mask carried through the pair's crop, so it lies on the pixels the models saw."""
    picture = Image.fromarray(known.masks["object"].astype(np.uint8) * 255)
    return (pair.transform(picture)[0] > 0.5).numpy()


def outlined(picture: Image.Image, mask: np.ndarray | None) -> Image.Image:
    """The picture with the mask's boundary pixels painted in the outline colour (unchanged without a mask)."""
    if mask is None:
        return picture
    inside = torch.as_tensor(mask, dtype=torch.float32)[None, None]
    eroded = -F.max_pool2d(-inside, kernel_size=3, stride=1, padding=1)[0, 0] > 0
    boundary = mask & ~eroded.numpy()
    pixels = np.array(picture)
    pixels[boundary] = OUTLINE
    return Image.fromarray(pixels)


def ground_truth_text(maps: Maps, known: KnownImage | None, mask: np.ndarray | None) -> str:
    """The localisation readout: each map against the object's mask, or why there is none (in the request's
    language)."""
    if known is None or mask is None:
        return text("no_ground_truth")
    scores = localisation(maps, mask)
    area = scores["cnn"][RANDOM].mass.area
    rows = [text("ground_truth_header"), "|---|---|---|"]
    for key, name, names in (("cnn", CNN_NAME, CNN_MAPS), ("vit", VIT_NAME, VIT_MAPS)):
        for map_name in [*names, RANDOM]:
            s = scores[key][map_name]
            shown = text("random_map") if map_name == RANDOM else MAP_NAMES[map_name]
            pointed = text("hit") if s.hit else text("miss")
            rows.append(f"| {name} {shown} | {pointed} | {number(s.mass.inside, '.0%')} |")
    return (text("ground_truth", label=known.label, seed=known.seed, area=area) + "\n\n"
            + "\n".join(rows))


@spaces.GPU(duration=QUICK)
@user_errors
def maps(image, pair: str, class_name: str | None = TOP_CLASS) -> dict:
    """Where each model looks in an image, as numbers: the CNN's Grad-CAM and the ViT's attention rollout, Grad-CAM
    and Chefer et al. 2021 relevance maps.

    Args:
        image: the image, as an http(s) URL of a PNG, JPEG, GIF, BMP, TIFF, WebP or ICO file (at most 20 MB).
        pair: the models: "toy" (10 toy-world classes) or an ImageNet-1k pair (1000 classes).
        class_name: the class the class-specific maps explain: a label of the pair, or "(each model's top class)".

    Returns:
        "cnn": {"gradcam"} and "vit": {"rollout", "gradcam", "chefer"}: each map as rows of floats, "size" [H, W]
        "size": the crop both models see (64 × 64 on the toy pair, 224 × 224 on the ImageNet pairs)
        each map: 0 to 1, higher where the pixels matter more to the model; rollout is the same for every class
        "classes": {"cnn", "vit"}: the class each model's maps explain; "rollout": its head fusion and discard ratio
        "pair": the pair that answered; "precision": the arithmetic the models ran at (fp32, bf16 or fp16)
    """
    a = image_analysis(image, pair, class_name)
    m = crop_maps(a)
    return {"pair": pair, "size": list(m.size), "precision": precision(),
            "cnn": {name: _rows(heat) for name, heat in m.cnn.items()},
            "vit": {name: _rows(heat) for name, heat in m.vit.items()},
            "classes": {"cnn": a.pair.labels[m.cnn_target], "vit": a.pair.labels[m.vit_target]},
            "rollout": {"head_fusion": "mean", "discard_ratio": 0.9}}


def _rows(heat: torch.Tensor) -> list[list[float]]:
    return np.round(heat.numpy().astype(np.float64), 4).tolist()


def _faithfulness(image, pair_name: str, class_name: str | None, progress, head_fusion: str = "mean",
                  discard: float = 0.9) -> tuple[dict, dict]:
    progress(0.1, desc=translated(Message("computing_maps")))
    a = image_analysis(image, pair_name, class_name)
    m = crop_maps(a, head_fusion, discard)
    progress(0.3, desc=translated(Message("scoring_faithfulness")))
    scores = faithfulness(a.pair, a.image01, m)
    classes = {"cnn": a.pair.labels[m.cnn_target], "vit": a.pair.labels[m.vit_target]}
    return scores, classes


@spaces.GPU(duration=LONG)
@user_errors
def faithfulness_scores(image, pair: str, class_name: str | None = TOP_CLASS, progress=gr.Progress()) -> dict:
    """How faithful each map of /maps is to the model it explains (Petsiuk et al. 2018): the pixels a map ranks
    first are deleted (or revealed) step by step while the model is asked again, beside a random map.

    Args:
        image: the image, as an http(s) URL of a PNG, JPEG, GIF, BMP, TIFF, WebP or ICO file (at most 20 MB).
        pair: the models: "toy" (10 toy-world classes) or an ImageNet-1k pair (1000 classes).
        class_name: the class the maps explain and the models are scored on: a label, or "(each model's top class)".

    Returns:
        "cnn": {"gradcam", "random"} and "vit": {"rollout", "gradcam", "chefer", "random"}: the scores of each map
        "deletion_auc": mean probability (0 to 1) as the map's top pixels are blurred out; lower = more faithful
        "insertion_auc": mean probability (0 to 1) as they are revealed over a blurred copy; higher = more faithful
        "fractions", "deletion", "insertion": the curves: fraction of pixels changed, probability at each step
        "random": a random map, the baseline a faithful map beats; "classes": the class each model is scored on
        "steps": 25 steps of 4% of the pixels; "fill": what replaces deleted pixels; "pair"; "precision"
    """
    scores, classes = _faithfulness(image, pair, class_name, progress)
    return {"pair": pair, "classes": classes, "steps": STEPS, "fill": "blurred copy of the image",
            "precision": precision(),
            **{key: {name: s.to_json() for name, s in named.items()} for key, named in scores.items()}}


@spaces.GPU(duration=LONG)
@user_errors
def faithfulness_panel(image, pair: str, head_fusion: str = "mean", discard: float = 0.9,
                       class_name: str | None = TOP_CLASS, progress=gr.Progress()):
    """The deletion and insertion curves of every map as Compare draws them (its rollout's head fusion and discard
    ratio), AUCs in the legend."""
    scores, classes = _faithfulness(image, pair, class_name, progress, head_fusion, discard)
    return faithfulness_figure(scores, classes)
