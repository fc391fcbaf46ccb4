"""候补: a freed place goes to the first couple in line, held for a while, then to the
next; never to two couples at once."""

from datetime import datetime, time, timedelta

import pytest
from rq import Queue
from sqlalchemy import select

from backend.errors import ActionNotAllowed
from backend.extensions import db
from backend.models import Notification
from backend.models.marriage import Slot, WaitlistEntry
from backend.redis_connection import get_redis
from backend.services import clock
from backend.services.marriage import waitlist
from tests.jobs.workers import run_burst_worker
from tests.marriage.helpers import booking_body, couple, file_case_for

URL = "/api/v1/appointments"


def join(client, slot, serial, agent_headers):
    """agent0101 puts couple `serial` in line, for a man they filed a case for."""
    man, woman = couple(slot.day, serial=serial)
    file_case_for(client, agent_headers, man)
    body = {"service": "marriage", "party_a": man, "party_b": woman, "on_behalf": True}
    return client.post(f"/api/v1/slots/{slot.id}/waitlist", json=body, headers=agent_headers)


def full_slot(client, login, make_slot, soon, capacity=1):
    """A slot filled by the registrar; returns (slot, the appointment ids)."""
    slot = make_slot(soon, capacity=capacity)
    ids = [
        client.post(
            URL,
            json=booking_body(slot.id, *couple(soon, serial=100 + n)),
            headers=login("registrar01"),
        ).get_json()["id"]
        for n in range(capacity)
    ]
    return slot, ids


def test_only_a_full_slot_takes_a_waitlist_and_each_couple_once(client, login, make_slot, soon):
    agent = login("agent0101")
    open_slot = make_slot(soon, "pm", capacity=3)
    assert join(client, open_slot, 1, agent).status_code == 409
    slot, _ = full_slot(client, login, make_slot, soon)
    first = join(client, slot, 1, agent)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "waiting"
    again = join(client, slot, 1, agent)
    assert again.get_json()["error"]["code"] == "duplicate_booking"


def test_a_cancellation_offers_the_place_to_the_first_in_line_and_holds_it(
    client, login, make_slot, soon
):
    slot, (booked_id,) = full_slot(client, login, make_slot, soon)
    agent = login("agent0101")
    first = join(client, slot, 1, agent).get_json()
    second = join(client, slot, 2, agent).get_json()
    before = clock.now()
    client.post(f"{URL}/{booked_id}/cancel", headers=login("registrar01"))
    entries = {e.id: e for e in db.session.scalars(select(WaitlistEntry))}
    assert (entries[first["id"]].status, entries[second["id"]].status) == ("offered", "waiting")
    held_for = entries[first["id"]].offered_until - before
    assert timedelta(minutes=29) < held_for <= timedelta(minutes=31)
    assert db.session.scalar(select(Notification.event)) == "waitlist_offer"
    # The held place is not up for grabs.
    grab = client.post(
        URL, json=booking_body(slot.id, *couple(soon, serial=7)), headers=login("registrar01")
    )
    assert grab.get_json()["error"]["code"] == "slot_full"
    accepted = client.post(f"/api/v1/slots/{slot.id}/waitlist/{first['id']}/accept", headers=agent)
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["status"] == "booked"
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == 1
    assert db.session.get(WaitlistEntry, first["id"]).appointment_id == accepted.get_json()["id"]


def test_an_offer_that_runs_out_passes_on_then_the_place_returns_to_all(
    client, login, make_slot, soon
):
    slot, (booked_id,) = full_slot(client, login, make_slot, soon)
    agent = login("agent0101")
    first = join(client, slot, 1, agent).get_json()
    second = join(client, slot, 2, agent).get_json()
    client.post(f"{URL}/{booked_id}/cancel", headers=login("registrar01"))
    later = clock.now() + timedelta(minutes=31)
    assert waitlist.expire_offers(db.session, later) == [first["id"]]
    db.session.commit()  # as the cron job does
    assert db.session.get(WaitlistEntry, second["id"]).status == "offered"
    late = client.post(f"/api/v1/slots/{slot.id}/waitlist/{first['id']}/accept", headers=agent)
    assert late.status_code == 409
    assert waitlist.expire_offers(db.session, later + timedelta(minutes=31)) == [second["id"]]
    db.session.commit()
    assert db.session.get(Slot, slot.id).remaining == 1


def test_one_freed_place_is_never_offered_twice(client, login, make_slot, soon):
    slot, booked = full_slot(client, login, make_slot, soon, capacity=2)
    agent = login("agent0101")
    entries = [join(client, slot, n, agent).get_json()["id"] for n in (1, 2, 3)]
    for appointment_id in booked:
        client.post(f"{URL}/{appointment_id}/cancel", headers=login("registrar01"))
    statuses = [db.session.get(WaitlistEntry, e).status for e in entries]
    assert statuses == ["offered", "offered", "waiting"]
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == 2  # two held places, two offers


