"""A 低保 case through the workbench: the township officer takes it from the queue,
reviews the materials, records the visit and approves; after the publicity the county
confirms it with the password typed again."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from backend.services import clock
from tests.browser.staff.conftest import (
    PASSWORD,
    RESIDENT_ID,
    checked,
    no_longer_fresh,
    sign_in,
)


def test_a_township_officer_and_the_county_take_a_case_to_approval(desk, submitted_case, app):
    page = desk
    sign_in(page, "town01")
    expect(page.locator("h1")).to_have_text("今日待办")
    expect(page.get_by_role("region", name="待受理")).to_contain_text(submitted_case["number"])
    checked(page, "home")

    page.click("nav >> text=案件队列")
    row = page.locator("#queue tbody tr").first
    expect(row).to_contain_text(submitted_case["number"])
    expect(row).to_contain_text("已核 0/5")
    checked(page, "queue")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.locator("#case-title")).to_contain_text(submitted_case["number"])
    expect(page.locator("#facts")).to_contain_text("待受理")

    page.click("#action-buttons >> text=受理")
    expect(page.locator("#facts")).to_contain_text("已受理待调查")
    expect(page.locator("#facts")).to_contain_text("剩 10 个工作日")
    checked(page, "case")
    expect(page.locator("#applicant-id")).to_have_text("110105********002X")
    page.click("#reveal")
    expect(page.locator("#applicant-id")).to_have_text(RESIDENT_ID)
    expect(page.locator("#reveal-note")).to_contain_text("已记入审计日志")

    page.locator("#thumbs button").first.click()
    viewer = page.locator("#viewer")
    expect(viewer).to_be_visible()
    expect(page.locator("#viewer-image")).to_have_attribute("src", re.compile("variant=review"))
    page.click("#zoom-in")
    page.click("#rotate")
    expect(page.locator("#viewer-image")).to_have_attribute(
        "style", re.compile(r"rotate\(90deg\) scale\(1\.5\)")
    )
    checked(page, "viewer")
    page.click("#review-reupload")
    expect(page.locator("#flash")).to_contain_text("请填写原因")
    page.locator("#viewer .stage").focus()
    for shown in range(1, 6):
        expect(page.locator("#viewer-position")).to_have_text(f"第 {shown} / 5 份")
        page.keyboard.press("a")
    expect(page.locator("#viewer-state")).to_have_text("已通过")
    page.click("#close-viewer")
    expect(page.locator("#missing")).to_contain_text("必需材料已齐全")

    form = page.locator("#investigation")
    form.locator("input[name=investigators]").nth(0).fill("王五")
    form.locator("textarea[name=findings]").fill("家中无劳动力,收入来源为零工。")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_have_text("入户调查应有2到10名调查人员")
    form.locator("input[name=investigators]").nth(1).fill("赵六")
    form.locator("button[type=submit]").click()
    expect(page.locator("#facts")).to_contain_text("已调查待审核")
    expect(page.locator("#investigation-record")).to_contain_text("王五、赵六")

    page.click("#action-buttons >> text=乡镇审核通过")
    expect(page.locator("#facts")).to_contain_text("公示中")

    publicity_over = clock.today() + timedelta(days=8)
    tick = app.test_cli_runner().invoke(args=["tick", "--date", publicity_over.isoformat()])
    assert tick.exit_code == 0, tick.output

    page.click("#sign-out")
    expect(page).to_have_url(re.compile("/staff/login$"))
    sign_in(page, "county01")
    page.goto("/staff/queue?status=pending_confirmation")
    page.click(f"text={submitted_case['number']}")
    expect(page.locator("#facts")).to_contain_text("待县级确认")
    no_longer_fresh(page)
    page.click("#action-buttons >> text=县级确认批准")
    expect(page.locator("#reauth")).to_be_visible()
    checked(page, "reauth")
    page.fill("#reauth input[name=password]", PASSWORD)
    page.click("#reauth button[type=submit]")
    expect(page.locator("#facts")).to_contain_text("已批准")
    expect(page.locator("#amount")).to_contain_text("784.00 元")
    expect(page.locator("#timeline")).to_contain_text("县级确认批准")


def test_a_material_is_sent_back_and_a_return_needs_its_reason(desk, submitted_case):
    page = desk
    sign_in(page, "town01")
    page.goto(f"/staff/cases/{submitted_case['id']}")
    page.locator("#thumbs button").first.click()
    page.locator("#viewer .stage").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#viewer-position")).to_have_text("第 3 / 5 份")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#viewer-title")).to_contain_text("户口簿")
    page.fill("#review-comment", "户口簿首页不清晰,请重新拍摄")
    page.click("#review-reupload")
    expect(page.locator("#flash")).to_have_text("户口簿:需重新上传")
    expect(page.locator("#viewer-position")).to_have_text("第 3 / 5 份")  # the next unreviewed
    page.click("#close-viewer")
    expect(page.locator("#missing")).to_contain_text("户口簿(需重新上传)")
    expect(page.locator("#thumbs li").nth(1)).to_contain_text("需重新上传")

    page.click("#action-buttons >> text=退回补正")
    expect(page.locator("#flash")).to_have_class(re.compile("error"))
    expect(page.locator("#facts")).to_contain_text("待受理")
    page.fill("#action-form textarea[name=comment]", "请重新拍摄户口簿首页")
    page.click("#action-buttons >> text=退回补正")
    expect(page.locator("#facts")).to_contain_text("已退回补正")
    expect(page.locator("#timeline")).to_contain_text("意见:请重新拍摄户口簿首页")
