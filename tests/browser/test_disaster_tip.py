"""灾情随手拍: the form (its API is being built; the page follows the published contract)."""

from playwright.sync_api import expect

from tests.browser.conftest import audit
from tests.browser.people import verified_resident


def test_the_tip_form_takes_camera_photos_and_leaves_the_location_optional(page):
    verified_resident(page)
    page.goto("/disaster/tip")
    expect(page.locator("textarea[name=description]")).to_be_visible()
    expect(page.locator("input[name=photos]")).to_have_attribute("capture", "environment")
    expect(page.locator("text=附上我的位置(可不填)")).to_be_visible()
    audit(page, "disaster-tip")
