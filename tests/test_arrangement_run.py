"""`python -m lab.arrangement`: a one-epoch smoke run writes loadable weights and a results file the report reads;
a rerun resumes instead of retraining; the same seed gives the same weights; bundling writes a loadable pair."""
import json
import shutil

import pytest
import torch

from findings.arrangement import arrangement_section
from findings.report import load_arrangement
from lab.arrangement.__main__ import main
from lab.arrangement.bundle import BUNDLED, CONTACT_SHEET, bundle
from lab.arrangement.recipes import ARCHITECTURES, SMOKE
from lab.arrangement.stages import Stages, stage_name
from lab.arrangement.training import TaskData, split, train_architecture
from lab.verdicts import c13_underfit, c14_right_parts
from models.bundled import WEIGHTS_DIR, load_bundled, read_manifest
from toyworld.arrangement import LABELS

SIZES = ("--sizes", "64", "128")
ARGS = ("--smoke", *SIZES, "--test-count", "4", "--seed", "0")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    root = tmp_path_factory.mktemp("arrangement")
    out, results = root / "stages", root / "arrangement.json"
    main([*ARGS, "--out", str(out), "--results", str(results)])
    return out, results


@pytest.mark.slow
def test_smoke_run_writes_results_the_report_reads(smoke):
    out, results_path = smoke
    results = load_arrangement(results_path)  # unknown keys would fail here
    assert set(results["models"]) == set(ARCHITECTURES)
    assert results["learning_curve"]["sizes"] == [64, 128]
    assert len(results["fine_tuning"]["accuracy"]) == SMOKE.finetune_epochs > 5
    assert c13_underfit(results["fine_tuning"])[0] != "not testable here"
    assert c14_right_parts(results["misclassified"])[0] in {"holds", "partly", "does not hold",
                                                            "not testable here"}
    for model in results["models"].values():
        assert model["device"] == "cpu" and model["precision"] in {"fp32", "bf16"}
        assert {"(a) rotated only", "(b) homework", "(c) upside-down layout", "(d) picasso"} <= set(
            model["held_out_called_face"])
    assert results["provenance"]["command"] == "python -m lab.arrangement " + " ".join(ARGS)


@pytest.mark.slow
def test_smoke_run_weights_load_into_fresh_models(smoke):
    stages = Stages(smoke[0])
    for key, architecture in ARCHITECTURES.items():
        model = stages.load_weights(stage_name(key, 128), architecture.build())
        with torch.no_grad():
            assert torch.isfinite(model(torch.zeros(2, 3, 64, 64))).all()


@pytest.mark.slow
def test_a_rerun_resumes_without_retraining(smoke):
    out, results_path = smoke
    before = {path.name: path.stat().st_mtime_ns for path in out.iterdir() if path.name != "run.json"}
    written = results_path.read_text()
    main([*ARGS, "--out", str(out), "--results", str(results_path)])
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir() if path.name != "run.json"} == before
    assert json.loads(results_path.read_text()) == json.loads(written)
    with pytest.raises(SystemExit):  # another budget never mixes with these stages
        main([*ARGS, "--epochs", "2", "--out", str(out), "--results", str(results_path)])
    with pytest.raises(SystemExit):  # nor another largest size (it fixes every model's steps)
        main([*ARGS[:-2], "--sizes", "64", "96", "--seed", "0", "--out", str(out), "--results", str(results_path)])
    fewer = out.parent / "fewer.json"  # a curve with other smaller sizes resumes the same stages
    main(["--smoke", "--sizes", "128", "--test-count", "4", "--seed", "0", "--out", str(out), "--results", str(fewer)])
    assert {path.name: path.stat().st_mtime_ns for path in out.iterdir() if path.name != "run.json"} == before
    assert json.loads(fewer.read_text())["learning_curve"]["sizes"] == [128]


