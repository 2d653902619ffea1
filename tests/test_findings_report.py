"""The findings report in quick mode: every claim gets measured numbers, a verdict and its figure."""
import sys

import pytest

from findings import report

CLAIMS = 7


@pytest.mark.slow
def test_quick_report_writes_findings_and_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["findings.report", "--quick", "--out", str(tmp_path)])
    report.main()
    text = (tmp_path / "FINDINGS.md").read_text()
    assert text.count("\n## ") == CLAIMS + 2  # the claims, the explanations checked, what else was measured
    verdicts = [line for line in text.splitlines() if line.startswith("| ") and line.endswith("** |")]
    assert len(verdicts) == CLAIMS
    assert all(any(v in line for v in ("**holds**", "**partly**", "**does not hold**")) for line in verdicts)
    for name in ("translate", "rotate", "shuffle", "drop", "picasso", "distance", "attention_cost",
                 "explanations"):
        figure = tmp_path / "findings" / f"{name}.png"
        assert figure.stat().st_size > 10_000
        assert f"findings/{name}.png" in text
    assert "## Explanations checked against ground truth" in text
    assert (tmp_path / "findings" / "explanations.json").stat().st_size > 1_000
