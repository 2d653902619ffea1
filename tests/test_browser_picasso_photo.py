"""The Picasso photo panel in a real browser: choose the cat, clear its marks, click two points, score, see six
variants. The browser and page are tests/test_browser.py's (under CI=true a missing Playwright or Chromium fails)."""
import json

import pytest

from tests.test_browser import IDLE, TIMEOUT_MS, browser, page  # noqa: F401  (fixtures)
from ui.examples import EXAMPLES_DIR

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CAT = EXAMPLES_DIR / "photo_cat_chelsea.jpg"
PHOTO = "#picasso-photo img"
CLICKS = {"left eye": (172, 116), "right eye": (320, 136)}  # in the photo's own pixels
SCREEN_POINT = """(img, [x, y]) => {
    const box = img.getBoundingClientRect();
    const scale = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight, 1);
    return [(box.width - img.naturalWidth * scale) / 2 + x * scale,
            (box.height - img.naturalHeight * scale) / 2 + y * scale];
}"""
"""Where a photo pixel is drawn inside the <img> (object-fit: contain), as Gradio maps clicks back to pixels."""


def _marks(page) -> list[dict]:
    """The marks as the panel's JSON shows them (Gradio draws each JSON token on a line of its own)."""
    text = "".join(page.locator("#picasso-photo-marks").inner_text().splitlines())
    return json.loads(text[text.index("["):]) if "[" in text else []


def _photo_shown(page, width: int) -> None:
    page.locator("#picasso-photo").scroll_into_view_if_needed()  # the <img> loads lazily, once on screen
    photo = page.locator(PHOTO).first
    photo.wait_for(state="attached")
    page.wait_for_function(f"img => img.complete && img.naturalWidth === {width}", arg=photo.element_handle())


def test_click_two_parts_then_score_six_variants_in_chromium(page):
    from playwright.sync_api import expect  # here: without Playwright the `browser` fixture skips, or fails in CI

    checked = lambda part: expect(page.get_by_role("radio", name=part, exact=True)).to_be_checked(timeout=TIMEOUT_MS)
    shown_marks = page.locator("#picasso-photo-marks")
    page.get_by_role("tab", name="Invariance lab").click()
    page.locator(f"img[src*='{CAT.name}']").first.click()  # the example: the cat comes with four marks
    checked("left brow")  # four shipped marks: a brow is next
    expect(shown_marks).to_contain_text('"mouth"', timeout=TIMEOUT_MS)
    _photo_shown(page, 451)
    assert len(_marks(page)) == 4
    page.get_by_role("button", name="Clear marks").click()
    checked("left eye")
    expect(shown_marks).not_to_contain_text('"part"', timeout=TIMEOUT_MS)
    for (part, (x, y)), after in zip(CLICKS.items(), ("right eye", "nose")):
        _photo_shown(page, 451)
        photo = page.locator(PHOTO).first
        at_x, at_y = photo.evaluate(SCREEN_POINT, [x, y])
        photo.click(position={"x": at_x, "y": at_y})
        checked(after)  # the next part is offered once the click's mark is in
        expect(shown_marks).to_contain_text(f'"{part}"', timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE)
    marks = _marks(page)
    assert [mark["part"] for mark in marks] == list(CLICKS)
    for mark, (x, y) in zip(marks, CLICKS.values()):
        assert abs(mark["x"] - x) <= 2 and abs(mark["y"] - y) <= 2  # where the click was, in the photo's pixels
    assert marks[0]["size"] == marks[1]["size"] == round(0.6 * ((320 - 172) ** 2 + (136 - 116) ** 2) ** 0.5)
    page.get_by_role("button", name="Score the Picasso photo").click()
    numbers = page.locator("#picasso-photo-numbers")
    expect(numbers).to_contain_text('"picasso"', timeout=TIMEOUT_MS)  # the JSON tree's text, folded or not
    page.locator("#picasso-photo-plot img").first.wait_for(state="visible")
    assert page.locator(".toast-body.error").count() == 0
    text = numbers.text_content()
    for name in ("clean", "homework", "moved", "rotated", "swapped", "picasso"):
        assert f'"{name}"' in text, name
    assert text.count('"p_target"') == 12  # six variants × two models
