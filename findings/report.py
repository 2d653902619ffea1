"""Measure the homework's claims C1–C14 (lab.claim_list) and write FINDINGS.md and findings/results.json:
`python -m findings.report` (see --help).

On the toy pair it uses held-out toy-world test images; on a Hub pair, the images of a folder you name (then C2 and
C4, which need object masks, are not testable). C13, C14 and the ablations behind C7 and C9 come from the
arrangement experiment's results file (--arrangement) once it exists.
"""
import argparse
import json
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import torch
from tqdm import tqdm

from lab import claims, swin
from lab.attention_shares import measure_attention_shares
from lab.claim_list import CLAIMS, claim
from lab.dataset_sweeps import DatasetSweep, sweep_dataset
from lab.explanation_scores import SAME_GRID, ExplanationScores, MapSummary, score_explanations
from lab.picasso import FACE, FaceRates, call_rates, face_calls, typical_seed
from lab.statistics import Interval
from lab.reach import reach
from figures.reach import reach_figure
from figures.picasso import recognition_figure
from figures.sweeps import dataset_sweep_figure
from models import load_pair
from models.pairs import Pair
from toyworld.data import split_tensors
from training.augment import MAX_SHIFT_PX
from findings.arrangement import arrangement_section, save_figures, task_rates
from findings.photos import cached_hub_pairs, measure_photos, photos_section
from figures.explanations import looking_distance_figure
from figures.theory import complexity_figure
from figures.filters import filters_figure
from lab.filters import cnn_filters, patch_filters, principal_components
from figures.explanation_scores import explanation_scores_figure, map_label
from explain.scores import RANDOM
from images.decode import load_image
from runtime.precision import SETTINGS, default_setting, precision, set_precision

ROOT = Path(__file__).resolve().parent.parent
TOY_TRAINING = ("Here the toy world draws objects at random positions and training adds shifts of up to "
                f"{MAX_SHIFT_PX} px, but no rotations beyond a few degrees of pose jitter.")
HUB_TRAINING = ("ImageNet training used random resized crops and flips; RandAugment's operations include "
                "rotations of up to about 30°.")
QUICK_COUNT = 12
"""Held-out images, Picasso faces and C2's images in --quick."""
FACE_SEEDS = 3_000_000
"""The first Picasso face seed: outside the train, val and test seed ranges."""
NO_MASKS = "needs object masks, which only the toy world draws; this pair was measured on photos"
ARRANGEMENT = {
    "fine_tuning": "C13: {\"accuracy\": [validation accuracy after each epoch], \"evaluated\": validation images}",
    "misclassified": "C14: {\"object_mass\": [...], \"object_area\": [...], \"right_later\": count, "
                     "\"after_epoch\": n} over the validation images misclassified after n epochs (default 5)",
    "moved_without_pooling": "C7: [share, low, high] of moved-part faces the CNN without global pooling calls a face",
    "homework_without_position": "C9: [share, low, high] of the homework's faces the ViT without position "
                                 "embeddings calls a face",
    "models": "per architecture of the arrangement experiment (cnn_pooled, cnn_flattened, vit_position, "
              "vit_no_position), trained on the largest set: parameters, steps, wall time, validation history, "
              "device, precision, face_vs_jumbled, test_accuracy, held_out_called_face per variant, "
              "shuffle_top1_kept per grid",
    "learning_curve": "{\"sizes\": [...], \"accuracy\": {architecture: [[share, low, high] face vs jumbled face "
                      "per size]}, \"wall_time_s\": {architecture: [...]}, \"computed\": [{command, device, precision, "
                      "hardware, threads, date} per size]}",
    "fine_tuning_protocol": "how C13's and C14's run was made: pretrained weights, images, epochs, optimiser, "
                            "device, precision, wall time",
    "provenance": "the command, seed, budget, machine and date of the arrangement run",
}
"""The arrangement experiment's results file: each key optional, with what it holds."""


@dataclass(frozen=True)
class Measured:
    """Everything the report writes: the claims in order, and the measurements beyond them."""
    findings: list[claims.Finding]  # C1–C14
    sweeps: dict[str, DatasetSweep]
    picasso: FaceRates  # results.json's "picasso"
    explanations: ExplanationScores | None  # toy pairs only


