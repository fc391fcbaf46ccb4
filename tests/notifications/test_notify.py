"""notify(): the inbox row and one delivery per channel, sent by an RQ job after the
caller commits; a failed send is recorded only when its retries are spent. The
channels (console, sms, wechat) and the settings that choose them."""

from datetime import timedelta

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from sqlalchemy import func, select

from backend import create_app
from backend.config import NOTIFICATION_CHANNEL_NAMES, ConfigError, check_settings, from_environment
from backend.extensions import db
from backend.jobs.context import use_app
from backend.models import Notification, NotificationDelivery, Role, SmsMessage
from backend.redis_connection import get_redis
from backend.services import clock, notifications, sms
from backend.services.users import create_user, find_by_username
from tests.jobs.workers import run_burst_worker

DATA = {
    "application_id": 1,
    "application_number": "DB202600000001",
    "attachment_id": 2,
    "kind_label": "身份证",
    "reason": "照片太暗,请在光线充足处重拍",
}


class UnreachableGateway:
    """Stands in for a WeChat or SMS gateway that does not answer."""

    name = "gateway"

    def reaches(self, user) -> bool:
        return True

    def send(self, session, user, notification) -> None:
        raise ConnectionError("gateway timed out")


def reload(delivery_id: int) -> NotificationDelivery:
    db.session.rollback()
    return db.session.get(NotificationDelivery, delivery_id)


@pytest.fixture
def agent(demo):
    return find_by_username(db.session, "agent0101")


def test_notify_fills_the_inbox_and_sends_after_commit_on_a_worker(app, agent):
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    assert notification.title == "材料未通过检查"
    assert notification.body == (
        "您为申请 DB202600000001 上传的「身份证」未通过系统检查:照片太暗,请在光线充足处重拍"
    )
    [delivery] = notification.deliveries
    assert delivery.channel == "console"
    job_id = f"notification-{delivery.id}"
    assert Job.exists(job_id, connection=get_redis()) is False  # nothing before commit
    db.session.commit()
    assert Job.fetch(job_id, connection=get_redis()).args == (delivery.id,)
    run_burst_worker(app, ["notifications"])
    delivery = reload(delivery.id)
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert delivery.sent_at is not None


def test_a_rolled_back_notification_is_never_sent(app, agent):
    notifications.notify(db.session, agent, "material_rejected", DATA)
    db.session.rollback()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert get_redis().keys("rq:job:notification-*") == []


def test_a_sent_delivery_is_not_sent_twice(app, agent):
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    db.session.commit()
    delivery_id = notification.deliveries[0].id
    assert notifications.deliver(db.session, delivery_id).status == "sent"
    db.session.commit()
    assert notifications.deliver(db.session, delivery_id) is None
    assert reload(delivery_id).attempts == 1


def test_a_failed_send_is_recorded_only_when_retries_are_spent(app, agent, monkeypatch):
    monkeypatch.setitem(notifications.CHANNELS, "gateway", UnreachableGateway())
    app.config["NOTIFICATION_CHANNELS"] = ("gateway",)
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    db.session.commit()
    delivery_id = notification.deliveries[0].id
    use_app(app)
    worker = Worker(["notifications"], connection=get_redis())  # forks: sees the gateway above

    worker.work(burst=True)
    job = Job.fetch(f"notification-{delivery_id}", connection=get_redis())
    assert job.get_status() == JobStatus.SCHEDULED
    assert reload(delivery_id).status == "pending"

    job.retries_left = 0
    job.save()
    ScheduledJobRegistry("notifications", connection=get_redis()).requeue(job.id)
    worker.work(burst=True)
    assert job.get_status(refresh=True) == JobStatus.FAILED
    delivery = reload(delivery_id)
    assert (delivery.status, delivery.last_error) == ("failed", "ConnectionError")
    assert delivery.notification.read_at is None  # still in the inbox


def test_the_sweeper_sends_what_redis_lost(app, agent):
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    db.session.commit()
    get_redis().flushdb()
    assert notifications.sweep(db.session) == []
    later = clock.now() + timedelta(minutes=app.config["SWEEP_AFTER_MINUTES"] + 1)
    assert notifications.sweep(db.session, later) == [notification.deliveries[0].id]
    run_burst_worker(app, ["notifications"])
    assert reload(notification.deliveries[0].id).status == "sent"


