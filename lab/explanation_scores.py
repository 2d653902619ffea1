"""Explanations checked against ground truth over held-out toy images: does each map find the object, and is it
faithful to the model it explains?

For each of the first `count` images of the toy world's test split (classes in equal numbers), drawn with
toyworld.render_with_masks so the object's mask matches the image pixel for pixel, every map the app draws
(the CNN's Grad-CAM; the ViT's rollout, last-block Grad-CAM and Chefer map) explains its model's top-1 class, at
the crop's resolution (explain.maps). Each is scored as explain.scores scores one image: pointing game and mass
inside the object's mask, deletion and insertion AUC against the model it explains, beside a random map (a new one
per image, the same for both models) as the baseline. The per-image records aggregate into 95% intervals (Wilson
for the pointing game, normal approximation for means), over all images and split by whether the explaining
model's top-1 is the true class. The CNN's Grad-CAM is also scored on the stage whose grid is the ViT's patch grid
(SAME_GRID, explain.stage_gradcam), so that one row compares maps of the same resolution.
"""
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass, replace

import numpy as np
import torch

from explain.analysis_cache import Analysis
from explain.faithfulness import STEPS
from explain.maps import CNN_MAPS, VIT_MAPS, Maps, crop_maps
from explain.passes import cnn_pass, vit_pass
from explain.resize import upsampled
from explain.scores import RANDOM, faithfulness, localisation
from explain.stage_gradcam import matching_stage, stage_gradcam
from lab.statistics import Interval, mean_ci, wilson
from models.pairs import Pair
from runtime.precision import precision
from toyworld import render_with_masks
from toyworld.splits import sample

SPLIT = "test"
SAME_GRID = "gradcam_vit_grid"
"""The CNN's Grad-CAM on the stage whose grid is the ViT's (scored where the CNN has such a stage)."""
MAP_NAMES: dict[str, tuple[str, ...]] = {"cnn": (*CNN_MAPS, SAME_GRID, RANDOM), "vit": (*VIT_MAPS, RANDOM)}
"""Per model, the maps scored, in table order; RANDOM is the baseline."""
SUBSETS = ("all", "correct", "wrong")
"""Images summarised: all, or those the explaining model classifies correctly / wrongly."""

Progress = Callable[[int, int], None]
"""Called with (images done, images in all) after each image."""


@dataclass(frozen=True)
class MapRecord:
    """One map's scores on one image."""
    index: int  # sample index in the test split
    label: str  # the true class
    model: str  # "cnn" or "vit": the model the map explains
    name: str  # the map, a key of MAP_NAMES[model]
    correct: bool  # whether that model's top-1 (the class explained) is the true class
    hit: bool  # pointing game: the map's maximum on the object, dilated by one pixel
    inside: float  # share of the map's mass on the object (nan for an all-zero map)
    area: float  # share of the crop the object covers
    deletion: float  # AUC, lower is better
    insertion: float  # AUC, higher is better
    blurred: float  # the model's probability of the class on the fully blurred image (where deletion ends)


@dataclass(frozen=True)
class MapSummary:
    """One map over a set of images: each measure with its 95% interval."""
    model: str
    name: str
    count: int
    pointing: Interval  # hit rate, Wilson
    inside: tuple[float, float]  # mean mass on the object, (mean, half-width); all-zero maps left out
    area: tuple[float, float]  # mean share of the crop the object covers
    above_area: Interval  # share of images whose mass inside exceeds the area share, Wilson
    deletion: tuple[float, float]
    insertion: tuple[float, float]
    empty: int  # all-zero maps (no mass to place)

    def to_json(self) -> dict:
        """Every field as plain JSON types: intervals as [value, low, high], (mean, half-width) as a list."""
        return _plain(vars(self))