def folder_images(pair: Pair, folder: Path) -> torch.Tensor:
    """Every decodable image of a folder, preprocessed as the pair does."""
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    images = [pair.transform(load_image(p)) for p in paths]
    if not images:
        raise SystemExit(f"no images found in {folder}")
    return torch.stack(images)


def load_arrangement(path: Path | None) -> dict:
    """The arrangement experiment's results (keys of ARRANGEMENT), or {} without a file; unknown keys fail."""
    if path is None:
        return {}
    data = json.loads(path.read_text())
    unknown = set(data) - set(ARRANGEMENT)
    if unknown:
        raise SystemExit(f"{path}: unknown keys {sorted(unknown)}; expected some of {', '.join(ARRANGEMENT)}")
    return data


def _bar(desc: str, total: int):
    bar = tqdm(total=total, desc=desc, unit="image")
    return bar, lambda *_: bar.update(1)


def measure(pair: Pair, images01: torch.Tensor, seeds: list[int], out: Path, quick: bool,
            arrangement: dict | None = None) -> Measured:
    """Run every measurement, save the figures under out/findings; the claims' findings in order and the rest."""
    arrangement = arrangement or {}
    figures = out / "findings"
    figures.mkdir(parents=True, exist_ok=True)
    training = TOY_TRAINING if pair.name == "toy" else HUB_TRAINING
    sweeps = {}
    for kind in ("translate", "rotate", "shuffle", "drop"):
        bar, tick = _bar(f"{kind} sweep", len(images01))
        sweeps[kind] = sweep_dataset(pair, images01, kind, progress=tick)
        bar.close()
        dataset_sweep_figure(sweeps[kind]).savefig(figures / f"{kind}.png", dpi=100)
    bar, tick = _bar("Picasso faces", len(seeds))
    calls = face_calls(pair, seeds, progress=tick)
    bar.close()
    rates = call_rates(calls)
    measured_as = "share called 'face'" if FACE in pair.labels else "share given the clean face's top-1 class"
    recognition_figure(rates, measured_as, len(seeds)).savefig(figures / "picasso.png", dpi=100)
    locality, looking = claims.locality(pair, images01[:100])
    looking_distance_figure(looking.cnn, looking.vit, pair.input_size, looking.locations, looking.attention,
                            looking.receptive_fields).savefig(figures / "distance.png", dpi=100)
    scores = None
    if pair.name == "toy":  # masks exist only for toy images
        bar, tick = _bar("attention shares", len(images01))
        where = claims.where_it_looks(measure_attention_shares(pair, len(images01), progress=tick))
        bar.close()
        scores = measure_explanations(pair, EXPLANATION_QUICK_COUNT if quick else len(images01), out)
    else:
        where = claims.Finding("C2", "", None, None, "not testable here", NO_MASKS)
    interpretable = claims.interpretability(pair)
    filters_figure(cnn_filters(pair.cnn.model), principal_components(patch_filters(pair.vit))).savefig(
        figures / "filters.png", dpi=100)
    sides = (7, 14, 28) if quick else (7, 14, 28, 56)
    cost, timings = claims.attention_cost(sides=sides, repeats=2 if quick else 5)
    complexity_figure(swin.CHANNELS, swin.WINDOW, list(sides), timings).savefig(figures / "attention_cost.png", dpi=100)
    reached = reach()
    reach_figure(reached).savefig(figures / "reach.png", dpi=100)
    pooling, position = arrangement.get("moved_without_pooling"), arrangement.get("homework_without_position")
    if "models" in arrangement:  # C7–C9 on the task where arrangement matters; the report pair's faces as context
        face_rates = task_rates(arrangement)
        source = claims.arrangement_faces(arrangement["provenance"]["budget"]["test_count"], rates)
    else:
        face_rates, source = rates, claims.picasso_faces(len(seeds), measured_as)
    findings = [
        claims.parameters(pair),
        where,
        locality,
        interpretable,
        claims.rotation(sweeps["rotate"], training),
        claims.translation(sweeps["translate"], training),
        claims.moved_parts(face_rates, source, Interval(*pooling) if pooling else None),
        claims.homework_face_cnn(face_rates, source),
        claims.homework_face_vit(face_rates, source, Interval(*position) if position else None),
        claims.mha_count(),
        cost,
        claims.window_reach(reached),
        claims.underfit(arrangement.get("fine_tuning")),
        claims.right_parts(arrangement.get("misclassified")),
    ]
    assert [f.id for f in findings] == [c.id for c in CLAIMS]
    picasso = FaceRates(len(seeds), measured_as, rates, typical_seed(calls, seeds))
    return Measured(findings, sweeps, picasso, scores)


