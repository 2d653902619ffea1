"""The findings report: quick mode writes every claim in order, in both languages, with a verdict, grades C5–C9 on
every toy training run it is given, and results.json carries the same verdicts, the runs' provenance and the Picasso
numbers the app shows."""
import json
from pathlib import Path
import re
import shutil

import pytest

from findings import report
from findings.results import load_results, verdicts
from lab.claim_list import CLAIMS
from lab.claims import Finding
from lab.verdicts import VERDICTS
from models.bundled import WEIGHTS_DIR, read_manifest
from tests.test_lab_claims import ARRANGEMENT_MODELS

HEADING = re.compile(r"^## (C\d+[a-z]?)\. (.+) — (.+?)(?: \(unstable across training runs\))?$", re.MULTILINE)
FIGURES = ("translate", "rotate", "shuffle", "drop", "picasso", "distance", "swin_cost", "explanations",
           "swin_crossing", "filters")
PROTOCOL = json.loads((Path(__file__).parent.parent / "findings" / "arrangement.json").read_text())["protocol"]
"""The protocol runs the arrangement experiment recorded (C13, C14 read them)."""


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    arrangement = out / "arrangement.json"
    arrangement.write_text(json.dumps({"protocol": PROTOCOL, "models": ARRANGEMENT_MODELS}))
    second = out / "toy-seed0-again"  # the bundled weights again: a second run that must agree with the first
    second.mkdir()
    for name in ("toy_cnn.safetensors", "toy_vit.safetensors", "manifest.json"):
        shutil.copy(WEIGHTS_DIR / name, second / name)
    report.main(["--quick", "--out", str(out), "--arrangement", str(arrangement), "--toy-runs", str(second),
                 "--residual", str(out / "absent.json")])
    return out, (out / "FINDINGS.md").read_text()


@pytest.mark.slow
def test_quick_report_writes_every_claim_in_order_in_both_languages(quick):
    _, text = quick
    headings = HEADING.findall(text)
    assert [id for id, _, _ in headings] == [c.id for c in CLAIMS]
    assert [title for _, title, _ in headings] == [c.title for c in CLAIMS]
    assert all(verdict in VERDICTS for _, _, verdict in headings)
    sections = re.split(r"^## C\d+[a-z]?\. ", text, flags=re.MULTILINE)[1:]
    for c, section in zip(CLAIMS, sections):
        assert f"**The claim.** {c.english}" in section
        assert f'<div dir="rtl" lang="fa">{c.persian}</div>' in section
        assert f"**Where in the homework.** {c.where}" in section and "**Verdict: " in section
        assert f'<a id="{c.id.lower()}"></a>' in text
    rows = [line for line in text.splitlines() if line.startswith("| [C")]
    assert [row.split("]")[0][3:] for row in rows] == [c.id for c in CLAIMS]
    cells = [row.rstrip(" |").rsplit("| ", 1)[1] for row in rows]  # "**verdict**", then any "(mechanism: **…**)"
    assert [cell.split("**")[1].removesuffix(" (unstable across training runs)") for cell in cells] == [
        verdict for _, _, verdict in headings]
    assert [c.id for c, cell in zip(CLAIMS, cells) if "(mechanism: **" in cell] == ["C7", "C8", "C9"]
    assert text.index("## C14.") < text.index("# Also measured: not the homework's claims") < text.index(
        "## Explanations checked against ground truth") < text.index("## Patch shuffle and patch drop")
    assert text.count("# Findings: the homework's claims, measured") == 1  # one document, written once


@pytest.mark.slow
def test_quick_report_grades_c13_and_c14_from_the_protocol_runs(quick):
    _, text = quick
    verdict = {id: v for id, _, v in HEADING.findall(text)}
    assert verdict["C13"] != "not testable here" and verdict["C14"] != "not testable here"
    assert "it would read" in text and "churn" in text
    assert verdict["C10"] == verdict["C11"] == verdict["C12"] == "holds"
    assert verdict["C2b"] == verdict["C10b"] == verdict["C12b"] == verdict["C12c"] == "not testable here"


