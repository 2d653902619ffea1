"""The JSON the typed results write keeps the shape the project documents: each endpoint's answer against the README's
API example, and the findings report's files against the ones it shipped (key sets and nesting, not values)."""
import ast
import json
import re
from pathlib import Path

import pytest

from findings.results import load_results
from lab.explanation_scores import SAME_GRID, score_explanations
from lab.picasso import FaceRates, call_rates, face_calls, typical_seed
from models import load_pair
from ui import panels
from ui.examples import EXAMPLES_DIR
from ui.explanations import faithfulness_scores
from ui.picasso_photo import picasso_photo
from ui.swin_view import swin_cost, swin_reach, swin_window_attention

ROOT = Path(__file__).resolve().parent.parent
FACE = str(EXAMPLES_DIR / "toy_face.png")
CAT = str(EXAMPLES_DIR / "photo_cat_chelsea.jpg")
MORE = "..."
"""A key of a parsed example: the dict has more keys than it names."""


def documented_answers() -> dict[str, object]:
    """Each api_name of the README's API example -> the answer written under its call, parsed: `...` (Ellipsis) stands
    for an elided value, a list's trailing `...` for more items shaped as the first, `{...}` for a dict of any keys,
    and a dict ending in `, ...}` holds at least the keys it names (MORE)."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("\n## API\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    comments: dict[str, list[str]] = {}
    name = None
    for line in block.splitlines():
        call = re.search(r'api_name="/(\w+)"', line)
        if call:
            name = call.group(1)
            comments[name] = []
        elif line.startswith("#") and name:
            comments[name].append(line[1:])
    return {name: _parse(" ".join(lines)) for name, lines in comments.items()}


def _parse(text: str) -> object:
    """The first balanced {...} of the text, as a Python value."""
    start, depth, quoted = text.index("{"), 0, False
    for end in range(start, len(text)):
        char = text[end]
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "{[":
            depth += 1
        elif not quoted and char in "}]":
            depth -= 1
            if depth == 0:
                break
    literal = re.sub(r",\s*\.\.\.\s*}", f', "{MORE}": ...}}', text[start:end + 1])
    return ast.literal_eval(literal)


def assert_shaped(documented: object, actual: object, path: str = "") -> None:
    """`actual` has the keys and nesting of the `documented` example."""
    if documented is Ellipsis:
        return
    if documented == {Ellipsis}:
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
    elif isinstance(documented, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        named = set(documented) - {MORE}
        if MORE in documented:
            assert named <= set(actual), f"{path}: missing {sorted(named - set(actual))}"
        else:
            assert set(actual) == named, f"{path}: keys {sorted(actual)}, documented {sorted(named)}"
        for key in named:
            assert_shaped(documented[key], actual[key], f"{path}.{key}")
    elif isinstance(documented, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        items = documented[:-1] if documented and documented[-1] is Ellipsis else documented
        if len(items) < len(documented):
            assert len(actual) >= len(items), f"{path}: {len(actual)} items, documented at least {len(items)}"
        else:
            assert len(actual) == len(items), f"{path}: {len(actual)} items, documented {len(items)}"
        for i, item in enumerate(actual):
            assert_shaped(items[min(i, len(items) - 1)] if items else Ellipsis, item, f"{path}[{i}]")
    else:
        assert not isinstance(actual, (dict, list)), f"{path}: expected a single value, got {actual!r}"


def as_example(shipped: object) -> object:
    """A shipped JSON file as an example: every list of objects kept to its first item and a trailing `...`."""
    if isinstance(shipped, dict):
        return {key: as_example(value) for key, value in shipped.items()}
    if isinstance(shipped, list) and shipped and isinstance(shipped[0], (dict, list)):
        return [as_example(shipped[0]), Ellipsis]
    return shipped


@pytest.fixture(scope="module")
def documented() -> dict[str, object]:
    return documented_answers()


def test_the_readme_documents_the_endpoints_checked_here(documented):
    assert {"sweep", "picasso", "picasso_photo", "faithfulness"} <= set(documented)
    assert documented["sweep"]["cnn"] == {"score": [Ellipsis], "top1": [Ellipsis]}
    assert documented["picasso_photo"]["variants"][1] == {"name": "homework", MORE: Ellipsis}


@pytest.mark.parametrize("kind", ["rotate", "shuffle"])
def test_sweep_has_the_documented_shape(documented, kind):
    assert_shaped(documented["sweep"], json.loads(json.dumps(panels.sweep(FACE, "toy", kind))))


def test_picasso_has_the_documented_shape(documented):
    assert_shaped(documented["picasso"], json.loads(json.dumps(panels.picasso("toy", 0))))


def test_picasso_photo_has_the_documented_shape(documented):
    answer = json.loads(json.dumps(picasso_photo(CAT, "toy", [], 0)))  # the toy pair: no groups, still the keys
    assert_shaped(documented["picasso_photo"], answer)
    assert answer["groups"] == {"cnn": None, "vit": None}


def test_faithfulness_has_the_documented_shape(documented):
    assert_shaped(documented["faithfulness"], json.loads(json.dumps(faithfulness_scores(FACE, "toy", "house"))))


def test_the_swin_endpoints_have_the_documented_shapes(documented):
    assert {"swin_cost", "swin_reach", "swin_window_attention"} <= set(documented)
    assert_shaped(documented["swin_window_attention"], json.loads(json.dumps(swin_window_attention(FACE, 1, 2, 1, 55,
                                                                                                   0))))
    assert_shaped(documented["swin_reach"], json.loads(json.dumps(swin_reach(28, 28, [1, 2, 4]))))
    assert_shaped(documented["swin_cost"], json.loads(json.dumps(swin_cost("all"))))  # the committed file


def test_explanation_scores_are_written_as_the_shipped_explanations_json():
    shipped = json.loads((ROOT / "findings" / "explanations.json").read_text())
    # The shipped file predates the CNN's Grad-CAM on the ViT's grid: its grids name no SAME_GRID, which is the ViT's.
    shipped["grids"].setdefault(SAME_GRID, shipped["grids"]["vit"])
    scores = score_explanations(load_pair("toy"), 1)
    assert_shaped(as_example(shipped), json.loads(json.dumps(scores.to_json())))


def test_face_rates_are_written_as_the_shipped_results_json():
    shipped = load_results()
    assert shipped is not None, "findings/results.json is part of the repository"
    seeds = [3_000_000, 3_000_001]
    calls = face_calls(load_pair("toy"), seeds)
    rates = FaceRates(len(seeds), "share called 'face'", call_rates(calls), typical_seed(calls, seeds))
    written = json.loads(json.dumps(rates.to_json()))
    assert_shaped(as_example(shipped["picasso"]), written)
    assert list(written) == list(shipped["picasso"]) and set(written["variants"]) == set(shipped["picasso"]["variants"])