def anchor(id: str) -> str:
    """The stable anchor of a claim's section in FINDINGS.md (its heading also carries the verdict)."""
    return id.lower()


def write_findings(path: Path, pair: Pair, measured: Measured, count: int, command: str, seconds: float) -> None:
    """FINDINGS.md: the claims at a glance, one section per claim in the homework's order, then what else was
    measured (not the homework's claims)."""
    lines = [
        "# Findings: the homework's claims, measured",
        "",
        f"Pair **{pair.name}**: {pair.description}  ",
        f"{count} held-out images per sweep and {measured.picasso.faces} held-out Picasso faces, all classes in "
        f"equal numbers. Written by `{command}` on {date.today().isoformat()} in {seconds / 60:.1f} min.",
        "",
        "Each claim is the homework's own (`lab/claim_list.py`, in its order), stated in English and in Persian, "
        "with where it stands in the homework. Verdicts are computed from the numbers by the rule quoted with each "
        "claim (`lab/verdicts.py`): holds, partly, does not hold, or not testable here (with the reason). 95% "
        "intervals, in brackets: Wilson for shares of images or faces, normal approximation for means over images. "
        "Where a measurement contradicts the homework, the measurement stands.",
        "",
        "| id | claim | CNN | ViT | verdict |",
        "|---|---|---|---|---|",
    ]
    for f in measured.findings:
        lines.append(f"| [{f.id}](#{anchor(f.id)}) | {claim(f.id).title} | {f.cnn or '—'} | {f.vit or '—'} | "
                     f"**{f.verdict}** |")
    for f in measured.findings:
        lines += ["", *claim_section(f)]
    lines += ["", "# Also measured: not the homework's claims", "",
              "The sections below go beyond the homework's claims: how well each model's maps find the object and how "
              "faithful they are (toy pairs; once C4's reading, now measured on the filters themselves) and two "
              "sweeps from Naseer et al. 2021."]
    if measured.explanations is not None:
        lines += ["", *explanation_section(measured.explanations)]
    lines += ["", "## Patch shuffle and patch drop (Naseer et al. 2021)", ""]
    for kind in ("shuffle", "drop"):
        s = measured.sweeps[kind]
        row = ", ".join(f"{x:g}: CNN {c:.0%} / ViT {v:.0%}" for x, c, v in zip(s.x, s.cnn.agreement,
                                                                              s.vit.agreement))
        lines += [f"- **{kind}** (top-1 kept, by {kind == 'shuffle' and 'grid' or 'fraction dropped'}): {row}",
                  "", f"![{kind}](findings/{kind}.png)", ""]
    path.write_text("\n".join(lines))


def claim_section(f: claims.Finding) -> list[str]:
    """One claim's section: heading with its verdict, the claim in English and Persian, where it stands, the
    measurement, the numbers, the verdict with its reason and rule, the figure."""
    c = claim(f.id)
    lines = [f'<a id="{anchor(f.id)}"></a>', "", f"## {c.id}. {c.title} — {f.verdict}", "",
             f"**The claim.** {c.english}", "", f'<div dir="rtl" lang="fa">{c.persian}</div>', "",
             f"**Where in the homework.** {c.where}", "",
             f"**Measurement.** {c.measurement}" + (f" *This run:* {f.measurement}" if f.measurement else ""), ""]
    if f.cnn or f.vit:
        lines += [f"- CNN: {f.cnn or '—'}", f"- ViT: {f.vit or '—'}", ""]
    why = f.why[:1].upper() + f.why[1:] + ("" if f.why.endswith(".") else ".")
    lines += [f"**Verdict: {f.verdict}.** {why}", "", f"*Rule.* {c.rule}"]
    if f.context:
        lines += ["", f"*Context.* {f.context}"]
    if f.figure:
        lines += ["", f"![{c.id}: {c.title}]({f.figure})"]
    return lines


