"""'Share this view' in a real browser: set a view that is not the page's default, click the button, open the copied
link in a fresh browser context, and find the same image, tab and settings there.

Uses test_browser's Chromium (skips without it, fails under CI=true) and conftest's app on the toy pair.
"""
import pytest

from tests.test_browser import IDLE, TIMEOUT_MS, browser  # noqa: F401  (browser: a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _opened(browser, url: str):  # noqa: F811
    """A new browser context (no shared cookies or storage) on `url`, once the page has answered its load events."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_role("button", name="Share this view").wait_for()
    page.wait_for_function(IDLE)
    return context, page


def _copied_link(page) -> str:
    """The clipboard's text once it holds a link: the button says "Link copied" at once, the link reaches the
    clipboard when the server has answered with its id."""
    for _ in range(TIMEOUT_MS // 100):
        copied = page.evaluate("navigator.clipboard.readText()")
        if "deep_link=" in copied:
            return copied
        page.wait_for_timeout(100)
    raise AssertionError(f"no link reached the clipboard (it holds {copied!r})")


def _number(page, label: str):
    return page.locator(f".block:has(label:has-text('{label}')) input[type=number]").first


def _radio(page, value: str):
    return page.locator(f"input[type=radio][value='{value}']").first


def test_a_shared_link_restores_the_image_tab_and_settings(browser, demo):  # noqa: F811
    context, page = _opened(browser, demo.local_url)
    page.locator(".cnn [data-testid='label-output-value']").first.wait_for(state="visible")  # the first view
    page.locator("img[src*='toy_house']").first.click()  # an example that is not the one selected at start
    page.locator(".block:has(label:has-text('Image (upload')) img[src*='toy_house']").first.wait_for()
    _radio(page, "max").check()
    _number(page, "Rollout discard ratio").fill("0.5")
    _number(page, "Rollout discard ratio").press("Enter")
    page.get_by_role("tab", name="Invariance lab").click()
    _radio(page, "shuffle").check()
    _number(page, "Face seed").fill("7")
    _number(page, "Face seed").press("Enter")
    page.wait_for_function(IDLE)

    share = page.get_by_role("button", name="Share this view")
    share.click()
    page.get_by_role("button", name="Link copied").wait_for()
    link = _copied_link(page)
    assert link.startswith(demo.local_url.rstrip("/")) and "deep_link=" in link
    page.get_by_role("button", name="Share this view").wait_for()  # it reads as before again
    context.close()

    fresh_context, fresh = _opened(browser, link)
    assert fresh.get_by_role("tab", name="Invariance lab").get_attribute("aria-selected") == "true"
    assert _radio(fresh, "shuffle").is_checked() and not _radio(fresh, "rotate").is_checked()
    assert _number(fresh, "Face seed").input_value() == "7"
    assert fresh.locator(".block:has(label:has-text('Image (upload')) img[src*='toy_house']").count() == 1
    fresh.get_by_role("tab", name="Compare").click()
    fresh.locator(".cnn [data-testid='label-output-value']").first.wait_for(state="visible")  # the shared results
    assert _radio(fresh, "max").is_checked() and not _radio(fresh, "mean").is_checked()
    assert _number(fresh, "Rollout discard ratio").input_value() == "0.5"
    assert fresh.get_by_role("combobox", name="Model pair").input_value() == "toy"  # the only pair offline
    fresh_context.close()


def test_a_page_without_a_link_opens_on_the_defaults(browser, demo):  # noqa: F811
    """The other side: the settings above are not what any page shows, so the test above can fail."""
    context, page = _opened(browser, demo.local_url)
    assert page.get_by_role("tab", name="Compare").get_attribute("aria-selected") == "true"
    assert _radio(page, "mean").is_checked() and _number(page, "Rollout discard ratio").input_value() == "0.9"
    assert page.locator(".block:has(label:has-text('Image (upload')) img[src*='toy_face']").count() == 1
    context.close()
