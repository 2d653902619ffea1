"""The Theory tab's Swin-T view in a real browser: show the windows, click a token on Swin-T's input, and see that
token's window attention and its traced reach. The browser and page are tests/test_browser.py's (under CI=true a
missing Playwright or Chromium fails)."""
import re

import pytest

from tests.test_browser import IDLE, TIMEOUT_MS, browser, page  # noqa: F401  (fixtures)
from tests.test_browser_picasso_photo import SCREEN_POINT

pytestmark = [pytest.mark.slow, pytest.mark.browser]
TOKEN = (40, 12)
"""The stage-1 patch clicked: (row, column) on the 56 × 56 grid of 4 px patches."""


def test_click_a_token_then_see_its_attention_and_reach_in_chromium(page):
    page.get_by_role("tab", name="Theory").click()
    page.get_by_role("button", name="Show the windows and the attention", exact=True).click()
    page.wait_for_function(IDLE)
    crop = page.locator("#swin-crop img").first
    crop.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 224", arg=crop.element_handle())
    centre = (TOKEN[1] * 4 + 2, TOKEN[0] * 4 + 2)  # the patch's centre in the crop's pixels (x, y)
    x, y = crop.evaluate(SCREEN_POINT, list(centre))
    crop.click(position={"x": x, "y": y})
    about = page.locator("#swin-reach-about")
    about.get_by_text(f"The token at patch ({TOKEN[0]}, {TOKEN[1]})").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(IDLE)
    line = about.inner_text()
    traced, predicted = re.search(r"depends on ([\d, ]+) input patches after .* predicts ([\d, ]+)\)", line).groups()
    assert traced == predicted and traced.startswith("49, 196,"), line  # W-MSA stays in its window; SW-MSA crosses
    assert "the ViT's token at the same pixel depends on 196 of its 196 patches" in line
    assert "random init" in line or "pretrained from the Hub cache" in line  # the weights are named
    assert page.locator(".toast-body.error").count() == 0