def results(pair: Pair, measured: Measured, count: int, command: str) -> dict:
    """findings/results.json: every number the app shows without recomputing it (see findings.results)."""
    return {"pair": pair.name, "count": count, "date": date.today().isoformat(), "command": command,
            "claims": [{"id": f.id, "verdict": f.verdict, "why": f.why, "cnn": f.cnn, "vit": f.vit}
                       for f in measured.findings],
            "picasso": measured.picasso.to_json()}


EXPLANATION_QUICK_COUNT = 10
"""Held-out toy images scored per map in --quick (one per class)."""


def measure_explanations(pair: Pair, count: int, out: Path) -> ExplanationScores:
    """Score every map against ground truth on `count` toy test images; save the figure and the raw scores."""
    bar = tqdm(total=count, desc="explanations", unit="image")
    scores = score_explanations(pair, count, progress=lambda done, total: bar.update(1))
    bar.close()
    figures = out / "findings"
    figures.mkdir(parents=True, exist_ok=True)
    explanation_scores_figure(scores).savefig(figures / "explanations.png", dpi=100)
    (figures / "explanations.json").write_text(json.dumps(scores.to_json(), indent=1))
    return scores


def explanation_section(scores: ExplanationScores, figure: str = "findings/explanations.png") -> list[str]:
    """FINDINGS.md's "Explanations checked against ground truth": the tables, the measures and a plain reading."""
    cnn_accuracy, vit_accuracy = scores.accuracy("cnn"), scores.accuracy("vit")
    lines = [
        "## Explanations checked against ground truth",
        "",
        f"{scores.count} held-out toy images, all classes in equal numbers, each drawn with its object's mask. "
        "Every map explains its own model's top-1 class (CNN correct on "
        f"{_rate(cnn_accuracy)}, ViT on {_rate(vit_accuracy)}). Raw per-image scores: "
        "`findings/explanations.json`.",
        "",
        *_explanation_table(scores.summary("all"), with_count=False),
        "",
        f"![Explanations checked against ground truth]({figure})",
        "",
        "**Split by whether the explaining model's top-1 is right** (n: images in the row).",
        "",
    ]
    for subset in ("correct", "wrong"):
        rows = scores.summary(subset)
        if not any(s.count for s in rows):
            lines += [f"*{subset.capitalize()} predictions*: none among these images.", ""]
            continue
        few = " Under 10 images in some rows: read their intervals, not their means." if min(
            s.count for s in rows) < 10 else ""
        lines += [f"*{subset.capitalize()} predictions*.{few}", "", *_explanation_table(rows, True), ""]
    blur = {model: scores.blurred_probability(model)[0] for model in ("cnn", "vit")}
    lines += [
        "**Measures.** Pointing game (Zhang et al. 2016): a hit when the map's maximum, at the crop's resolution "
        "(where every map is upsampled as the app draws it), lies on the object's mask dilated by one pixel. "
        "Mass inside: the share of the map's total value on the object's pixels, against the share of the crop the "
        "object covers, which is what a map blind to the object would score. Deletion and insertion (Petsiuk et al. "
        f"2018): the crop's pixels, most salient first, in {scores.steps} steps of {1 / scores.steps:.0%}, are "
        "replaced by a blurred copy of the image (deletion) or restored onto it (insertion, from the blurred copy); "
        "the area under the model's probability of its class (lower is better for deletion, higher for insertion). "
        "Each map is scored against the model it explains, beside a random map (a new one per image) as the "
        "baseline; AUCs compare maps of one model. Across models they also reflect how much each model still sees "
        f"in the fully blurred image: the CNN keeps {blur['cnn']:.0%} of its class's probability there on average, "
        f"the ViT {blur['vit']:.0%}. The CNN's Grad-CAM is computed on its last stage's {_grid(scores.grids['cnn'])} "
        f"grid, the ViT's maps on its {_grid(scores.grids['vit'])} patch grid, both upsampled bilinearly"
        + ((": the coarser grid spreads its mass more widely, which caps how much of it can lie on a small object"
            + (f"; the row {map_label('cnn', SAME_GRID)} is the CNN's Grad-CAM on the stage whose grid is the ViT's "
               f"({_grid(scores.grids[SAME_GRID])}), like with like, and the reading below compares that one."
               if SAME_GRID in scores.grids else "."))
           if scores.grids["cnn"] != scores.grids["vit"] else "."),
        "",
        *_explanation_reading(scores),
    ]
    return lines


