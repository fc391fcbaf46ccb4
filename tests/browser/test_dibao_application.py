"""A resident applies for 低保 from her phone: members, photographed materials scaled down
in the browser, a progress bar, a retry that reuses the Idempotency-Key, drafts kept."""

from playwright.sync_api import expect
from sqlalchemy import update

from backend.extensions import db
from backend.models import Application
from tests.browser.conftest import audit
from tests.browser.people import RESIDENT_ID, RESIDENT_NAME, verified_resident
from tests.browser.photos import photo_files
from tests.factories import member_id_number
from tests.jobs.workers import run_burst_worker

MATERIALS = ("id_card", "hukou", "income_proof", "authorization")


def fill_household(page):
    page.select_option("select[name=township]", "990101000000")
    page.select_option("select[name=region_code]", "990101001000")
    page.fill("input[name=applicant_name]", RESIDENT_NAME)
    page.fill("input[name=applicant_id_number]", RESIDENT_ID)
    page.fill("input[name=applicant_phone]", "13912345678")
    page.select_option("select[name=area_type]", "urban")
    page.fill("input[name=self_income]", "200")
    page.click("#add-member")
    page.fill("input[name=member_name]", "王小明")
    page.fill("input[name=member_id_number]", member_id_number(1))
    page.fill("input[name=member_income]", "0")


def skip_the_photos(page):
    page.click("section:visible >> text=下一步")
    expect(page.locator("h2:visible")).to_have_text("拍照上传材料")
    page.click("section:visible >> text=下一步")


def take_photos(page, files):
    for kind, path in files.items():
        page.set_input_files(f"input[type=file][data-kind={kind}]", str(path))
        expect(page.locator(f"img[alt]:near(input[data-kind={kind}])").first).to_be_visible()


def test_a_resident_applies_with_photos_and_sees_them_processed(page, demo, tmp_path):
    verified_resident(page)
    page.click("text=低保申请")
    expect(page.locator("h1")).to_contain_text("低保申请")
    audit(page, "apply-people")
    fill_household(page)
    page.click("section:visible >> text=下一步")
    take_photos(page, photo_files(tmp_path, *MATERIALS))
    audit(page, "apply-materials")
    page.click("section:visible >> text=下一步")
    expect(page.locator("section:visible")).to_contain_text("家庭人口:2 人")
    expect(page.locator("section:visible")).to_contain_text("材料照片:4 张")
    page.click("text=提交申请")

    page.wait_for_url("**/cases/*")
    expect(page.locator("[data-field=status]")).to_have_text("已提交")
    expect(page.locator("#attachments li")).to_have_count(4)
    run_burst_worker(demo, ["attachments"])
    page.reload()
    expect(page.locator("#attachments li")).to_have_count(4)
    expect(page.locator("#attachments")).not_to_contain_text("等待检查")
    expect(page.locator("#attachments")).to_contain_text("待审核")
    expect(page.locator("[data-field=deadline]")).not_to_be_empty()
    audit(page, "case")


def test_a_dropped_upload_is_retried_with_the_same_key_and_makes_one_case(
    page, tmp_path, expected_console_errors
):
    expected_console_errors.append("net::ERR_CONNECTION_RESET")
    verified_resident(page)
    page.goto("/dibao/apply")
    fill_household(page)
    page.click("section:visible >> text=下一步")
    take_photos(page, photo_files(tmp_path, "id_card", "hukou"))
    page.click("section:visible >> text=下一步")
    keys = []
    dropped = []

    def drop_the_second_upload(route):
        keys.append(route.request.headers["idempotency-key"])
        if len(keys) == 2 and not dropped:
            dropped.append(True)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/applications/*/attachments", drop_the_second_upload)
    page.click("text=提交申请")
    retry = page.get_by_role("button", name="重试")
    expect(page.locator("section:visible [role=alert]")).to_contain_text("网络不稳定")
    retry.click()

    page.wait_for_url("**/cases/*")
    assert keys[1] == keys[2] and keys[0] != keys[1]
    expect(page.locator("#attachments li")).to_have_count(2)
    cases = page.evaluate("fetch('/api/v1/applications').then(r => r.json())")
    assert len(cases["items"]) == 1


def test_the_draft_survives_closing_the_page(page, tmp_path):
    verified_resident(page)
    page.goto("/dibao/apply")
    fill_household(page)
    page.click("section:visible >> text=下一步")
    take_photos(page, photo_files(tmp_path, "id_card"))
    page.wait_for_timeout(300)
    page.close()

    again = page.context.new_page()
    again.goto("/dibao/apply")
    expect(again.locator("input[type=file][data-kind=id_card]")).to_be_visible()
    expect(again.locator("img[alt=身份证]")).to_be_visible()
    again.click("section:visible >> text=上一步")
    expect(again.locator("input[name=applicant_name]")).to_have_value(RESIDENT_NAME)
    expect(again.locator("input[name=member_name]")).to_have_value("王小明")


def test_a_wrong_income_comes_back_beside_its_member(page):
    verified_resident(page)
    page.goto("/dibao/apply")
    fill_household(page)
    page.fill("input[name=member_income]", "三百")
    skip_the_photos(page)
    page.click("text=提交申请")
    expect(page.locator("fieldset.member .field-error")).not_to_be_empty()
    expect(page.locator("input[name=member_income]")).to_be_visible()


def apply_without_photos(page):
    verified_resident(page)
    page.goto("/dibao/apply")
    fill_household(page)
    skip_the_photos(page)
    page.click("text=提交申请")
    page.wait_for_url("**/cases/*")


def report_a_new_income(page):
    page.click("text=报告家庭情况变化")
    page.fill("input[name=happened_on]", "2026-11-30")
    page.fill("textarea[name=change_description]", "儿子外出务工,每月收入约2000元")
    page.click("text=提交报告")


def test_a_household_on_benefit_reports_a_change_of_circumstances(page, demo, tmp_path):
    apply_without_photos(page)
    report_a_new_income(page)
    expect(page.locator("#change [role=alert]")).to_contain_text("正在享受低保")

    with demo.app_context():
        db.session.execute(update(Application).values(status="approved"))
        db.session.commit()
    page.reload()
    report_a_new_income(page)
    expect(page.locator("#change")).to_contain_text("已报告")
    expect(page.locator("[data-field=status]")).to_have_text("复核中")


def test_the_home_page_lists_my_case(page):
    apply_without_photos(page)
    page.goto("/")
    expect(page.locator("#my-cases li")).to_have_count(1)
    expect(page.locator("#my-cases li")).to_contain_text("已提交")
    audit(page, "home-signed-in")
