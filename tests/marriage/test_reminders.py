"""The day-before reminder: scheduled with the booking, removed with the cancellation,
sent by a real worker to the booker and to the parties who have accounts, and by SMS
to the parties who have none; sent once, and by the sweeper when Redis lost it."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytest
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend import create_app
from backend.extensions import db
from backend.jobs.queue import enqueue
from backend.models import Notification, Role, SmsMessage
from backend.models.marriage import Appointment, Service
from backend.redis_connection import embedded_url, get_redis, start_embedded
from backend.services import clock, sms, users
from backend.services.marriage import booking, reminders
from tests.jobs.workers import run_burst_worker
from tests.marriage.helpers import booking_body, couple, file_case_for

URL = "/api/v1/appointments"


def scheduled():
    registry = Queue("notifications", connection=get_redis()).scheduled_job_registry
    return {job_id: registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()}


@pytest.fixture
def texts(app, monkeypatch):
    """SMS configured: the `sms` channel (with `wechat` and the console) and the outbox
    adapter, here and in the worker processes. texts() -> {phone: [text, …]}."""
    monkeypatch.setenv("NOTIFICATION_CHANNELS", "console,sms,wechat")
    monkeypatch.setenv("SMS_BACKEND", "outbox")
    app.config.update(NOTIFICATION_CHANNELS=("console", "sms", "wechat"), SMS_BACKEND="outbox")

    def sent():
        db.session.expire_all()
        found = defaultdict(list)
        for message in db.session.scalars(select(SmsMessage).order_by(SmsMessage.id)):
            phone, text = sms.read_outbox(message)
            found[phone].append(text)
        return dict(found)

    return sent


def remind_now(app, appointment_id):
    """Run the booking's scheduled reminder job now (not the day before), on a real
    worker."""
    registry = Queue("notifications", connection=get_redis()).scheduled_job_registry
    registry.requeue(f"appointment-reminder-{appointment_id}")
    run_burst_worker(app, ["notifications"])


def test_booking_schedules_the_reminder_for_9am_the_day_before_and_cancel_removes_it(
    client, citizen, make_slot, soon
):
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(
        URL, json=booking_body(make_slot(soon).id, man, woman), headers=headers
    ).get_json()
    job_id = f"appointment-reminder-{created['id']}"
    expected = datetime.combine(soon - timedelta(days=1), time(9), clock.SHANGHAI)
    assert scheduled()[job_id].timestamp() == expected.timestamp()
    client.post(f"{URL}/{created['id']}/cancel", headers=headers)
    assert job_id not in scheduled()


def test_a_rolled_back_booking_schedules_nothing(app, make_slot, soon):
    registrar = users.find_by_username(db.session, "registrar01")
    man, woman = couple(soon)
    booking.book(
        db.session,
        registrar,
        slot_id=make_slot(soon).id,
        service=Service.MARRIAGE,
        party_a=man,
        party_b=woman,
        on_behalf=False,
        now=clock.now(),
    )
    db.session.rollback()
    assert scheduled() == {}


def test_the_reminder_tells_the_booker_and_the_parties_with_accounts(
    app, client, citizen, login, make_slot, soon
):
    man, woman = couple(soon)
    husband, _ = citizen(man)
    wife, _ = citizen({**woman, "phone": "13900000003"})
    agent = login("agent0101")
    file_case_for(client, agent, man)
    body = {**booking_body(make_slot(soon).id, man, woman), "on_behalf": True}
    created = client.post(URL, json=body, headers=agent).get_json()
    remind_now(app, created["id"])
    db.session.expire_all()
    told = db.session.execute(
        select(Notification.user_id, Notification.event, Notification.body)
    ).all()
    agent_id = users.find_by_username(db.session, "agent0101").id
    assert {row.user_id for row in told} == {husband.id, wife.id, agent_id}
    assert {row.event for row in told} == {"appointment_reminder"}
    assert all("示范县婚姻登记处" in row.body and "结婚登记" in row.body for row in told)


def test_a_cancelled_appointment_gets_no_reminder(app, client, citizen, make_slot, soon, texts):
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(
        URL, json=booking_body(make_slot(soon).id, man, woman), headers=headers
    ).get_json()
    client.post(f"{URL}/{created['id']}/cancel", headers=headers)
    enqueue("marriage.remind", created["id"])
    run_burst_worker(app, ["notifications"])
    assert db.session.scalar(select(Notification.id)) is None
    assert texts() == {}  # nor a text to the party without an account


# --- SMS: parties without an account, and the channels of those with one ------------


def test_a_party_without_an_account_gets_one_text_naming_the_office_day_and_half_day(
    app, client, citizen, make_slot, soon, texts
):
    appointment_id, _ = book(client, citizen, make_slot(soon))  # the woman has no account
    remind_now(app, appointment_id)
    enqueue("marriage.remind", appointment_id)  # a copy that escaped anyway
    run_burst_worker(app, ["notifications"])

    [text] = texts()["13900000002"]  # the phone typed for her at booking
    assert text.startswith("【民政掌上办】预约提醒")
    assert "示范县婚姻登记处" in text
    assert f"({soon.isoformat()})上午" in text


def test_a_party_with_an_account_gets_the_inbox_notice_and_every_configured_channel(
    app, client, citizen, make_slot, soon, texts
):
    man, woman = couple(soon)
    husband, headers = citizen({**man, "phone": "13910000001"})
    husband.wechat_openid = "o-husband"
    db.session.commit()
    body = booking_body(make_slot(soon).id, man, woman)  # typed: 13900000001
    remind_now(app, client.post(URL, json=body, headers=headers).get_json()["id"])

    [notice] = db.session.scalars(select(Notification).where(Notification.user_id == husband.id))
    assert notice.event == "appointment_reminder"
    assert {(d.channel, d.status) for d in notice.deliveries} == {
        ("console", "sent"),
        ("sms", "sent"),
        ("wechat", "sent"),
    }
    sent = texts()
    assert sent["13910000001"] == [f"【民政掌上办】{notice.title}:{notice.body}"]
    assert "13900000001" not in sent  # his account is told, not the phone he typed


def test_without_the_sms_channel_a_party_without_an_account_gets_no_text(
    app, client, citizen, make_slot, soon
):
    app.config["SMS_BACKEND"] = "outbox"
    appointment_id, _ = book(client, citizen, make_slot(soon))
    assert reminders.send(db.session, appointment_id, nine_am_the_day_before(soon)) == 1
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SmsMessage)) == 0


def test_a_party_whose_account_is_not_verified_is_texted_at_the_phone_typed_at_booking(
    app, client, citizen, make_slot, soon, texts
):
    man, woman = couple(soon)
    _, headers = citizen(man)
    unverified = users.create_user(
        db.session,
        role=Role.CITIZEN,
        name="李娜",
        phone="13920000002",
        id_number=woman["id_number"],
    )
    db.session.commit()
    body = booking_body(make_slot(soon).id, man, woman)
    appointment_id = client.post(URL, json=body, headers=headers).get_json()["id"]

    assert reminders.send(db.session, appointment_id, nine_am_the_day_before(soon)) == 2
    db.session.commit()
    assert list(texts()) == ["13900000002"]  # the husband's text waits for its delivery job
    assert not db.session.scalars(
        select(Notification).where(Notification.user_id == unverified.id)
    ).all()


def test_an_agent_who_typed_their_own_phone_for_a_party_gets_one_reminder_there(
    app, client, login, make_slot, soon, texts
):
    man, woman = couple(soon)
    body = {
        **booking_body(make_slot(soon).id, man, {**woman, "phone": "13800000006"}),
        "on_behalf": True,
    }
    file_case_for(client, login("agent0101"), man)
    appointment_id = client.post(URL, json=body, headers=login("agent0101")).get_json()["id"]

    assert reminders.send(db.session, appointment_id, nine_am_the_day_before(soon)) == 2
    db.session.commit()
    assert list(texts()) == ["13900000001"]  # the man; the agent's text is their delivery
    agent = users.find_by_username(db.session, "agent0101")
    [notice] = db.session.scalars(select(Notification).where(Notification.user_id == agent.id))
    assert "sms" in {delivery.channel for delivery in notice.deliveries}


def test_a_party_without_an_account_or_a_phone_is_passed_over(
    app, client, citizen, make_slot, soon, texts
):
    man, woman = couple(soon)
    _, headers = citizen(man)
    body = booking_body(make_slot(soon).id, man, {**woman, "phone": None})
    appointment_id = client.post(URL, json=body, headers=headers).get_json()["id"]

    assert reminders.send(db.session, appointment_id, nine_am_the_day_before(soon)) == 1
    db.session.commit()
    assert texts() == {}


# --- Redis is the courier: `reminded_at` and the sweeper ---------------------------


def nine_am_the_day_before(day):
    return datetime.combine(day - timedelta(days=1), time(9), clock.SHANGHAI)


def book(client, citizen, slot, serial=1):
    """Book `slot` through the API as the man of a couple; the appointment's id."""
    man, woman = couple(slot.day, serial=serial)
    _, headers = citizen({**man, "phone": f"1391000{serial:04d}"})
    response = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"], headers


