"""The findings report: quick mode writes every claim C1–C14 in order, in both languages, with a verdict, and
results.json carries the same verdicts and the Picasso numbers the app shows."""
import json
import re

import pytest

from findings import report
from findings.results import load_results, verdicts
from lab.claim_list import CLAIMS
from lab.claims import Finding
from lab.verdicts import VERDICTS

HEADING = re.compile(r"^## (C\d+)\. (.+) — (.+)$", re.MULTILINE)
FIGURES = ("translate", "rotate", "shuffle", "drop", "picasso", "distance", "attention_cost", "explanations", "reach",
           "filters")
FINE_TUNING = {"accuracy": [0.51, 0.65, 0.69, 0.74, 0.74, 0.80, 0.84], "evaluated": 2000}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    arrangement = out / "arrangement.json"
    arrangement.write_text(json.dumps({"fine_tuning": FINE_TUNING}))
    report.main(["--quick", "--out", str(out), "--arrangement", str(arrangement)])
    return out, (out / "FINDINGS.md").read_text()


@pytest.mark.slow
def test_quick_report_writes_every_claim_in_order_in_both_languages(quick):
    _, text = quick
    headings = HEADING.findall(text)
    assert [id for id, _, _ in headings] == [c.id for c in CLAIMS]
    assert [title for _, title, _ in headings] == [c.title for c in CLAIMS]
    assert all(verdict in VERDICTS for _, _, verdict in headings)
    sections = re.split(r"^## C\d+\. ", text, flags=re.MULTILINE)[1:]
    for c, section in zip(CLAIMS, sections):
        assert f"**The claim.** {c.english}" in section
        assert f'<div dir="rtl" lang="fa">{c.persian}</div>' in section
        assert f"**Where in the homework.** {c.where}" in section and "**Verdict: " in section
        assert f'<a id="{c.id.lower()}"></a>' in text
    rows = [line for line in text.splitlines() if line.startswith("| [C")]
    assert [row.split("]")[0][3:] for row in rows] == [c.id for c in CLAIMS]
    assert [row.rsplit("**", 2)[1] for row in rows] == [verdict for _, _, verdict in headings]
    assert text.index("## C14.") < text.index("# Also measured: not the homework's claims") < text.index(
        "## Explanations checked against ground truth") < text.index("## Patch shuffle and patch drop")


@pytest.mark.slow
def test_quick_report_judges_c13_from_the_arrangement_file_and_leaves_c14_untestable(quick):
    _, text = quick
    verdict = {id: v for id, _, v in HEADING.findall(text)}
    assert verdict["C13"] == "holds" and verdict["C14"] == "not testable here"
    assert verdict["C10"] == verdict["C11"] == verdict["C12"] == "holds"


@pytest.mark.slow
def test_quick_report_saves_the_figures_and_results_matching_findings(quick):
    out, text = quick
    for name in FIGURES:
        assert (out / "findings" / f"{name}.png").stat().st_size > 10_000
        assert f"findings/{name}.png" in text
    results = load_results(out / "findings" / "results.json")
    assert set(results) == {"pair", "count", "date", "command", "claims", "picasso"}
    assert results["pair"] == "toy" and "--quick" in results["command"] and "--arrangement" in results["command"]
    assert verdicts(results) == {id: v for id, _, v in HEADING.findall(text)}
    assert all(set(entry) == {"id", "verdict", "why", "cnn", "vit"} for entry in results["claims"])
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
    path = tmp_path / "arrangement.json"
    path.write_text(json.dumps({"fine_tuning": FINE_TUNING, "bird": 1}))
    with pytest.raises(SystemExit, match="unknown keys"):
        report.load_arrangement(path)


def test_a_claim_section_without_numbers_says_why():
    lines = report.claim_section(Finding("C13", "", None, None, "not testable here", "needs a run; not run yet"))
    text = "\n".join(lines)
    assert lines[0] == '<a id="c13"></a>'
    assert "## C13. " in text and text.count("— not testable here") == 1
    assert "**Verdict: not testable here.** Needs a run; not run yet." in text
    assert "- CNN:" not in text
