"""The findings report's numbers as data (findings/results.json), which the app reads instead of recomputing them."""
import json
from pathlib import Path

from lab.picasso import FaceRates

RESULTS = Path(__file__).resolve().parent / "results.json"
"""Written by `python -m findings.report` beside the figures of FINDINGS.md."""


def load_results(path: Path = RESULTS) -> dict | None:
    """{"pair", "count", "date", "command", "runs": [{"name", "folder", "seed", "sha256": {"cnn", "vit"}, "command",
    "test_accuracy": {"cnn": [v, low, high], "vit": [...]}}], "claims": [{"id", "verdict" (the homework setting's),
    "why", "cnn", "vit", "setting": {"kind", "text", "pair", "runs"}, "models", "unstable", "runs": [per run], and
    for C7–C9 with the arrangement experiment "mechanism": {"verdict", "why", "numbers", "models"}}], "picasso":
    {"faces", "measure", "variants": {name: {"cnn": [rate, low, high], "vit": [...]}}, "typical_seed"}}, or None
    before the report has been run."""
    return json.loads(path.read_text()) if path.exists() else None


def face_rates(results: dict | None) -> FaceRates | None:
    """The Picasso faces' rates of a results file (lab.picasso.FaceRates); None without one."""
    return FaceRates.from_json(results["picasso"]) if results and "picasso" in results else None


def verdicts(results: dict | None) -> dict[str, str]:
    """{claim id: verdict} of a results file; empty without one."""
    return {entry["id"]: entry["verdict"] for entry in (results or {}).get("claims", [])}