def reminders_sent():
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.event == "appointment_reminder")
    )


def reminded_at(appointment_id):
    db.session.expire_all()
    return db.session.get(Appointment, appointment_id).reminded_at


def test_a_reminder_lost_with_redis_is_sent_by_the_sweeper(
    app, app_config, citizen, make_slot, soon, tmp_path
):
    server = start_embedded(tmp_path / "redis")
    outage = create_app({**app_config, "REDIS_URL": embedded_url(server)})
    server.shutdown()
    appointment_id, _ = book(outage.test_client(), citizen, make_slot(soon))
    with outage.app_context():
        db.engine.dispose()
    assert scheduled() == {}  # the booking stands, its reminder went nowhere

    remind = nine_am_the_day_before(soon)
    assert reminders.sweep(db.session, remind) == [appointment_id]
    run_burst_worker(app, ["notifications"])
    assert reminders_sent() == 1
    assert reminded_at(appointment_id) is not None


def test_a_reminder_is_sent_once_when_job_and_sweeper_both_run(
    app, client, citizen, make_slot, soon
):
    appointment_id, _ = book(client, citizen, make_slot(soon))
    job_id = f"appointment-reminder-{appointment_id}"
    remind = nine_am_the_day_before(soon)

    assert reminders.sweep(db.session, remind) == [appointment_id]
    assert list(scheduled()) == [job_id]  # the booking's job, not a second one
    assert len(Queue("notifications", connection=get_redis())) == 0
    Queue("notifications", connection=get_redis()).scheduled_job_registry.requeue(job_id)
    run_burst_worker(app, ["notifications"])
    assert reminders_sent() == 1

    assert reminders.sweep(db.session, remind) == []
    enqueue("marriage.remind", appointment_id)  # a copy that escaped anyway
    run_burst_worker(app, ["notifications"])
    assert reminders_sent() == 1


