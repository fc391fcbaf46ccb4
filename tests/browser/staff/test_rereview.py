"""复核 on the case page: the county adjusts a household's amount after the township opened
a re-review, with the members' new incomes and the password typed again."""

from playwright.sync_api import expect

from tests.browser.staff.conftest import PASSWORD, checked, no_longer_fresh, sign_in
from tests.dibao.conftest import step  # noqa: F401 (a fixture)


def test_the_county_adjusts_the_amount_in_a_re_review(desk, approved_case, step):  # noqa: F811
    case = approved_case
    reopened = step(case, "town01", "start_rereview")
    assert reopened.status_code == 200, reopened.get_json()
    page = desk
    sign_in(page, "county01")
    page.goto(f"/staff/cases/{case['id']}")
    expect(page.locator("#facts")).to_contain_text("复核中")
    expect(page.locator("#amount")).to_contain_text("784.00 元")
    page.get_by_label("王家二").fill("八百")
    no_longer_fresh(page)
    page.click("#action-buttons >> text=调整保障金")
    expect(page.locator("label", has_text="王家二").locator(".field-error")).to_be_visible()
    page.get_by_label("王家二").fill("800.00")
    page.click("#action-buttons >> text=调整保障金")
    page.fill("#reauth input[name=password]", PASSWORD)
    page.click("#reauth button[type=submit]")
    expect(page.locator("#facts")).to_contain_text("已批准")
    expect(page.locator("#amount")).to_contain_text("484.00 元")
    expect(page.locator("#timeline")).to_contain_text("调整保障金")
    checked(page, "rereview")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    checked(page, "case-tablet")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
