"""村级代办员 in a real browser: applying on behalf (the mandate photographed first), the
village's cases and what waits on the agent, and an application made with no signal."""

from playwright.sync_api import expect

from tests.browser.conftest import audit
from tests.browser.people import sign_in_with_password
from tests.browser.photos import photo_files
from tests.factories import member_id_number
from tests.jobs.workers import running_worker

ELDER_ID = "11010519400101001X"


def fill_resident(page, name="赵大爷", id_number=None):
    page.fill("input[name=applicant_name]", name)
    page.fill("input[name=applicant_id_number]", id_number or member_id_number(7))
    page.fill("input[name=self_income]", "100")


def apply_on_behalf(page, tmp_path):
    files = photo_files(tmp_path, "mandate", "id_card", "hukou")
    page.goto("/dibao/apply")
    expect(page.locator("h1")).to_contain_text("代办")
    page.click("section:visible >> text=下一步")
    expect(page.locator("section:visible .field-error")).to_contain_text("委托书")
    page.set_input_files("input[data-kind=mandate]", str(files.pop("mandate")))
    expect(page.locator("img[alt=委托书照片]")).to_be_visible()
    page.click("section:visible >> text=下一步")
    fill_resident(page)
    page.click("section:visible >> text=下一步")
    for kind, path in files.items():
        page.set_input_files(f"input[type=file][data-kind={kind}]", str(path))
        expect(page.locator(f"img[alt]:near(input[data-kind={kind}])").first).to_be_visible()
    page.click("section:visible >> text=下一步")
    expect(page.locator("section:visible")).to_contain_text("材料照片:3 张")


def test_an_agent_applies_on_behalf_with_the_mandate_first(page, tmp_path, demo):
    sign_in_with_password(page, "agent0101")
    page.wait_for_url("**/agent")
    audit(page, "agent-empty")
    apply_on_behalf(page, tmp_path)
    with running_worker(demo, ["attachments"]):  # the 委托书 is checked before submitting
        page.click("text=提交申请")
        page.wait_for_url("**/cases/*", timeout=90_000)
    expect(page.locator("[data-field=status]")).to_have_text("已提交")
    expect(page.locator("#attachments")).to_contain_text("委托书")
    expect(page.locator("#attachments li")).to_have_count(3)

    page.goto("/agent")
    expect(page.locator("#residents")).to_contain_text("赵*")
    expect(page.locator("#waiting li")).to_have_count(1)
    expect(page.locator("#waiting")).to_contain_text("材料未齐")
    audit(page, "agent")


def test_an_application_made_offline_arrives_once_with_all_its_photos(
    new_context, tmp_path, expected_console_errors, demo
):
    expected_console_errors.append("net::ERR_INTERNET_DISCONNECTED")
    context = new_context()
    page = context.new_page()
    sign_in_with_password(page, "agent0101")
    page.wait_for_url("**/agent")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.goto("/dibao/apply")
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    apply_on_behalf(page, tmp_path)
    page.click("text=提交申请")
    expect(page.locator("section:visible h2")).to_have_text("已保存,等待网络")
    expect(page.locator("[data-outbox-count]")).to_have_text("1")

    assert page.reload().from_service_worker
    expect(page.locator("section:visible h2")).to_have_text("已保存,等待网络")
    page.goto("/outbox")
    expect(page.locator("#jobs li")).to_have_count(1)
    expect(page.locator("#jobs")).to_contain_text("照片 3 张")
    audit(page, "outbox")

    with running_worker(demo, ["attachments"]):  # the 委托书 is checked before submitting
        context.set_offline(False)
        expect(page.locator("#jobs li")).to_have_count(0, timeout=90_000)
    cases = page.evaluate("fetch('/api/v1/applications').then(r => r.json())")
    assert len(cases["items"]) == 1
    case = page.evaluate(
        f"fetch('/api/v1/applications/{cases['items'][0]['id']}').then(r => r.json())"
    )
    assert sorted(a["kind"] for a in case["attachments"]) == ["hukou", "id_card", "mandate"]
    assert case["status"] == "submitted"