def test_leaving_while_offered_passes_the_place_on(client, login, make_slot, soon):
    slot, (booked_id,) = full_slot(client, login, make_slot, soon)
    agent = login("agent0101")
    first = join(client, slot, 1, agent).get_json()
    second = join(client, slot, 2, agent).get_json()
    client.post(f"{URL}/{booked_id}/cancel", headers=login("registrar01"))
    left = client.post(f"/api/v1/slots/{slot.id}/waitlist/{first['id']}/leave", headers=agent)
    assert left.get_json()["status"] == "left"
    assert db.session.get(WaitlistEntry, second["id"]).status == "offered"
    stranger = login("agent0201")
    forbidden = f"/api/v1/slots/{slot.id}/waitlist/{second['id']}/accept"
    assert client.post(forbidden, headers=stranger).status_code == 404
    mine = client.get(f"/api/v1/slots/{slot.id}/waitlist", headers=agent).get_json()["items"]
    assert {e["id"] for e in mine} == {first["id"], second["id"]}
    assert (
        client.get(f"/api/v1/slots/{slot.id}/waitlist", headers=stranger).get_json()["items"] == []
    )


def test_an_offer_cannot_be_accepted_once_booking_has_closed(client, login, make_slot):
    """An offer made late on the last booking day runs past midnight: on the
    appointment day itself it can no longer be taken."""
    tomorrow = clock.today() + timedelta(days=1)
    slot, (booked_id,) = full_slot(client, login, make_slot, tomorrow)
    first = join(client, slot, 1, login("agent0101")).get_json()
    client.post(f"{URL}/{booked_id}/cancel", headers=login("registrar01"))
    entry = db.session.get(WaitlistEntry, first["id"])
    entry.offered_until = datetime.combine(tomorrow, time(0, 30), clock.SHANGHAI)
    db.session.commit()
    on_the_day = datetime.combine(tomorrow, time(0, 10), clock.SHANGHAI)
    with pytest.raises(ActionNotAllowed) as refused:
        waitlist.accept(db.session, entry, on_the_day)
    assert "已停止预约" in refused.value.message
    db.session.rollback()
    assert db.session.get(WaitlistEntry, first["id"]).status == "offered"
    last_evening = datetime.combine(clock.today(), time(23, 50), clock.SHANGHAI)
    appointment = waitlist.accept(db.session, entry, last_evening)
    assert appointment.slot_id == slot.id


def test_a_place_freed_once_booking_has_closed_is_offered_to_nobody(client, login, make_slot):
    """On the appointment day the line could not take it: no offer, no notice; the place
    goes back to the counter."""
    tomorrow = clock.today() + timedelta(days=1)
    slot, _ = full_slot(client, login, make_slot, tomorrow)
    first = join(client, slot, 1, login("agent0101")).get_json()
    on_the_day = datetime.combine(tomorrow, time(8, 0), clock.SHANGHAI)
    assert waitlist.offer_next(db.session, db.session.get(Slot, slot.id), on_the_day) is False
    assert db.session.get(WaitlistEntry, first["id"]).status == "waiting"
    last_evening = datetime.combine(clock.today(), time(20, 0), clock.SHANGHAI)
    assert waitlist.offer_next(db.session, db.session.get(Slot, slot.id), last_evening) is True


def test_bad_waitlist_values_are_422(client, login, make_slot, soon):
    slot, _ = full_slot(client, login, make_slot, soon)
    man, woman = couple(soon, serial=1)
    for body, field in (
        ({"service": "wedding", "party_a": man, "party_b": woman}, "service"),
        ({"service": "marriage", "party_b": woman}, "party_a"),
        (
            {"service": "marriage", "party_a": {**man, "id_number": "123"}, "party_b": woman},
            "party_a.id_number",
        ),
    ):
        response = client.post(
            f"/api/v1/slots/{slot.id}/waitlist", json=body, headers=login("registrar01")
        )
        assert response.status_code == 422
        assert field in response.get_json()["error"]["details"]


def test_the_expiry_job_runs_on_a_real_worker(client, app, login, make_slot, soon):
    slot, (booked_id,) = full_slot(client, login, make_slot, soon)
    first = join(client, slot, 1, login("agent0101")).get_json()
    client.post(f"{URL}/{booked_id}/cancel", headers=login("registrar01"))
    entry = db.session.get(WaitlistEntry, first["id"])
    entry.offered_until = clock.now() - timedelta(minutes=1)
    db.session.commit()
    Queue("default", connection=get_redis()).enqueue("backend.jobs.marriage.expire_waitlist_offers")
    run_burst_worker(app, ["default"])
    db.session.expire_all()
    assert db.session.get(WaitlistEntry, first["id"]).status == "expired"
    assert db.session.get(Slot, slot.id).remaining == 1