@pytest.mark.slow
def test_quick_report_grades_c5_to_c9_on_every_run_and_names_their_models(quick):
    out, text = quick
    results = load_results(out / "findings" / "results.json")
    manifest = read_manifest()
    assert [run["sha256"] for run in results["runs"]] == [
        {"cnn": manifest["toy_cnn"]["sha256"], "vit": manifest["toy_vit"]["sha256"]}] * 2
    assert all(run["command"] == manifest["toy_cnn"]["provenance"]["command"] for run in results["runs"])
    assert [run["name"] for run in results["runs"]] == ["toy (bundled, seed 0)", "toy-seed0-again (seed 0)"]
    entries = {entry["id"]: entry for entry in results["claims"]}
    for id in ("C5", "C6", "C7", "C8", "C9"):
        assert len(entries[id]["runs"]) == 2 and entries[id]["setting"]["runs"] == 2
        assert entries[id]["setting"]["kind"] == "homework" and entries[id]["setting"]["pair"] == "toy"
        assert "the CNN of toy (bundled, seed 0):" in entries[id]["models"] and not entries[id]["unstable"]
        assert entries[id]["runs"][0].split(": ", 1)[1] == entries[id]["runs"][1].split(": ", 1)[1]  # same weights
    for id in ("C7", "C8", "C9"):
        assert set(entries[id]["mechanism"]) == {"verdict", "why", "numbers", "models"}
        assert "**When the task demands arrangement: " in text
    assert entries["C9"]["mechanism"]["verdict"] == "not testable here"  # the arrangement ViT is at chance
    assert "did not learn face vs jumbled face" in entries["C9"]["mechanism"]["why"]
    assert "mechanism" not in entries["C5"] and "--toy-runs" in results["command"]


@pytest.mark.slow
def test_quick_report_saves_the_figures_and_results_matching_findings(quick):
    out, text = quick
    for name in FIGURES:
        assert (out / "findings" / f"{name}.png").stat().st_size > 10_000
        assert f"findings/{name}.png" in text
    assert (out / "findings" / "swin_reach.png").exists() and "findings/swin_reach.png" in text  # copied, named
    results = load_results(out / "findings" / "results.json")
    assert set(results) == {"pair", "count", "date", "command", "runs", "claims", "picasso"}
    assert results["pair"] == "toy" and "--quick" in results["command"] and "--arrangement" in results["command"]
    assert verdicts(results) == {id: v for id, _, v in HEADING.findall(text)}
    assert all(set(entry) - {"mechanism"} == {"id", "verdict", "why", "cnn", "vit", "setting", "models", "unstable",
                                              "runs"} for entry in results["claims"])
    picasso = results["picasso"]
    assert picasso["faces"] == results["count"] == report.QUICK_COUNT
    assert {"clean", "homework", "rotated only", "moved"} <= set(picasso["variants"])
    for by_model in picasso["variants"].values():
        for rate, low, high in by_model.values():
            assert 0.0 <= low <= rate <= high <= 1.0
    assert report.FACE_SEEDS <= picasso["typical_seed"] < report.FACE_SEEDS + picasso["faces"]


def test_load_results_is_none_before_the_report_has_run(tmp_path):
    assert load_results(tmp_path / "results.json") is None
    assert verdicts(None) == {}


def test_arrangement_file_keys_are_checked(tmp_path):
    assert report.load_arrangement(None) == {}
    assert set(report.load_arrangement(report.ROOT / "findings" / "arrangement.json")) <= set(report.ARRANGEMENT)
    path = tmp_path / "arrangement.json"
    path.write_text(json.dumps({"protocol": PROTOCOL, "bird": 1}))
    with pytest.raises(SystemExit, match="unknown keys"):
        report.load_arrangement(path)


def test_a_claim_section_without_numbers_says_why():
    lines = report.claim_section(Finding("C13", "", None, None, "not testable here", "needs a run; not run yet"))
    text = "\n".join(lines)
    assert lines[0] == '<a id="c13"></a>'
    assert "## C13. " in text and text.count("— not testable here") == 1
    assert "**Verdict: not testable here.** Needs a run; not run yet." in text
    assert "- CNN:" not in text
