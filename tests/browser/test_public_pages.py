"""Pages anyone may open without signing in: standards in force, notices, how to reach us."""

from playwright.sync_api import expect

from tests.browser.conftest import audit


def test_the_services_page_shows_the_standards_in_force(page):
    page.goto("/public/services")
    expect(page.locator("#dibao-standards tbody tr")).to_have_count(2)
    expect(page.locator("#dibao-standards")).to_contain_text("528.00 元/月")
    expect(page.locator("#dibao-standards")).to_contain_text("4310.00 元/年")
    expect(page.locator("#elderly-bands")).to_contain_text("300.00 元")
    audit(page, "public-services")


def test_the_notices_page_lists_a_village_and_says_when_it_has_none(page):
    page.goto("/public/notices")
    page.select_option("select[name=township]", "990101000000")
    page.select_option("select[name=region_code]", "990101001000")
    expect(page.locator("text=该村暂无公示")).to_be_visible()
    audit(page, "public-notices")


def test_the_contact_page_names_the_bureau_and_the_registry_office(page):
    page.goto("/contact")
    expect(page.locator("main")).to_contain_text("12345")
    expect(page.locator("main")).to_contain_text("示范县婚姻登记处")
    audit(page, "contact")
