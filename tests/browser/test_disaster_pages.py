"""灾情随手拍 and the officer's report: the forms (their API is being built; the pages follow
the published contract)."""

from playwright.sync_api import expect

from tests.browser.conftest import audit
from tests.browser.people import sign_in_with_password, verified_resident


def test_the_tip_form_takes_camera_photos_and_leaves_the_location_optional(page):
    verified_resident(page)
    page.goto("/disaster/tip")
    expect(page.locator("textarea[name=description]")).to_be_visible()
    expect(page.locator("input[name=photos]")).to_have_attribute("capture", "environment")
    expect(page.locator("text=附上我的位置(可不填)")).to_be_visible()
    audit(page, "disaster-tip")


def test_the_officer_lands_on_the_report_form_with_every_indicator(page):
    sign_in_with_password(page, "officer0101")
    page.wait_for_url("**/disaster/report")
    expect(page.locator("fieldset input")).to_have_count(13)
    expect(page.locator("select[name=kind] option")).to_have_count(3)
    audit(page, "disaster-report")
