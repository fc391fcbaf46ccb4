"""登录 and 实名认证 in a real browser: SMS code (shown in demo mode), password, real name."""

from urllib.parse import quote

from playwright.sync_api import expect

from tests.browser.conftest import audit
from tests.browser.people import (
    RESIDENT_ID,
    RESIDENT_NAME,
    sign_in_by_sms,
    sign_in_with_password,
    submit_real_name,
    verified_resident,
)


def test_a_new_resident_signs_in_by_sms_then_verifies_her_real_name(page):
    page.goto("/login")
    audit(page, "login")
    sign_in_by_sms(page)
    expect(page.locator("h1")).to_have_text("实名认证")
    audit(page, "real-name")
    submit_real_name(page)
    expect(page.locator("#my-cases")).to_be_visible()
    expect(page.locator("#my-cases")).to_contain_text("还没有办件")


def test_a_wrong_sms_code_is_refused_beside_the_field(page):
    page.goto("/login")
    page.fill("input[name=phone]", "13912345678")
    page.click("text=获取验证码")
    expect(page.locator("[data-field=debug_code]")).not_to_be_empty()
    page.fill("input[name=code]", "12345")
    page.click("form:visible button[type=submit]")
    expect(page.locator("form:visible .field-error").nth(1)).to_contain_text("6位数字")
    expect(page.locator("h1")).to_have_text("登录")


def test_a_bad_identity_number_is_named_and_the_resident_stays_unverified(page):
    sign_in_by_sms(page)
    page.fill("input[name=name]", "王秀英")
    page.fill("input[name=id_number]", "110105194912310021")
    page.click("button:has-text('提交认证')")
    expect(page.locator("form .field-error").nth(1)).not_to_be_empty()
    expect(page.locator("h1")).to_have_text("实名认证")


def test_a_wrong_proof_is_refused_beside_its_field(page):
    sign_in_by_sms(page)
    page.fill("input[name=name]", RESIDENT_NAME)
    page.fill("input[name=id_number]", RESIDENT_ID)
    page.fill("input[name=verify_result]", "0" * 16)
    page.click("button:has-text('提交认证')")
    expect(page.locator("form .field-error").nth(2)).to_contain_text("核验未通过")
    expect(page.locator("input[name=verify_result]")).to_have_value("0" * 16)
    expect(page.locator("h1")).to_have_text("实名认证")


def test_with_online_verification_closed_the_resident_is_sent_to_a_window(
    demo, page, expected_console_errors
):
    demo.config["IDENTITY_VERIFIER"] = "none"
    expected_console_errors.append("status of 503")
    sign_in_by_sms(page)
    page.fill("input[name=name]", RESIDENT_NAME)
    page.fill("input[name=id_number]", RESIDENT_ID)
    page.click("button:has-text('提交认证')")
    expect(page.locator("form .form-error")).to_contain_text("民政部门窗口")
    expect(page.locator("[data-field=debug_verify_result]")).to_be_hidden()
    expect(page.locator("h1")).to_have_text("实名认证")


def test_an_agent_signs_in_with_a_password_and_lands_on_the_workbench(page):
    sign_in_with_password(page, "agent0101")
    page.wait_for_url("**/agent")


def test_a_verified_resident_is_not_asked_again(page):
    verified_resident(page)
    page.click("text=退出登录")
    expect(page.locator("text=登录 / 注册")).to_be_visible()
    sign_in_by_sms(page)
    expect(page.locator("#my-cases")).to_be_visible()


def test_after_sign_in_only_a_page_of_this_site_is_followed(page):
    for outside in ("//example.org/", "/\\example.org/", "https://example.org/"):
        page.goto("/login?next=" + quote(outside))
        page.click("text=代办员、工作人员")
        page.fill("input[name=username]", "agent0101")
        page.fill("input[name=password]", "Demo@2026")
        page.click("form:visible button[type=submit]")
        page.wait_for_url("**/agent")
        expect(page.locator("h1")).to_have_text("代办工作台")