@dataclass(frozen=True)
class ExplanationScores:
    """Every map's per-image scores on `count` held-out toy images; summaries on demand; JSON both ways."""
    pair: str
    count: int
    steps: int
    records: list[MapRecord]
    grids: dict[str, tuple[int, int]]  # per model (and SAME_GRID), the grid its maps are computed on, before upsampling
    precision: str  # what the models computed in (runtime.precision)

    def summary(self, subset: str = "all") -> list[MapSummary]:
        """Per map, in table order, over all images or those its model classifies correctly or wrongly."""
        if subset not in SUBSETS:
            raise ValueError(f"unknown subset {subset!r}; valid: {', '.join(SUBSETS)}")
        keep = {"all": lambda r: True, "correct": lambda r: r.correct, "wrong": lambda r: not r.correct}[subset]
        return [summarise(model, name, [r for r in self.records if r.model == model and r.name == name and keep(r)])
                for model, name in self.maps()]

    def maps(self) -> list[tuple[str, str]]:
        """(model, map) pairs present in the records, in table order."""
        present = {(r.model, r.name) for r in self.records}
        return [(model, name) for model, names in MAP_NAMES.items() for name in names if (model, name) in present]

    def accuracy(self, model: str) -> Interval:
        """The model's top-1 accuracy on the images, Wilson."""
        correct = {r.index: r.correct for r in self.records if r.model == model}
        return wilson(sum(correct.values()), len(correct))

    def blurred_probability(self, model: str) -> tuple[float, float]:
        """Mean probability the model keeps for its class on the fully blurred image, (mean, half-width)."""
        return mean_ci(list({r.index: r.blurred for r in self.records if r.model == model}.values()))

    def paired(self, measure: str, first: tuple[str, str], second: tuple[str, str],
               subset: str = "all") -> tuple[float, float]:
        """Mean per-image difference first − second of a measure ("hit", "excess" = inside − area, "deletion",
        "insertion"), with its 95% half-width, over the images both maps were scored on."""
        def values(model: str, name: str) -> dict[int, float]:
            rows = [r for r in self.records if (r.model, r.name) == (model, name)
                    and (subset == "all" or r.correct == (subset == "correct"))]
            return {r.index: _measure(r, measure) for r in rows}
        a, b = values(*first), values(*second)
        differences = [a[i] - b[i] for i in a.keys() & b.keys() if np.isfinite(a[i] - b[i])]
        return mean_ci(differences) if differences else (float("nan"), float("nan"))

    def to_json(self) -> dict:
        """Records and summaries as plain JSON types."""
        return {"pair": self.pair, "count": self.count, "steps": self.steps, "grids": _plain(self.grids),
                "precision": self.precision,
                "records": [_plain(asdict(r)) for r in self.records],
                "summary": {subset: [s.to_json() for s in self.summary(subset)] for subset in SUBSETS}}

    @classmethod
    def from_json(cls, data: Mapping) -> "ExplanationScores":
        """The scores back from to_json's output (summaries are recomputed)."""
        records = [MapRecord(**{k: (float("nan") if v is None else v) for k, v in r.items()}) for r in data["records"]]
        return cls(pair=data["pair"], count=data["count"], steps=data["steps"], records=records,
                   grids={model: tuple(grid) for model, grid in data["grids"].items()}, precision=data["precision"])


def summarise(model: str, name: str, records: list[MapRecord]) -> MapSummary:
    """One map's records aggregated with 95% intervals (nan where there are no images)."""
    nan2, nan3 = (float("nan"),) * 2, Interval(*(float("nan"),) * 3)
    if not records:
        return MapSummary(model, name, 0, nan3, nan2, nan2, nan3, nan2, nan2, 0)
    massed = [r for r in records if np.isfinite(r.inside)]
    return MapSummary(
        model=model, name=name, count=len(records),
        pointing=wilson(sum(r.hit for r in records), len(records)),
        inside=mean_ci([r.inside for r in massed]) if massed else nan2,
        area=mean_ci([r.area for r in records]),
        above_area=wilson(sum(r.inside > r.area for r in massed), len(records)),
        deletion=mean_ci([r.deletion for r in records]),
        insertion=mean_ci([r.insertion for r in records]),
        empty=len(records) - len(massed),
    )