def test_an_unknown_channel_in_the_settings_is_refused_loudly(app, agent):
    app.config["NOTIFICATION_CHANNELS"] = ("console", "pigeon")
    with pytest.raises(RuntimeError, match="pigeon"):
        notifications.notify(db.session, agent, "material_rejected", DATA)


def test_no_channels_means_inbox_only(app, agent):
    app.config["NOTIFICATION_CHANNELS"] = ()
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    assert notification.deliveries == []


# ---- the sms and wechat channels --------------------------------------------------------


def outbox() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [
        sms.read_outbox(m) for m in db.session.scalars(select(SmsMessage).order_by(SmsMessage.id))
    ]


def test_the_sms_channel_texts_the_account_phone_when_its_delivery_is_sent(app, agent):
    app.config.update(NOTIFICATION_CHANNELS=("sms",), SMS_BACKEND="outbox")
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    db.session.commit()
    [delivery] = notification.deliveries
    assert delivery.channel == "sms"
    assert outbox() == []  # the text is the delivery's, not notify()'s

    notifications.deliver(db.session, delivery.id)
    db.session.commit()
    assert outbox() == [("13800000006", f"【民政掌上办】材料未通过检查:{notification.body}")]
    assert reload(delivery.id).status == "sent"


def test_the_wechat_channel_sends_a_subscribe_message_to_the_account_openid(app, agent, caplog):
    caplog.set_level("INFO", logger="backend.services.wechat")
    app.config["NOTIFICATION_CHANNELS"] = ("wechat",)
    agent.wechat_openid = "oAgent0101"
    notification = notifications.notify(db.session, agent, "material_rejected", DATA)
    db.session.commit()
    [delivery] = notification.deliveries
    assert delivery.channel == "wechat"

    notifications.deliver(db.session, delivery.id)
    db.session.commit()
    assert "WeChat message to oAge****: 材料未通过检查" in caplog.text
    assert "oAgent0101" not in caplog.text
    assert reload(delivery.id).status == "sent"


def test_a_channel_passes_over_accounts_it_has_no_way_to(app, demo):
    app.config["NOTIFICATION_CHANNELS"] = ("console", "sms", "wechat")
    no_phone_no_openid = create_user(db.session, role=Role.CITIZEN, name="王秀英")
    notification = notifications.notify(db.session, no_phone_no_openid, "material_rejected", DATA)
    assert [delivery.channel for delivery in notification.deliveries] == ["console"]


def test_an_unknown_channel_in_the_settings_stops_the_app_from_starting(app_config):
    with pytest.raises(ConfigError, match="unknown channels pigeon; known: console, sms, wechat"):
        create_app({**app_config, "NOTIFICATION_CHANNELS": ("sms", "pigeon")})
    with pytest.raises(ConfigError, match="pigeon"):
        check_settings(from_environment({"NOTIFICATION_CHANNELS": "console,pigeon"}))


def test_the_channel_setting_is_a_comma_separated_list_and_empty_means_inbox_only():
    assert from_environment({"NOTIFICATION_CHANNELS": " sms , wechat,"})[
        "NOTIFICATION_CHANNELS"
    ] == ("sms", "wechat")
    assert from_environment({"NOTIFICATION_CHANNELS": ""})["NOTIFICATION_CHANNELS"] == ()
    assert from_environment({})["NOTIFICATION_CHANNELS"] == ("console",)


def test_every_channel_the_settings_accept_can_send():
    assert set(notifications.CHANNELS) == set(NOTIFICATION_CHANNEL_NAMES)


def test_a_wechat_message_sender_that_does_not_exist_is_refused():
    with pytest.raises(ConfigError, match="WECHAT_MESSAGE_BACKEND"):
        from_environment({"WECHAT_MESSAGE_BACKEND": "api"})


def test_production_refuses_the_wechat_channel_while_its_sender_only_logs():
    production = {
        "APP_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "JWT_SECRET_KEY": "j" * 40,
        "FIELD_ENCRYPTION_KEY": "f" * 40,
    }
    with pytest.raises(ConfigError, match="WECHAT_MESSAGE_BACKEND=console only logs"):
        check_settings(from_environment({**production, "NOTIFICATION_CHANNELS": "sms,wechat"}))
    check_settings(from_environment({**production, "NOTIFICATION_CHANNELS": "console,sms"}))