@pytest.mark.slow
def test_curve_points_added_later_match_a_whole_run(smoke, tmp_path):
    out, results_path = smoke
    sizes = ("--sizes", "32", "64", "128")
    added = tmp_path / "added.json"
    shutil.copyfile(results_path, added)
    gone = tmp_path / "fresh"  # the largest set's stages are not needed to add a point
    main(["--smoke", *sizes, *ARGS[4:], "--add-to-curve", "--out", str(gone), "--results", str(added)])
    assert sorted(path.name for path in gone.glob("train-*.json")) == sorted(
        f"{stage_name(key, 32)}.json" for key in ARCHITECTURES)
    before, after = json.loads(results_path.read_text()), load_arrangement(added)
    curve = after["learning_curve"]
    assert curve["sizes"] == [32, 64, 128] and after["provenance"]["budget"]["sizes"] == [32, 64, 128]
    assert {key: points[1:] for key, points in curve["accuracy"].items()} == before["learning_curve"]["accuracy"]
    assert curve["computed"][0]["command"].endswith("--add-to-curve")
    assert curve["computed"][1]["command"] == before["provenance"]["command"]
    assert after["models"] == before["models"] and after["fine_tuning"] == before["fine_tuning"]
    section = "\n".join(arrangement_section(after, {}))
    assert "The 32-image points were added by `python -m lab.arrangement --smoke --sizes 32 64 128" in section
    whole_out = tmp_path / "whole"  # one command with all three sizes gives the same point
    shutil.copytree(out, whole_out)
    whole = tmp_path / "whole.json"
    main(["--smoke", *sizes, *ARGS[4:], "--out", str(whole_out), "--results", str(whole)])
    assert json.loads(whole.read_text())["learning_curve"]["accuracy"] == curve["accuracy"]
    with pytest.raises(SystemExit):  # never a point of another budget
        main(["--smoke", *sizes, *ARGS[4:], "--epochs", "2", "--add-to-curve", "--out", str(tmp_path / "other"),
              "--results", str(added)])
    with pytest.raises(SystemExit):  # nor a bundle from a run that has only curve points
        main(["--smoke", *sizes, *ARGS[4:], "--add-to-curve", "--bundle", "--out", str(gone), "--results", str(added)])


@pytest.mark.slow
def test_bundling_writes_a_verified_pair(smoke, tmp_path):
    out, results_path = smoke
    for entry in read_manifest().values():
        shutil.copyfile(WEIGHTS_DIR / entry["file"], tmp_path / entry["file"])
    shutil.copyfile(WEIGHTS_DIR / "manifest.json", tmp_path / "manifest.json")
    budget = SMOKE.__class__(**{**SMOKE.__dict__, "sizes": (64, 128), "test_count": 4})
    files = bundle(Stages(out), budget, json.loads(results_path.read_text()), "python -m lab.arrangement --smoke",
                   "test machine", weights_dir=tmp_path)
    assert CONTACT_SHEET in files and (tmp_path / CONTACT_SHEET).exists()
    for key in BUNDLED.values():
        model, entry = load_bundled(key, tmp_path)  # checks the sha256
        assert entry["labels"] == LABELS
        with torch.no_grad():
            assert model(torch.zeros(1, 3, 64, 64)).shape == (1, len(LABELS))
    card = (tmp_path / "MODEL_CARD.md").read_text()
    assert card.startswith("# Model card: the bundled toy pair") and "`toy-arrangement`" in card
    assert all(f"weights/{key}.safetensors" in card for key in BUNDLED.values())


def test_same_seed_same_weights():
    data = TaskData(split("train", 64), split("val", 22))
    budget = SMOKE.__class__(**{**SMOKE.__dict__, "sizes": (64,), "batch_size": 32})
    first, _ = train_architecture(ARCHITECTURES["cnn_pooled"], data, 64, budget, seed=3)
    again, _ = train_architecture(ARCHITECTURES["cnn_pooled"], data, 64, budget, seed=3)
    other, _ = train_architecture(ARCHITECTURES["cnn_pooled"], data, 64, budget, seed=4)
    assert all(torch.equal(v, again.state_dict()[k]) for k, v in first.state_dict().items())
    assert not all(torch.equal(v, other.state_dict()[k]) for k, v in first.state_dict().items())


