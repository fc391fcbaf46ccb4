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


def test_a_registrar_sets_capacity_a_special_open_day_and_a_ballot(desk, todays_couples):
    page = desk
    sign_in(page, "registrar01")
    first = page.locator("#slots tbody tr").first
    expect(first).to_contain_text("18")
    first.locator("input").fill("1")
    first.locator("text=保存").click()
    expect(page.locator("#flash")).to_contain_text("名额不能少于已约人数")
    first.locator("input").fill("25")
    first.locator("text=保存").click()
    expect(page.locator("#flash")).to_contain_text("容量已改为 25")

    days = page.locator("#office-day-form")
    days.locator("input[name=date]").fill("2027-05-21")
    days.locator("select[name=kind]").select_option("closed")
    days.locator("button[type=submit]").click()
    expect(page.locator("#flash")).to_have_text("2027-05-21 已设为闭馆日")
    days.locator("#clear-day").click()
    expect(page.locator("#flash")).to_have_text("2027-05-21 已恢复为按工作日历办公")

    ballot = page.locator("#ballot-form")
    ballot.locator("input[name=date]").fill("2027-05-20")
    ballot.locator("input[name=entries_close_at]").fill("2027-05-01T12:00")
    ballot.locator("button[type=submit]").click()
    expect(ballot.locator(".field-error")).to_have_text("该日期没有预约时段,请先生成时段")

    days.locator("input[name=date]").fill("2027-05-20")
    days.locator("select[name=kind]").select_option("open")
    days.locator("input[name=note]").fill("520 特别开放")
    days.locator("button[type=submit]").click()
    expect(page.locator("#flash")).to_have_text("2027-05-20 已设为特别开放日")
    generate = page.locator("#generate-form")
    generate.locator("input[name=from]").fill("2027-05-20")
    generate.locator("input[name=to]").fill("2027-05-20")
    generate.locator("button[type=submit]").click()
    expect(page.locator("#flash")).to_have_text("已生成 2 个时段")
    ballot.locator("button[type=submit]").click()
    expect(page.locator("#ballots tbody tr").first).to_contain_text("2027-05-20")
    expect(page.locator("#ballots tbody tr").first).to_contain_text("报名中")
    checked(page, "registry-tools")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    checked(page, "registry-tablet")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
