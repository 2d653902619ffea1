"""The claim lines above the panels: every line names where its verdict was measured, in both languages, and says
that the verdicts come from the toy world and that the toy Picasso faces are no evidence about ImageNet models."""
from lab.claim_list import claim
from ui.claims import claims_text

RESULTS = {"pair": "toy", "claims": [
    {"id": "C5", "verdict": "holds", "unstable": False,
     "setting": {"kind": "homework", "text": "", "pair": "toy", "runs": 3}},
    {"id": "C7", "verdict": "partly", "unstable": True,
     "setting": {"kind": "homework", "text": "", "pair": "toy", "runs": 3},
     "mechanism": {"verdict": "does not hold", "why": "", "numbers": {}, "models": ""}},
    {"id": "C10", "verdict": "holds", "setting": {"kind": "theory", "text": "", "pair": "", "runs": 0}},
    {"id": "C12b", "verdict": "not testable here", "setting": {"kind": "not measured", "text": "", "pair": "",
                                                               "runs": 0}},
]}


def test_every_claim_line_names_its_setting_and_pair():
    block = claims_text(("C5", "C7", "C10", "C12b"), "en", RESULTS)
    lines = [line for line in block.splitlines() if line.startswith("- **")]
    assert lines[0].endswith("*(measured in the homework's setting, the toy pair, 3 training runs: **holds**; "
                             "Findings tab, section C5)*")
    assert "**partly (unstable across training runs)**; where the task demands arrangement: **does not hold**" \
        in lines[1]
    assert "*(computed from the formulas, no model: **holds**" in lines[2]
    assert "*(not measurable here: **not testable here**" in lines[3]
    assert claim("C5").english in lines[0]


def test_the_block_says_the_verdicts_come_from_the_toy_world():
    block = claims_text(("C5",), "en", RESULTS)
    assert "measured on the **toy** pair. With an ImageNet pair selected, they still come from the toy world" in block
    assert "Picasso photo panel" not in block  # only above the Picasso faces
    faces = claims_text(("C7", "C8"), "en", RESULTS)
    assert "The toy Picasso faces are evidence about the toy pair only; for an ImageNet pair, the Picasso photo " \
           "panel below is the test." in faces
    assert "(not measured yet: run `python -m findings.report`)" in faces  # C8 is not in these results


def test_persian_lines_translate_the_setting_with_persian_digits():
    block = claims_text(("C5", "C10"), "fa", RESULTS)
    assert "اندازه‌گیری‌شده در شرایط تمرین، روی جفت toy، با ۳ بار آموزش: **برقرار است**" in block
    assert "محاسبه‌شده از روی فرمول‌ها، بدون مدل" in block and "3" not in block.split("C10")[0].split("C5")[-1]
    assert claim("C5").persian in block


def test_without_results_the_lines_say_so():
    block = claims_text(("C1",), "en", None)
    assert "not measured yet" in block and "ImageNet" not in block
