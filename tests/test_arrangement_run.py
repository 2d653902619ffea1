"""`python -m lab.arrangement`: a smoke run (every job, two seeds, two workers) writes loadable weights and a results
file the report reads; a rerun resumes instead of retraining; another budget is refused; parallel workers give what one
process gives; the same seed gives the same weights; bundling writes a loadable pair."""
import json
import shutil

import pytest
import torch

from findings.report import load_arrangement
from lab.arrangement.__main__ import main
from lab.arrangement.bundle import BUNDLED, CONTACT_SHEET, bundle
from lab.arrangement.recipes import ARCHITECTURES, SMOKE
from lab.arrangement.run import Job, plan
from lab.arrangement.stages import Stages
from lab.arrangement.training import split, train_architecture
from models.bundled import WEIGHTS_DIR, load_bundled, read_manifest
from toyworld.arrangement import LABELS
from training.loop import Optimisation

ARGS = ("--smoke", "--precision", "fp32")


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    root = tmp_path_factory.mktemp("arrangement")
    out, results = root / "jobs", root / "arrangement.json"
    main([*ARGS, "--workers", "2", "--out", str(out), "--results", str(results)])
    return out, results


@pytest.mark.slow
def test_smoke_run_writes_results_the_report_reads(smoke):
    out, results_path = smoke
    results = load_arrangement(results_path)  # unknown keys would fail here
    assert set(results["models"]) == set(ARCHITECTURES)
    for model in results["models"].values():
        assert [run["seed"] for run in model["runs"]] == list(SMOKE.seeds)
        for run in model["runs"]:
            assert run["device"] == "cpu" and run["precision"] == "fp32"
            assert len(run["epochs"]) == run["epochs_run"] <= SMOKE.max_epochs
            assert {"(a) rotated only", "(b) homework", "(c) upside-down layout", "(d) picasso"} <= set(
                run["held_out_called_face"])
        low_high = model["pooled"]["face_vs_jumbled"]["accuracy"]
        shares = [run["face_vs_jumbled"]["accuracy"][0] for run in model["runs"]]
        assert low_high[1] <= min(shares) and max(shares) <= low_high[2]  # the interval holds every seed
    assert [g["seed"] for g in results["gate"]["per_seed"]] == list(SMOKE.seeds)
    assert results["gate"]["passed"] == all(g["accuracy"][0] >= 0.95 for g in results["gate"]["per_seed"])
    assert results["learning_curve"]["sizes"] == sorted(SMOKE.curve_sizes)
    protocol = results["protocol"]
    assert protocol["chosen_lr"] in SMOKE.protocol_lrs
    chosen = [r for r in protocol["runs"] if r["lr"] == protocol["chosen_lr"]]
    assert len(chosen) == len(SMOKE.seeds) and all(len(r["face_vs_jumbled"]) == SMOKE.protocol_epochs for r in chosen)
    assert all(len(r["images"]["top1_early"]) == SMOKE.val_size for r in chosen)
    assert results["provenance"]["command"] == "python -m lab.arrangement " + " ".join(ARGS)


@pytest.mark.slow
def test_smoke_run_weights_load_into_fresh_models(smoke):
    stages = Stages(smoke[0])
    for key, architecture in ARCHITECTURES.items():
        model = stages.load_weights(Job("main", key, SMOKE.seeds[0]).name, architecture.build())
        with torch.no_grad():
            assert torch.isfinite(model(torch.zeros(2, 3, 64, 64))).all()


@pytest.mark.slow
def test_a_rerun_resumes_without_retraining_and_one_process_gives_what_workers_gave(smoke, tmp_path):
    out, results_path = smoke
    before = {path.name: path.stat().st_mtime_ns for path in out.glob("*.json") if path.name != "run.json"}
    written = json.loads(results_path.read_text())
    again = tmp_path / "again.json"
    main([*ARGS, "--out", str(out), "--results", str(again)])
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("*.json") if path.name != "run.json"} == before
    assert {k: v for k, v in json.loads(again.read_text()).items() if k != "provenance"} == {
        k: v for k, v in written.items() if k != "provenance"}
    with pytest.raises(SystemExit):  # another budget never mixes with these jobs
        main(["--precision", "fp32", "--seeds", "0", "--out", str(out), "--results", str(tmp_path / "full.json")])
    alone = tmp_path / "alone"  # the first main job again, in this process: the same record, bit for bit
    job = Job("main", "vit_position", SMOKE.seeds[0])
    alone.mkdir()
    for name in ("run.json",):
        shutil.copyfile(out / name, alone / name)
    shutil.copytree(out / "data", alone / "data")
    from lab.arrangement.run import Run
    from runtime.precision import precision_set
    with precision_set("fp32"):
        Run(alone, SMOKE).execute(job)
    first, second = Stages(out).load(job.name), Stages(alone).load(job.name)
    assert first["measured"] == second["measured"]
    assert [e["val_loss"] for e in first["training"]["epochs"]] == [e["val_loss"] for e in second["training"]["epochs"]]


