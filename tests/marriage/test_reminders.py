"""The day-before reminder: scheduled with the booking, removed with the cancellation,
sent by a real worker to the booker and to the parties who have accounts."""

from datetime import datetime, time, timedelta

from rq import Queue
from sqlalchemy import select

from backend.extensions import db
from backend.jobs.queue import enqueue
from backend.models import Notification
from backend.models.marriage import Service
from backend.redis_connection import get_redis
from backend.services import clock, users
from backend.services.marriage import booking
from tests.jobs.workers import run_burst_worker
from tests.marriage.helpers import booking_body, couple

URL = "/api/v1/appointments"


def scheduled():
    registry = Queue("notifications", connection=get_redis()).scheduled_job_registry
    return {job_id: registry.get_scheduled_time(job_id) for job_id in registry.get_job_ids()}


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
    body = {**booking_body(make_slot(soon).id, man, woman), "on_behalf": True}
    created = client.post(URL, json=body, headers=agent).get_json()
    registry = Queue("notifications", connection=get_redis()).scheduled_job_registry
    registry.requeue(f"appointment-reminder-{created['id']}")  # now, not the day before
    run_burst_worker(app, ["notifications"])
    db.session.expire_all()
    told = db.session.execute(
        select(Notification.user_id, Notification.event, Notification.body)
    ).all()
    agent_id = users.find_by_username(db.session, "agent0101").id
    assert {row.user_id for row in told} == {husband.id, wife.id, agent_id}
    assert {row.event for row in told} == {"appointment_reminder"}
    assert all("示范县婚姻登记处" in row.body and "结婚登记" in row.body for row in told)


def test_a_cancelled_appointment_gets_no_reminder(app, client, citizen, make_slot, soon):
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(
        URL, json=booking_body(make_slot(soon).id, man, woman), headers=headers
    ).get_json()
    client.post(f"{URL}/{created['id']}/cancel", headers=headers)
    enqueue("marriage.remind", created["id"])
    run_burst_worker(app, ["notifications"])
    assert db.session.scalar(select(Notification.id)) is None
