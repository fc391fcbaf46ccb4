"""The portal's self-check page, in a real browser on a phone-sized screen."""

from playwright.sync_api import expect

from tests.browser.conftest import audit


def fill_incomes(page, incomes):
    for _ in incomes[1:]:
        page.click("#add-member")
    for field, income in zip(
        page.locator("input[name=monthly_income]").all(), incomes, strict=True
    ):
        field.fill(income)


def test_a_resident_checks_an_urban_household_of_three(page):
    page.goto("/")
    page.click("text=低保自助测算")
    expect(page.locator("h1")).to_have_text("低保自助测算")
    fill_incomes(page, ["0", "300", "500"])
    page.click("text=开始测算")
    result = page.locator("#result")
    expect(result.locator("[data-field=monthly_amount]")).to_have_text("784.00")
    expect(result.locator("[data-field=per_capita_income]")).to_have_text("266.67")
    expect(result.locator("[data-field=verdict]")).to_contain_text("可以申请")


def test_a_rural_household_uses_the_yearly_standard(page):
    page.goto("/dibao/estimate")
    page.select_option("select[name=area_type]", "rural")
    fill_incomes(page, ["300", "0"])
    page.click("text=开始测算")
    expect(page.locator("[data-field=monthly_amount]")).to_have_text("418.33")
    expect(page.locator("[data-field=standard_monthly]")).to_have_text("359.17")


def test_a_bad_income_is_shown_beside_its_member(page):
    page.goto("/dibao/estimate")
    fill_incomes(page, ["0", "三百"])
    page.click("text=开始测算")
    errors = page.locator(".member .field-error")
    expect(errors.nth(1)).to_contain_text("金额")
    expect(errors.nth(0)).to_have_text("")
    expect(page.locator("#result")).to_be_hidden()


def test_the_estimate_page_passes_the_audit(page):
    page.goto("/dibao/estimate")
    page.click("text=开始测算")
    audit(page, "estimate")
