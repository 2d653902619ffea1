"""The app in a real browser: headless Chromium uploads a picture, clicks Compare, and sees both models' answers.

Playwright drives Debian's Chromium (the `chromium` package) rather than a browser of its own. Without either, the
tests skip with the reason; under CI (CI=true) they fail instead, so a green CI run always includes them.
"""
import os
import shutil
from pathlib import Path

import pytest

from tests.ci import missing_tool
from ui import panels
from ui.examples import EXAMPLES_DIR

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOT = Path("/tmp/browser_compare.png")
FACE = EXAMPLES_DIR / "toy_face.png"
TIMEOUT_MS = 60_000
IDLE = "() => [...document.querySelectorAll('[data-testid=status-tracker]')].every(t => t.classList.contains('hide'))"
"""No component waits for an answer: every event the page sent has completed."""


def missing_browser(reason: str) -> None:
    """Skip with the reason; under CI, fail with it."""
    missing_tool(f"{reason} (the browser tests need Chromium and Playwright)")


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api
    except ImportError:
        missing_browser("Playwright for Python is not installed (requirements-test.txt)")
    if not os.access(CHROMIUM, os.X_OK):
        missing_browser(f"no Chromium at {CHROMIUM} (Debian package `chromium`)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, demo):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(demo.local_url)
    opened.get_by_role("button", name="Compare", exact=True).wait_for()
    opened.locator(".cnn [data-testid='label-output-value']").first.wait_for(state="visible")  # the first view
    opened.wait_for_function(IDLE)
    yield opened
    context.close()


def _compare_and_read(page) -> dict[str, str]:
    """Click Compare, wait for its answer, both top-1 labels and the three maps; return the labels."""
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_function(IDLE)
    labels = {}
    for model in ("cnn", "vit"):
        top = page.locator(f".{model} [data-testid='label-output-value']").first
        top.wait_for(state="visible")
        labels[model] = top.inner_text().strip()
    for title in ("CNN: Grad-CAM (last stage)", "ViT: attention rollout (class-agnostic)",
                  "ViT: Grad-CAM on the last block (class-specific)"):
        picture = page.locator(f".block:has(label:has-text('{title}')) img").first
        picture.wait_for(state="visible")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle())
        assert picture.evaluate("img => img.naturalWidth") == 64, title  # the toy crop, sent as the model saw it
        assert picture.evaluate("img => img.getBoundingClientRect().width") >= 200, title  # enlarged on screen
    assert page.locator(".toast-body.error").count() == 0
    return labels


def test_the_page_opens_on_an_example_and_its_result_in_chromium(page):
    """Before any click: the toy face selected, both models' answers and the Picasso faces scored."""
    assert page.locator(".block:has(label:has-text('Image (upload')) img[src*='toy_face']").count() == 1
    for model in ("cnn", "vit"):
        assert page.locator(f".{model} [data-testid='label-output-value']").first.inner_text().strip() == "face"
    assert page.get_by_text(" ms · ").count() >= 1  # the latency line
    page.get_by_role("tab", name="Invariance lab").click()
    page.locator(".block:has(label:has-text('P(face)')) img").first.wait_for(state="visible")


def test_upload_and_compare_in_chromium(page, tmp_path):
    page.locator("input[type=file]").first.set_input_files(str(FACE))
    page.locator(".block:has(label:has-text('Image (upload')) img").first.wait_for(state="visible")
    labels = _compare_and_read(page)
    expected = panels.predict(str(FACE), "toy", 1)
    assert labels == {"cnn": expected["cnn"][0]["label"], "vit": expected["vit"][0]["label"]} == \
        {"cnn": "face", "vit": "face"}
    assert page.get_by_text(" ms · ").count() >= 1  # the latency line
    shot = tmp_path / "browser_compare.png"
    page.screenshot(path=str(shot), full_page=True)
    shutil.copyfile(shot, SCREENSHOT)
    assert shot.stat().st_size > 10_000


def test_an_example_then_compare_in_chromium(page):
    """Examples reach the model through Gradio's upload folder, so the upload-path check lets them through."""
    house = EXAMPLES_DIR / "toy_house.png"
    page.locator(f"img[src*='{house.name}']").first.click()
    page.locator(".block:has(label:has-text('Image (upload')) img").first.wait_for(state="visible")
    labels = _compare_and_read(page)
    expected = panels.predict(str(house), "toy", 1)
    assert labels == {"cnn": expected["cnn"][0]["label"], "vit": expected["vit"][0]["label"]}


def test_a_bad_file_shows_its_message_in_chromium(page, tmp_path):
    notes = tmp_path / "notes.png"
    notes.write_text("lecture notes, not a picture\n")
    page.locator("input[type=file]").first.set_input_files(str(notes))
    page.get_by_role("button", name="Compare", exact=True).click()
    toast = page.locator(".toast-body.error").first
    toast.wait_for(state="visible")
    assert "This file is not an image (it looks like text)" in toast.inner_text()


@pytest.mark.parametrize("ci, outcome", [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no Chromium at /nowhere"):
        missing_browser("no Chromium at /nowhere")
