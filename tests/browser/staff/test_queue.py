"""The queue: deadlines first, filters kept in the address, keyset pages forwards and
back, j/k/Enter; and the county's batch approval of pending confirmations."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from backend.extensions import db
from backend.models import Application
from backend.models.attachment import ReviewStatus
from backend.services import clock
from tests.browser.staff.conftest import PASSWORD, VILLAGE, checked, no_longer_fresh, sign_in
from tests.dibao.conftest import case_at, open_household, step  # noqa: F401 (fixtures)
from tests.factories import file_material, member_id_number


def submit_households(client, login, count: int) -> list[str]:
    """`count` one-person households submitted by the village's agent; their numbers."""
    numbers = []
    for serial in range(1, count + 1):
        person = member_id_number(500 + serial)
        body = {
            "type": "dibao",
            "region_code": VILLAGE,
            "applicant": {"name": "张桂芳", "id_number": person},
            "on_behalf": True,
            "household": {
                "area_type": "urban",
                "members": [
                    {
                        "name": "张桂芳",
                        "id_number": person,
                        "relation": "self",
                        "monthly_income": "0",
                    }
                ],
            },
        }
        case = client.post("/api/v1/applications", json=body, headers=login("agent0101"))
        assert case.status_code == 201, case.get_json()
        case = case.get_json()
        # The resident's signed 委托书, checked, as an agent files it before submitting.
        file_material(case["id"], "mandate", ReviewStatus.UNREVIEWED, uploader="agent0101")
        db.session.commit()
        done = client.post(
            f"/api/v1/applications/{case['id']}/actions",
            json={"action": "submit", "version": case["version"]},
            headers=login("agent0101"),
        )
        assert done.status_code == 200, done.get_json()
        numbers.append(case["number"])
    return numbers


def test_the_queue_pages_by_keyset_filters_and_moves_by_keyboard(desk, demo, client, login):
    numbers = submit_households(client, login, 21)
    page = desk
    sign_in(page, "town01")
    page.goto("/staff/queue")
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator("#queue caption")).to_contain_text("第 1 页")
    first_page = rows.all_inner_texts()
    page.click("#next")
    expect(rows).to_have_count(1)
    expect(page.locator("#next")).to_be_disabled()
    page.click("#prev")
    expect(rows).to_have_count(20)
    assert rows.all_inner_texts() == first_page
    page.keyboard.press("j")  # right after a page button: the keys still move the selection
    expect(rows.nth(1)).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    seen = {re.search(r"DB\d+", text).group() for text in first_page}
    assert len(seen) == 20 and seen <= set(numbers)

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows.nth(1)).to_have_class(re.compile("selected"))
    second = re.search(r"DB\d+", rows.nth(1).inner_text()).group()
    page.keyboard.press("Enter")
    expect(page.locator("#case-title")).to_contain_text(second)

    page.goto("/staff/queue")
    expect(page.locator("select[name=township]")).to_be_hidden()  # a township's own villages
    page.select_option("select[name=village]", "990101002000")
    page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile("region_code=990101002000"))
    expect(rows).to_have_text(["暂无案件"])
    page.select_option("select[name=village]", VILLAGE)
    page.select_option("select[name=status]", "submitted")
    page.click("#filters button[type=submit]")
    expect(rows).to_have_count(20)
    checked(page, "queue-filtered")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, upright
    checked(page, "queue-tablet")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")


def test_the_county_approves_a_page_of_pending_confirmations_at_once(desk, case_at):  # noqa: F811
    first = case_at("pending_confirmation", "0", id_number=member_id_number(601))
    second = case_at("pending_confirmation", "0", id_number=member_id_number(602))
    page = desk
    sign_in(page, "county01")
    page.goto("/staff/queue?status=pending_confirmation")
    for case in (first, second):
        page.check(f"#queue input[aria-label='选择 {case['number']}']")
    no_longer_fresh(page)
    page.click("#batch-approve")
    page.fill("#reauth input[name=password]", PASSWORD)
    page.click("#reauth button[type=submit]")
    expect(page.locator("#flash")).to_have_text("已批准 2 件,未成功 0 件")
    expect(page.locator("#batch-result")).to_contain_text(f"{first['number']}:已批准")
    expect(page.locator("#queue tbody tr")).to_have_text(["暂无案件"])
    checked(page, "batch")


def test_an_expired_access_token_is_renewed_without_signing_in_again(desk, demo):
    page = desk
    sign_in(page, "town01")
    page.context.clear_cookies(name="access_token_cookie")
    page.goto("/staff/queue")
    expect(page.locator("#who-name")).to_contain_text("乡镇工作人员")
    expect(page).to_have_url(re.compile("/staff/queue$"))


def test_an_overdue_case_heads_the_home_page_in_red(desk, submitted_case, client, login):
    accepted = client.post(
        f"/api/v1/applications/{submitted_case['id']}/actions",
        json={"action": "accept", "version": submitted_case["version"]},
        headers=login("town01"),
    )
    assert accepted.status_code == 200, accepted.get_json()
    case = db.session.get(Application, submitted_case["id"])
    case.deadline = clock.today() - timedelta(days=14)  # the township let it lie
    db.session.commit()
    page = desk
    sign_in(page, "town01")
    overdue = page.get_by_role("region", name=re.compile("已逾期"))
    expect(overdue).to_contain_text(submitted_case["number"])
    expect(overdue.locator(".overdue")).to_contain_text(re.compile(r"已逾期 (9|10|11) 个工作日"))
    page.click("text=在队列中查看全部「已逾期」")
    expect(page).to_have_url(re.compile("overdue=true"))
    expect(page.locator("#queue tbody tr")).to_have_count(1)