def test_the_plan_starts_every_main_job_before_the_protocol_and_the_curve():
    jobs = plan(SMOKE)
    kinds = [job.kind for job in jobs]
    assert kinds == sorted(kinds, key=["main", "protocol", "curve"].index)
    assert len({job.name for job in jobs}) == len(jobs)
    assert kinds.count("main") == len(ARCHITECTURES) * len(SMOKE.seeds)
    assert kinds.count("protocol") == len(SMOKE.protocol_lrs) * len(SMOKE.seeds)
    assert kinds.count("curve") == len(ARCHITECTURES) * len(SMOKE.curve_sizes)


@pytest.mark.slow
def test_bundling_writes_a_verified_pair(smoke, tmp_path):
    out, results_path = smoke
    for entry in read_manifest().values():
        shutil.copyfile(WEIGHTS_DIR / entry["file"], tmp_path / entry["file"])
    shutil.copyfile(WEIGHTS_DIR / "manifest.json", tmp_path / "manifest.json")
    files = bundle(Stages(out), SMOKE, json.loads(results_path.read_text()), "python -m lab.arrangement --smoke",
                   weights_dir=tmp_path)
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
    train, val = split("train", 64), split("val", 22)
    recipe = Optimisation(epochs=1, lr=1e-3, batch_size=32, schedule="warmup-cosine", warmup_epochs=0.5, clip_norm=1.0)
    first, _ = train_architecture(ARCHITECTURES["cnn_pooled"], train, val, recipe, seed=3)
    again, _ = train_architecture(ARCHITECTURES["cnn_pooled"], train, val, recipe, seed=3)
    other, _ = train_architecture(ARCHITECTURES["cnn_pooled"], train, val, recipe, seed=4)
    assert all(torch.equal(v, again.state_dict()[k]) for k, v in first.state_dict().items())
    assert not all(torch.equal(v, other.state_dict()[k]) for k, v in first.state_dict().items())


@pytest.mark.slow
def test_the_report_section_shows_every_architecture_seed_and_figure(smoke, tmp_path):
    from figures.arrangement import FIGURES, STYLES
    from findings.arrangement import arrangement_section, save_figures

    results = load_arrangement(smoke[1])
    figures = save_figures(results, tmp_path / "findings")
    text = "\n".join(arrangement_section(results, figures))
    assert all(name in text for name, _, _, _ in STYLES.values())
    assert all(f"| {name} | {seed} |" in text for name, _, _, _ in STYLES.values() for seed in SMOKE.seeds)
    assert "**Gate** (set before the run)" in text
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
def test_c7_to_c9_read_the_judged_architectures_pooled_over_seeds(smoke):
    from findings.arrangement import task_rates

    results = load_arrangement(smoke[1])
    rates = task_rates(results)
    pooled, positioned = results["models"]["cnn_pooled"]["pooled"], results["models"]["vit_position"]["pooled"]
    assert list(rates["moved"]["cnn"]) == pooled["held_out_called_face"]["moved"]
    assert list(rates["homework"]["vit"]) == positioned["held_out_called_face"]["(b) homework"]
    assert list(rates["clean"]["vit"]) == positioned["face_vs_jumbled"]["faces_called_face"]


def test_the_ablation_summary_compares_each_mechanism_with_its_removal():
    from findings.arrangement import ablation_summary, compared

    assert compared([0.97, 0.95, 0.98], [0.57, 0.53, 0.61]).startswith("clearly higher")
    assert compared([0.5, 0.45, 0.55], [0.97, 0.95, 0.98]).startswith("clearly lower")
    assert compared([0.5, 0.45, 0.55], [0.52, 0.47, 0.57]).startswith("not clearly different")
    pooled = {"face_vs_jumbled": {"accuracy": [0.97, 0.95, 0.98]}, "test_accuracy": [0.99, 0.98, 1.0],
              "held_out_called_face": {"moved": [0.0, 0.0, 0.01], "(b) homework": [0.5, 0.45, 0.55]}}
    weak = {**pooled, "face_vs_jumbled": {"accuracy": [0.57, 0.53, 0.61]}}
    models = {key: {"pooled": pooled} for key in ARCHITECTURES} | {"vit_no_position": {"pooled": weak}}
    results = {"models": models, "learning_curve": {"sizes": [2000, 30000], "steps": 4680, "seed": 0, "accuracy": {
        "cnn_pooled": [[0.96, 0.9, 0.99], [0.97, 0.95, 0.98]], "vit_position": [[0.5, 0.4, 0.6]] * 2}}}
    pooling, position, learned, data = ablation_summary(results)
    assert "Global pooling" in pooling and "not clearly different" in pooling
    assert "Position embeddings" in position and "clearly higher with it" in position
    assert "Learning the positions" in learned and "not clearly different" in learned
    assert "CNN, pooled from 2,000 images" in data and "ViT, learned position embeddings at none of 2,000, 30,000 (best 50%)" in data
