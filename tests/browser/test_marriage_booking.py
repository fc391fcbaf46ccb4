"""婚姻登记预约 in a real browser: a couple books a half-day, gets the check-in QR code and
the .ics file, reschedules and cancels; a full half-day takes a place in line."""

from playwright.sync_api import expect
from sqlalchemy import select, update
from stdnum.cn import ric

from backend.extensions import db
from backend.models.marriage import Slot
from tests.browser.conftest import audit
from tests.browser.people import RESIDENT_ID, verified_resident

# 王秀英 (born 1949, a woman) marries 李建国, a man born 1950.
GROOM_BODY = "11010519500101001"
GROOM_ID = GROOM_BODY + ric.calc_check_digit(GROOM_BODY + "0")


def fill_couple(page):
    page.fill("input[name=a_name]", "王秀英")
    page.fill("input[name=a_id_number]", RESIDENT_ID)
    page.fill("input[name=a_phone]", "13912345678")
    page.fill("input[name=b_name]", "李建国")
    page.fill("input[name=b_id_number]", GROOM_ID)
    page.fill("input[name=b_phone]", "13812345678")


def test_a_couple_books_gets_the_qr_and_ics_then_reschedules_and_cancels(page):
    verified_resident(page)
    page.click("text=婚姻登记预约")
    first = page.locator("#slots button.slot").first
    expect(first).to_contain_text("余 20")
    audit(page, "marriage-slots")
    first.click()
    fill_couple(page)
    audit(page, "marriage-parties")
    page.click("text=确认预约")

    page.wait_for_url("**/appointments/*")
    expect(page.locator("[data-field=status]")).to_have_text("已预约")
    expect(page.locator("[data-field=checkin_code]")).not_to_be_empty()
    assert page.locator("#checkin-qr").evaluate("canvas => canvas.width") > 100
    audit(page, "appointment")
    with page.expect_download() as download:
        page.click("text=加入手机日历(.ics)")
    ics = download.value.path().read_text()
    assert "BEGIN:VCALENDAR" in ics and "BEGIN:VEVENT" in ics

    first_url = page.url
    page.click("text=改约")
    page.locator("#main .days button.slot").nth(3).click()
    page.wait_for_url(lambda url: url != first_url)
    expect(page.locator("[data-field=status]")).to_have_text("已预约")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=取消预约")
    expect(page.locator("[data-field=status]")).to_have_text("已取消")


def test_a_full_half_day_offers_a_place_in_line(page, demo):
    with demo.app_context():
        slot_id = db.session.scalar(select(Slot.id).order_by(Slot.day, Slot.period).limit(1))
        db.session.execute(update(Slot).where(Slot.id == slot_id).values(capacity=0))
        db.session.commit()
    verified_resident(page)
    page.goto("/marriage")
    full = page.locator(f"button[data-slot='{slot_id}']")
    expect(full).to_contain_text("已满")
    full.click()
    fill_couple(page)
    page.click("text=加入候补")
    expect(page.locator("section:visible h2")).to_contain_text("已加入候补")


def test_a_groom_under_age_is_refused_and_nothing_is_booked(page):
    verified_resident(page)
    page.goto("/marriage")
    page.locator("#slots button.slot").first.click()
    fill_couple(page)
    young = "11010520100101001"
    page.fill("input[name=b_id_number]", young + ric.calc_check_digit(young + "0"))
    page.click("text=确认预约")
    expect(page.locator("section:visible [role=alert]")).not_to_be_empty()
    expect(page.locator("h1")).to_have_text("婚姻登记预约")
