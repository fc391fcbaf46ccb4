"""The home page in a real browser: the four services, and 长辈模式 remembered."""

from playwright.sync_api import expect

from tests.browser.conftest import audit


def test_the_home_page_passes_the_audit(page):
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    audit(page, "home")