def score_explanations(pair: Pair, count: int, *, maps: Mapping[str, Collection[str]] | None = None,
                       steps: int = STEPS, progress: Progress | None = None) -> ExplanationScores:
    """Score every map (or, per model, only the named `maps`; the random baseline always) on the first `count`
    images of the toy test split. The pair's crop must be the whole toy image, so the masks fit the maps."""
    blank = torch.zeros(3, pair.input_size, pair.input_size)
    grids = {"cnn": tuple(cnn_pass(pair, blank).gradcam.shape), "vit": (pair.vit.grid_size,) * 2}
    stage = matching_stage(pair)
    if stage:
        grids[SAME_GRID] = (pair.vit.grid_size,) * 2
    records = []
    for index in range(count):
        records += score_image(pair, index, maps=maps, steps=steps, same_grid_stage=stage)
        if progress is not None:
            progress(index + 1, count)
    return ExplanationScores(pair=pair.name, count=count, steps=steps, records=records, grids=grids,
                             precision=precision())


def score_image(pair: Pair, index: int, *, maps: Mapping[str, Collection[str]] | None = None,
                steps: int = STEPS, same_grid_stage: str | None = None) -> list[MapRecord]:
    """Every map's records on test image `index`, each explaining its model's top-1 class; with the CNN's Grad-CAM
    on `same_grid_stage` too, when named."""
    label, seed = sample(SPLIT, index)
    image, masks = render_with_masks(label, seed)
    image01 = pair.transform(image)
    pixels = torch.from_numpy(np.asarray(image).copy()).permute(2, 0, 1)
    if image01.shape != pixels.shape or not torch.equal((image01 * 255).round().to(torch.uint8), pixels):
        raise ValueError(f"pair {pair.name!r} does not show the toy image pixel for pixel "
                         f"(crop {tuple(image01.shape)}), so the object's mask would not fit its maps")
    # The passes directly, not explain.analysis_cache.analyse: a dataset must not flush the app's cache.
    cnn, vit = cnn_pass(pair, image01), vit_pass(pair, image01)
    every = crop_maps(Analysis(pair, image01, cnn, vit, 0.0, 0.0))
    if same_grid_stage:
        same_grid = upsampled(stage_gradcam(pair, image01, same_grid_stage, cnn.target), every.size).clamp(0, 1)
        every = replace(every, cnn={**every.cnn, SAME_GRID: same_grid})
    chosen = every if maps is None else _only(every, maps)
    faithful = faithfulness(pair, image01, chosen, steps, seed=seed)
    located = localisation(chosen, masks["object"], seed=seed)
    truth = pair.labels.index(label)
    correct = {"cnn": cnn.target == truth, "vit": vit.target == truth}
    return [MapRecord(index=index, label=label, model=model, name=name, correct=correct[model],
                      hit=located[model][name].hit, inside=located[model][name].mass.inside,
                      area=located[model][name].mass.area, deletion=scores.deletion.auc,
                      insertion=scores.insertion.auc, blurred=float(scores.deletion.probs[-1]))
            for model, named in faithful.items() for name, scores in named.items()]


def _only(maps: Maps, names: Mapping[str, Collection[str]]) -> Maps:
    for model, wanted in names.items():
        unknown = set(wanted) - set(MAP_NAMES[model])
        if unknown:
            raise ValueError(f"unknown {model} maps {sorted(unknown)}; valid: {', '.join(MAP_NAMES[model])}")
    return replace(maps, cnn={k: v for k, v in maps.cnn.items() if k in names.get("cnn", ())},
                   vit={k: v for k, v in maps.vit.items() if k in names.get("vit", ())})


def _measure(record: MapRecord, measure: str) -> float:
    if measure == "excess":
        return record.inside - record.area
    return float(getattr(record, measure))


def _plain(value):
    """JSON-safe: tuples to lists, nan to None, floats to 6 decimals (far below any difference the report reads)."""
    if isinstance(value, Interval):
        return _plain(value.to_json())
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.bool_, np.floating, np.integer)):
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if np.isfinite(value) else None
    return value
