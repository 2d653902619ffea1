"""The benchmark command runs end to end in its quick mode and writes its report; timings are never asserted."""
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_writes_every_target(tmp_path):
    out = tmp_path / "BENCHMARKS.md"
    result = subprocess.run([sys.executable, "benchmarks/run.py", "--quick", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = out.read_text()
    for key in ("B1", "B1 maps", "B2", "B3", "B4", "B5", "B5 flat", "B6", "B7", "B8", "F1", "F2", "F3"):
        assert f"\n| {key} | " in report, f"target {key} missing from the report"
    for heading in ("## Machine", "## Targets", "## Panel latencies", "## Throughput against the machine's peak",
                    "## Precision: bf16 against fp32", "## Fidelity: bf16 against fp32"):
        assert heading in report
    assert "Quick run" in report and f"wrote {out}" in result.stdout


def test_unknown_section_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "benchmarks/run.py", "--only", "B9", "--out", str(tmp_path / "x.md")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "unknown sections B9" in result.stderr
    assert not (tmp_path / "x.md").exists()
