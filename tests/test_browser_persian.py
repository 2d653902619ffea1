"""The interface in Persian in a real browser: Chromium with the fa-IR locale gets Persian buttons, right-to-left
Markdown and a Persian error for a text file uploaded as an image; the English default is unchanged.

Uses test_browser's Chromium (skips without it, fails under CI=true) and conftest's app on the toy pair.
"""
import pytest

from tests.test_browser import IDLE, TIMEOUT_MS, browser  # noqa: F401  (browser: a fixture)
from ui.strings import STRINGS

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _page(browser, demo, locale: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(demo.local_url)
    page.locator(".cnn [data-testid='label-output-value']").first.wait_for(state="visible")  # the first view
    page.wait_for_function(IDLE)
    return context, page


def _upload_notes_and_compare(page, tmp_path, button: str) -> str:
    notes = tmp_path / "notes.png"
    notes.write_text("lecture notes, not a picture\n")
    page.locator("input[type=file]").first.set_input_files(str(notes))
    page.get_by_role("button", name=button, exact=True).click()
    toast = page.locator(".toast-body.error").first
    toast.wait_for(state="visible")
    return toast.inner_text()


def _intro_direction(page) -> str:
    heading = page.get_by_role("heading", level=1).first
    return heading.evaluate("h => getComputedStyle(h.closest('.prose')).direction")


def test_a_persian_browser_gets_the_interface_in_persian(browser, demo, tmp_path):  # noqa: F811
    context, page = _page(browser, demo, "fa-IR")
    assert page.get_by_role("button", name=STRINGS["compare"][1], exact=True).is_visible()
    assert page.get_by_role("button", name=STRINGS["share"][1]).is_visible()  # its name also holds its icon's
    assert page.get_by_role("button", name="مقایسه کن", exact=True).count() == 1
    for key in ("tab_compare", "tab_inside", "tab_lab", "tab_theory", "tab_findings"):
        assert page.get_by_role("tab", name=STRINGS[key][1]).count() == 1
    assert page.get_by_role("button", name="Compare", exact=True).count() == 0
    assert _intro_direction(page) == "rtl"
    message = _upload_notes_and_compare(page, tmp_path, "مقایسه کن")
    assert "این پرونده تصویر نیست (به نظر می‌رسد متن باشد)" in message
    assert "This file is not an image" not in message
    context.close()


def test_an_english_browser_gets_the_interface_unchanged(browser, demo, tmp_path):  # noqa: F811
    context, page = _page(browser, demo, "en-US")
    assert page.get_by_role("button", name="Compare", exact=True).count() == 1
    assert page.get_by_role("button", name="Share this view").count() == 1
    assert page.get_by_role("tab", name="Invariance lab").count() == 1
    assert page.get_by_role("button", name="مقایسه کن", exact=True).count() == 0
    assert _intro_direction(page) == "ltr"
    assert "This file is not an image (it looks like text)" in _upload_notes_and_compare(page, tmp_path, "Compare")
    context.close()
