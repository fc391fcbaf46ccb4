"""The county's tools: the relatives register, a spot check drawn and recorded, a new
standard beside its history, a calendar override, the public notice — each refusing a
bad value with the field named."""

from playwright.sync_api import expect

from tests.browser.staff.conftest import checked, sign_in
from tests.dibao.conftest import case_at, open_household, step  # noqa: F401 (fixtures)

SPOUSE_ID = "110105195001010012"


def test_county_staff_register_a_relative_and_a_bad_number_is_named(desk):
    page = desk
    sign_in(page, "county01")
    page.goto("/staff/relatives")
    form = page.locator("#relative-form")
    form.locator("input[name=name]").fill("李桂兰")
    form.locator("input[name=id_number]").fill("110105195001010015")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_contain_text("身份证")
    form.locator("input[name=id_number]").fill(SPOUSE_ID)
    form.locator("select[name=relation]").select_option("spouse")
    form.locator("button[type=submit]").click()
    expect(page.locator("#relatives")).to_contain_text("李桂兰")
    expect(page.locator("#relatives")).to_contain_text("配偶")
    expect(page.locator("#relatives")).not_to_contain_text(SPOUSE_ID)
    checked(page, "relatives")


def test_a_spot_check_is_drawn_and_its_visit_recorded(desk, case_at):  # noqa: F811
    case = case_at("approved")
    page = desk
    sign_in(page, "county01")
    page.goto("/staff/spot-checks")
    form = page.locator("#draw-form")
    form.locator("select[name=township]").select_option("990101000000")
    form.locator("input[name=ratio]").fill("2")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_contain_text("比例")
    form.locator("input[name=ratio]").fill("1")
    form.locator("input[name=seed]").fill("county-2026-12")
    form.locator("button[type=submit]").click()
    expect(page.locator("#check-facts")).to_contain_text("county-2026-12")
    cases = page.locator("#check-cases")
    expect(cases).to_contain_text(f"案件 #{case['id']}")
    cases.locator("input[name=note]").fill("入户核实,情况属实")
    cases.locator("button[type=submit]").click()
    expect(cases).to_contain_text("情况属实:入户核实,情况属实")
    checked(page, "spot-checks")
    page.reload()
    expect(page.locator("#check-cases")).to_contain_text("入户核实")


def test_a_new_standard_shows_beside_its_history(desk):
    page = desk
    sign_in(page, "county01")
    page.goto("/staff/standards")
    expect(page.locator("#dibao")).to_contain_text("528.00 元/人·月")
    expect(page.locator("#bands")).to_contain_text("300.00 元")
    form = page.locator("#standard-form")
    form.locator("input[name=amount]").fill("五百")
    form.locator("input[name=effective_from]").fill("2027-01-01")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_be_visible()
    form.locator("input[name=amount]").fill("560.00")
    form.locator("button[type=submit]").click()
    expect(page.locator("#flash")).to_contain_text("2027-01-01")
    rows = page.locator("#dibao tbody tr")
    expect(rows.filter(has_text="560.00")).to_contain_text("待执行")
    expect(rows.filter(has_text="528.00")).to_contain_text("执行中")
    checked(page, "standards")


def test_a_calendar_override_and_the_notice_board(desk, case_at):  # noqa: F811
    case_at("publicizing")
    page = desk
    sign_in(page, "county01")
    page.goto("/staff/calendar")
    form = page.locator("#override-form")
    form.locator("input[name=day]").fill("2027-02-20")
    form.locator("input[name=note]").fill("春节调休上班")
    form.locator("button[type=submit]").click()
    expect(page.locator("#overrides")).to_contain_text("2027-02-20")
    expect(page.locator("#overrides")).to_contain_text("春节调休上班")
    checked(page, "calendar")

    page.goto("/staff/notices")
    expect(page.locator("#notices")).to_contain_text("王*英")
    expect(page.locator("#notices")).to_contain_text("公示中")
    checked(page, "notices")
