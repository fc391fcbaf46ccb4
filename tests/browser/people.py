"""Who signs in during the browser tests, and how (through the pages, as a person would)."""

import re

from playwright.sync_api import expect

from tests.factories import member_id_number

RESIDENT_PHONE = "13912345678"
RESIDENT_NAME = "王秀英"
RESIDENT_ID = "11010519491231002X"
PASSWORD = "Demo@2026"


def sign_in_by_sms(page, phone: str = RESIDENT_PHONE) -> None:
    page.goto("/login")
    page.fill("input[name=phone]", phone)
    page.click("text=获取验证码")
    code = page.locator("[data-field=debug_code]")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    page.fill("input[name=code]", code.inner_text())
    page.click("form:visible button[type=submit]")


def submit_real_name(page, id_number: str = RESIDENT_ID) -> None:
    """实名认证 as the demo lets a resident finish it: the first 提交认证 gets the
    stand-in's proof (shown and filled in), the second binds the account."""
    expect(page.locator("h1")).to_have_text("实名认证")
    page.fill("input[name=name]", RESIDENT_NAME)
    page.fill("input[name=id_number]", id_number)
    page.click("button:has-text('提交认证')")
    proof = page.locator("[data-field=debug_verify_result]")
    expect(proof).to_have_text(re.compile(r"^[0-9a-f]{16}$"))
    expect(page.locator("input[name=verify_result]")).to_have_value(proof.inner_text())
    page.click("button:has-text('提交认证')")


def verified_resident(page, id_number: str = RESIDENT_ID, phone: str = RESIDENT_PHONE) -> None:
    sign_in_by_sms(page, phone)
    submit_real_name(page, id_number)
    expect(page.locator("h1")).to_have_text("民政服务 · 足不出户")


def sign_in_with_password(page, username: str) -> None:
    page.goto("/login")
    page.click("text=代办员、工作人员")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:visible button[type=submit]")


__all__ = ["member_id_number"]
