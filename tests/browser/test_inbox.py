"""我的消息: the unread badge on every page, the list, reading one and all."""

from playwright.sync_api import expect

from backend.extensions import db
from backend.models import Notification, User
from tests.browser.conftest import audit
from tests.browser.people import verified_resident


def notify_resident(app, *titles):
    with app.app_context():
        resident = db.session.scalars(db.select(User).where(User.role == "citizen")).one()
        for title in titles:
            db.session.add(
                Notification(user_id=resident.id, event="test", title=title, body="请查看", data={})
            )
        db.session.commit()


def test_unread_messages_show_a_badge_and_reading_them_clears_it(page, demo):
    verified_resident(page)
    notify_resident(demo, "您的低保申请已受理", "请补充收入证明")
    page.goto("/")
    expect(page.locator("[data-unread]")).to_have_text("2")
    page.click(".inbox-link")
    expect(page.locator("#messages li.unread")).to_have_count(2)
    audit(page, "inbox")
    page.locator("#messages li a").first.click()
    page.goto("/inbox")
    expect(page.locator("#messages li.unread")).to_have_count(1)
    expect(page.locator("[data-unread]")).to_have_text("1")
    page.click("text=全部标为已读")
    expect(page.locator("#messages li.unread")).to_have_count(0)
    page.goto("/")
    expect(page.locator("[data-unread]")).to_be_hidden()