def _explanation_table(rows: list[MapSummary], with_count: bool) -> list[str]:
    head = ("| map |" + (" n |" if with_count else "") + " pointing game | mass inside vs object's area share | "
            "deletion AUC (lower is better) | insertion AUC (higher is better) |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    for s in rows:
        count = f" {s.count} |" if with_count else ""
        if s.count == 0:
            lines.append(f"| {map_label(s.model, s.name)} |{count} — | — | — | — |")
            continue
        lines.append(f"| {map_label(s.model, s.name)} |{count} {_rate(s.pointing)} | {_share(s.inside)} vs "
                     f"{s.area[0]:.0%} | {_mean(s.deletion)} | {_mean(s.insertion)} |")
    return lines


def _explanation_reading(scores: ExplanationScores) -> list[str]:
    """A plain reading from the numbers: which maps find the object, which are faithful, and the homework's claim."""
    summaries = {(s.model, s.name): s for s in scores.summary("all")}
    cnn = ("cnn", SAME_GRID) if ("cnn", SAME_GRID) in scores.maps() else ("cnn", "gradcam")
    vit_maps = [key for key in scores.maps() if key[0] == "vit" and key[1] != RANDOM]
    best_vit = max(vit_maps, key=lambda key: summaries[key].inside[0] - summaries[key].area[0])
    gaps = {key: (scores.paired("excess", cnn, key), scores.paired("hit", cnn, key)) for key in vit_maps}
    mass_gap, hit_gap = gaps[best_vit]
    s, b = summaries[cnn], summaries[best_vit]
    lines = ["**Reading.**", ""]
    lines.append(
        f"- *Finding the object.* The {map_label(*cnn)} has its maximum on the object on {_rate(s.pointing)} of images "
        f"and {_share(s.inside)} of its mass there (area {s.area[0]:.0%}). The ViT map with the most mass on the "
        f"object is {map_label(*best_vit)}: {_rate(b.pointing)} hits, {_share(b.inside)} of its mass. Paired over "
        "the same images, CNN Grad-CAM minus each ViT map: "
        + "; ".join(f"{map_label(*key)}: mass {_points(mass)}, pointing game {_points(hit)}"
                    for key, (mass, hit) in gaps.items()) + ".")
    faithful, unfaithful = [], []
    for model, name in scores.maps():
        if name == RANDOM:
            continue
        deletion = scores.paired("deletion", (model, RANDOM), (model, name))
        insertion = scores.paired("insertion", (model, name), (model, RANDOM))
        faithful.append(f"{map_label(model, name)} {_auc_gap(deletion)} lower deletion, "
                        f"{_auc_gap(insertion)} higher insertion")
        if _sign(deletion) <= 0:
            unfaithful.append(map_label(model, name))
    lines.append("- *Faithfulness, against the same model's random map, paired.* " + "; ".join(faithful) + ".")
    faith = ("every map beats its model's random map on deletion" if not unfaithful else
             f"{', '.join(unfaithful)} {'does' if len(unfaithful) == 1 else 'do'} not clearly beat the random map on "
             "deletion")
    lines.append(
        "- *The homework's claim* (part 1(a)): a CNN is more interpretable and easier to debug, because its filters "
        "and layer outputs can be drawn, while attention weights are hard to interpret, although an attention map "
        f"shows where the network looked. On finding the object, {_claim_reading(mass_gap, hit_gap)} On "
        f"faithfulness, {faith}. This checks the maps the app draws (C4's verdict reads the filters), on one "
        "small pair and toy images; the best ViT map is chosen after the fact, among three.")
    return lines


def _claim_reading(mass_gap: tuple[float, float], hit_gap: tuple[float, float]) -> str:
    leads = {_sign(mass_gap), _sign(hit_gap)}
    if leads == {1}:
        return "the CNN's Grad-CAM does better than the best ViT map on both measures, as the claim expects."
    if leads == {-1}:
        return "the best ViT map does better than the CNN's Grad-CAM on both measures: the opposite of the claim."
    if leads == {0}:
        return "the CNN's Grad-CAM and the best ViT map do about equally well: no support for the claim."
    return "the comparison is mixed (the two measures disagree, or only one shows a clear difference)."


def _sign(gap: tuple[float, float]) -> int:
    """+1 if the 95% interval of a paired difference lies above 0, -1 below, 0 if it contains 0."""
    mean, half = gap
    return 1 if mean - half > 0 else -1 if mean + half < 0 else 0


def _rate(p: Interval) -> str:
    return f"{p.value:.0%} [{p.low:.0%}–{p.high:.0%}]"


def _share(m: tuple[float, float]) -> str:
    return f"{m[0]:.0%} ± {m[1] * 100:.0f}" if m[1] == m[1] else f"{m[0]:.0%}"


def _mean(m: tuple[float, float]) -> str:
    return f"{m[0]:.3f} ± {m[1]:.3f}" if m[1] == m[1] else f"{m[0]:.3f}"


def _points(gap: tuple[float, float]) -> str:
    return f"{gap[0] * 100:+.0f} ± {gap[1] * 100:.0f} points".replace("-", "−")


def _grid(grid: tuple[int, int]) -> str:
    return "×".join(map(str, grid))


def _auc_gap(gap: tuple[float, float]) -> str:
    return f"{gap[0]:.3f} ± {gap[1]:.3f}"



def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pair", default="toy")
    parser.add_argument("--images", type=Path, help="folder of images (required for Hub pairs)")
    parser.add_argument("--count", type=int, default=500, help="held-out toy images and Picasso faces")
    parser.add_argument("--quick", action="store_true", help="a small, fast run (for tests)")
    parser.add_argument("--out", type=Path, default=ROOT, help="folder for FINDINGS.md and findings/")
    parser.add_argument("--arrangement", type=Path,
                        help="the arrangement experiment's results (JSON), for C13, C14 and the ablations of C7 and "
                             "C9; keys: " + "; ".join(f"{k}: {v}" for k, v in ARRANGEMENT.items()))
    parser.add_argument("--precision", choices=SETTINGS, default=default_setting(),
                        help="fp32, bf16 or auto (bf16 where the hardware has it); default: $CNN_VIT_PRECISION, "
                             "else auto (runtime/precision.py)")
    args = parser.parse_args(argv)
    set_precision(args.precision)
    arrangement = load_arrangement(args.arrangement)
    started = time.time()
    pair = load_pair(args.pair)
    count = QUICK_COUNT if args.quick else args.count
    if args.images:
        images01 = folder_images(pair, args.images)
    elif pair.name == "toy":
        images01 = split_tensors("test", count)[0]
    else:
        raise SystemExit("Hub pairs need --images FOLDER (ImageNet-like photos); the toy world has other classes.")
    seeds = list(range(FACE_SEEDS, FACE_SEEDS + count))
    measured = measure(pair, images01, seeds, args.out, args.quick, arrangement)
    command = "python -m findings.report " + " ".join(
        f"--{k} {v}" for k, v in [("pair", args.pair), ("images", args.images), ("arrangement", args.arrangement),
                                  ("count", None if args.quick or args.count == 500 else args.count),
                                  ("precision", precision())] if v and v != "toy")
    command = command.strip() + (" --quick" if args.quick else "")
    write_findings(args.out / "FINDINGS.md", pair, measured, len(images01), command, time.time() - started)
    if "models" in arrangement:
        figures = save_figures(arrangement, args.out / "findings")
        with (args.out / "FINDINGS.md").open("a") as findings:
            findings.write("\n\n" + "\n".join(arrangement_section(arrangement, figures)) + "\n")
    with (args.out / "FINDINGS.md").open("a") as findings:
        findings.write("\n\n" + "\n".join(photos_section(measure_photos(cached_hub_pairs()))) + "\n")
    (args.out / "findings" / "results.json").write_text(
        json.dumps(results(pair, measured, len(images01), command), indent=1, ensure_ascii=False))
    print(f"wrote {args.out / 'FINDINGS.md'} and {args.out / 'findings'}/")


if __name__ == "__main__":
    main()
