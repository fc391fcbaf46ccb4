"""长辈模式 at 360 px: larger text, bigger buttons, the four services alone, remembered."""

from playwright.sync_api import expect

from tests.browser.conftest import audit
from tests.browser.people import verified_resident


def font_size(page, selector):
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def test_elder_mode_enlarges_the_home_and_is_remembered(page):
    page.goto("/")
    assert font_size(page, ".service p") < 18
    switch = page.locator("#elder-switch")
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert font_size(page, "body") >= 18
    assert font_size(page, ".service p") >= 18
    expect(page.locator(".services .service")).to_have_count(4)
    expect(page.locator(".lead")).to_be_hidden()
    audit(page, "home-elder")

    page.goto("/dibao/estimate")
    expect(page.locator("html")).to_have_class("elder")
    assert font_size(page, "label") >= 18
    tallest = page.locator("button.primary").evaluate("e => e.getBoundingClientRect().height")
    assert tallest >= 48
    audit(page, "estimate-elder")
    page.locator("#elder-switch").click()
    page.reload()
    expect(page.locator("html")).not_to_have_class("elder")


def test_a_signed_in_home_in_elder_mode_fits_360_px(page):
    verified_resident(page)
    page.locator("#elder-switch").click()
    expect(page.locator("#my-cases")).to_be_visible()
    assert font_size(page, "#my-cases .hint") >= 18
    assert font_size(page, ".top-nav a") >= 18
    audit(page, "home-signed-in-elder")
