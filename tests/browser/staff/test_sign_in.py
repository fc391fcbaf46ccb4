"""Signing in to the workbench: a wrong password is said so on the form, a resident's or
agent's account is turned away, a registrar lands on the registry and the county on
its own day's work."""

import re

from playwright.sync_api import expect

from tests.browser.staff.conftest import PASSWORD, checked, sign_in


def test_a_wrong_password_is_refused_on_the_form(desk, demo):
    page = desk
    page.goto("/staff/login")
    checked(page, "login")
    page.fill("input[name=username]", "town01")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).not_to_be_empty()
    expect(page).to_have_url(re.compile("/staff/login$"))


def test_an_agent_is_sent_to_the_residents_portal(desk, demo):
    page = desk
    page.goto("/staff/login")
    page.fill("input[name=username]", "agent0101")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("该账号不是工作人员账号,请使用民政掌上办登录")
    page.goto("/staff/queue")
    expect(page).to_have_url(re.compile("/staff/login\\?next=%2Fstaff%2Fqueue$"))


def test_each_role_lands_on_its_own_page_and_sees_its_own_links(desk, demo):
    page = desk
    sign_in(page, "registrar01")
    expect(page).to_have_url(re.compile("/staff/registry$"))
    expect(page.locator("nav li:visible")).to_have_text(["婚姻登记"])
    page.goto("/staff/")  # where the residents' sign-in page sends every staff member
    expect(page).to_have_url(re.compile("/staff/registry$"))
    expect(page.locator("#who-name")).not_to_be_empty()  # the page knows who is here
    page.click("#sign-out")
    expect(page).to_have_url(re.compile("/staff/login$"))
    sign_in(page, "county01")
    expect(page.locator("h1")).to_have_text("今日待办")
    expect(page.get_by_role("region", name=re.compile("待县级确认"))).to_contain_text("暂无案件")
    expect(page.locator("nav li:visible")).to_contain_text(
        ["今日待办", "案件队列", "抽查", "工作日历"]
    )
    checked(page, "home-county")