def test_a_second_worker_holding_the_row_from_before_the_send_tells_nobody(
    app, client, citizen, make_slot, soon
):
    appointment_id, _ = book(client, citizen, make_slot(soon))
    now = nine_am_the_day_before(soon)
    late = db.session.get(Appointment, appointment_id)  # loaded before the other sends
    assert late.reminded_at is None
    with Session(db.engine) as first:
        assert reminders.send(first, appointment_id, now) == 1
        first.commit()
    assert reminders.send(db.session, appointment_id, now) == 0
    db.session.commit()
    assert reminders_sent() == 1


def test_the_sweeper_leaves_cancelled_and_past_appointments_alone(
    app, client, citizen, make_slot, soon
):
    booked, _ = book(client, citizen, make_slot(soon))
    cancelled, headers = book(client, citizen, make_slot(soon, "pm"), serial=2)
    response = client.post(f"{URL}/{cancelled}/cancel", headers=headers)
    assert response.status_code == 200, response.get_json()

    the_day_itself = datetime.combine(soon, time(23, 59), clock.SHANGHAI)
    assert reminders.sweep(db.session, the_day_itself) == [booked]
    the_day_after = datetime.combine(soon + timedelta(days=1), time(9), clock.SHANGHAI)
    assert reminders.sweep(db.session, the_day_after) == []


def test_the_sweeper_waits_until_the_day_before(app, client, citizen, make_slot, soon):
    appointment_id, _ = book(client, citizen, make_slot(soon))
    remind = nine_am_the_day_before(soon)
    assert reminders.sweep(db.session, clock.now()) == []  # a week ahead
    assert reminders.sweep(db.session, remind - timedelta(minutes=1)) == []
    assert reminders.sweep(db.session, remind) == [appointment_id]


def test_a_reminder_run_after_the_appointment_day_tells_nobody(
    app, client, citizen, make_slot, soon
):
    appointment_id, _ = book(client, citizen, make_slot(soon))
    the_day_after = datetime.combine(soon + timedelta(days=1), time(9), clock.SHANGHAI)
    assert reminders.send(db.session, appointment_id, the_day_after) == 0
    db.session.commit()
    assert reminders_sent() == 0
    assert reminded_at(appointment_id) is None


def test_sending_the_reminder_is_no_change_to_the_appointment(
    app, client, citizen, make_slot, soon
):
    appointment_id, _ = book(client, citizen, make_slot(soon))
    changed = db.session.get(Appointment, appointment_id).updated_at
    assert reminders.send(db.session, appointment_id, nine_am_the_day_before(soon)) == 1
    db.session.commit()
    assert reminded_at(appointment_id) == nine_am_the_day_before(soon)
    assert db.session.get(Appointment, appointment_id).updated_at == changed
