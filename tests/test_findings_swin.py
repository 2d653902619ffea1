"""`python -m findings.swin` end to end on small settings: both files and their figures, read back as the report
reads them."""
import json

import pytest

from findings.report import load_swin, save_swin_figures
from findings.swin import main, padding_case
from lab.claims import attention_cost, window_reach


@pytest.mark.slow
def test_the_command_writes_what_the_report_grades(tmp_path):
    main(["--out", str(tmp_path), "--resolutions", "112", "224", "336", "--repeats", "1", "--tokens", "8",
          "--threads", "1"])
    for name in ("swin_cost.json", "swin_reach.json", "swin_cost.png", "swin_reach.png", "swin_crossing.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    cost, reach = load_swin(tmp_path)
    assert cost["provenance"]["command"].startswith("python -m findings.swin --out")
    assert [m["name"] for m in cost["models"]] == ["DeiT-S", "Swin-T", "ResNet-50"]
    assert len(reach["crossing"]["tokens"]) == 8 and reach["central"]["counts"]["traced"] == [49, 196, 784, 1764]
    # Below 224 px Swin-T's last stage is not linear (its window shrinks to the grid at 112 px, the grid is padded at
    # 336 px): its mixing exponent's interval leaves 0.9–1.1 while DeiT-S's stays quadratic.
    assert attention_cost(cost).verdict == "partly"
    assert window_reach(reach).verdict == "holds"
    figures = tmp_path / "figures"
    figures.mkdir()
    save_swin_figures(cost, reach, figures, tmp_path)
    assert {path.name for path in figures.iterdir()} == {"swin_cost.png", "swin_crossing.png", "swin_reach.png"}
    assert (figures / "swin_reach.png").read_bytes() == (tmp_path / "swin_reach.png").read_bytes()  # this folder's


def test_padding_lets_the_corner_wrap_around():
    case = padding_case()
    assert case["side"] == 12 and case["traced"] == [49, 144] and case["predicted"] == [49, 49]


def test_missing_files_read_as_none(tmp_path):
    assert load_swin(tmp_path) == (None, None) and load_swin(None) == (None, None)
    json.dumps(load_swin(tmp_path))