@pytest.mark.slow
def test_the_report_section_shows_every_architecture_and_figure(smoke, tmp_path):
    from figures.arrangement import FIGURES, STYLES
    from findings.arrangement import arrangement_section, save_figures

    results = load_arrangement(smoke[1])
    figures = save_figures(results, tmp_path / "findings")
    text = "\n".join(arrangement_section(results, figures))
    assert all(name in text for name, _, _, _ in STYLES.values())
    assert all((tmp_path / "findings" / f"{stem}.png").exists() and f"({figures[stem]})" in text for stem in FIGURES)


@pytest.mark.slow
def test_the_lab_shows_the_figures_the_report_saved_with_a_caption_in_each_language(smoke, tmp_path):
    from figures.arrangement import FIGURES
    from findings.arrangement import save_figures
    from ui.arrangement import saved_figures
    from ui.strings import STRINGS

    assert saved_figures(tmp_path) == []  # before the report: the panel points to the commands instead
    save_figures(load_arrangement(smoke[1]), tmp_path / "findings")
    shown = saved_figures(tmp_path / "findings")
    assert [path for path, _ in shown] == [str(tmp_path / "findings" / f"{stem}.png") for stem in FIGURES]
    assert all(all(STRINGS[caption]) for _, caption in shown)


@pytest.mark.slow
def test_c7_to_c9_read_the_bundled_pairs_architectures_from_the_results(smoke):
    from findings.arrangement import task_rates

    results = load_arrangement(smoke[1])
    rates = task_rates(results)
    pooled, positioned = results["models"]["cnn_pooled"], results["models"]["vit_position"]
    assert rates["moved"]["cnn"] == tuple(pooled["held_out_called_face"]["moved"])
    assert rates["homework"]["vit"] == tuple(positioned["held_out_called_face"]["(b) homework"])
    assert rates["rotated only"]["cnn"] == tuple(pooled["held_out_called_face"]["(a) rotated only"])
    assert rates["clean"]["vit"] == tuple(positioned["face_vs_jumbled"]["faces_called_face"])
    assert results["moved_without_pooling"] == results["models"]["cnn_flattened"]["held_out_called_face"]["moved"]


def test_the_ablation_summary_compares_each_mechanism_with_its_removal():
    from findings.arrangement import ablation_summary, compared

    assert compared([0.97, 0.95, 0.98], [0.57, 0.53, 0.61]).startswith("clearly higher")
    assert compared([0.5, 0.45, 0.55], [0.97, 0.95, 0.98]).startswith("clearly lower")
    assert compared([0.5, 0.45, 0.55], [0.52, 0.47, 0.57]).startswith("not clearly different")
    model = {"face_vs_jumbled": {"accuracy": [0.97, 0.95, 0.98]}, "test_accuracy": [0.99, 0.98, 1.0],
             "held_out_called_face": {"moved": [0.0, 0.0, 0.01], "(b) homework": [0.5, 0.45, 0.55]}}
    weak = {**model, "face_vs_jumbled": {"accuracy": [0.57, 0.53, 0.61]}}
    results = {"models": {"cnn_pooled": model, "cnn_flattened": model, "vit_position": model, "vit_no_position": weak},
               "learning_curve": {"sizes": [2000, 30000], "accuracy": {
                   "cnn_pooled": [[0.96, 0.9, 0.99], [0.97, 0.95, 0.98]], "vit_position": [[0.5, 0.4, 0.6]] * 2}}}
    pooling, position, data = ablation_summary(results)
    assert "Global pooling" in pooling and "not clearly different" in pooling
    assert "Position embeddings" in position and "clearly higher with it" in position
    assert "CNN, pooled from 2,000 images" in data and "ViT, position embeddings at none of them (best 50%)" in data
