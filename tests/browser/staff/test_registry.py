"""婚姻登记 at the counter: the registrar's day by half-day, a couple checked in by the
code they hold, another by the QR code read with the PC's camera, then completed."""

from playwright.sync_api import expect

from tests.browser.staff.conftest import checked, sign_in


def test_a_registrar_checks_couples_in_by_code_and_by_camera(desk, camera_desk, todays_couples):
    (first_id, first_code), (second_id, second_code) = todays_couples
    page = desk
    sign_in(page, "registrar01")
    expect(page.locator("h1")).to_have_text("婚姻登记")
    morning = page.locator(".period").first
    expect(morning).to_contain_text("上午:容量 20,已约 2")
    checked(page, "registry")

    row = page.locator(f"tr[data-id='{first_id}']")
    row.locator("text=签到").click()
    page.fill("#checkin input[name=checkin_code]", "WRONG1")
    page.click("#checkin button[type=submit]")
    expect(page.locator("#checkin-error")).to_have_text("签到码不正确")
    checked(page, "checkin")
    page.fill("#checkin input[name=checkin_code]", first_code)
    page.click("#checkin button[type=submit]")
    expect(row).to_contain_text("已签到")
    row.locator("text=办结").click()
    expect(row).to_contain_text("已办结")

    counter = camera_desk(second_code)
    sign_in(counter, "registrar01")
    row = counter.locator(f"tr[data-id='{second_id}']")
    row.locator("text=签到").click()
    counter.click("#scan")
    expect(row).to_contain_text("已签到", timeout=15000)
    expect(counter.locator(".period").first).to_contain_text("已签到 1,已办结 1")
