"""An appointment's life: cancel, reschedule, check in, complete, no-show; and the
calendar file and check-in QR the couple takes away."""

import io
from datetime import timedelta

import qrcode
from PIL import Image

from backend.extensions import db
from backend.models.marriage import Appointment, Service, Slot
from backend.services import clock, daily
from tests.marriage.helpers import book_earlier, booking_body, couple, record_no_shows

URL = "/api/v1/appointments"


def test_the_booker_cancels_and_the_place_comes_back(client, citizen, make_slot, soon):
    slot = make_slot(soon, capacity=5)
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers).get_json()
    cancelled = client.post(f"{URL}/{created['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "cancelled"
    assert cancelled.get_json()["slot"]["remaining"] == 5
    again = client.post(f"{URL}/{created['id']}/cancel", headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "action_not_allowed"
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == 0


def test_cancelling_is_possible_until_the_day_before(client, login, make_slot):
    tomorrow = book_earlier(make_slot(clock.today() + timedelta(days=1)), serial=1)
    headers = login("registrar01")
    assert client.post(f"{URL}/{tomorrow.id}/cancel", headers=headers).status_code == 200
    appointment = book_earlier(make_slot(clock.today()), serial=2)
    response = client.post(f"{URL}/{appointment.id}/cancel", headers=login("registrar01"))
    assert response.status_code == 409
    assert "不能在线取消" in response.get_json()["error"]["message"]


def test_others_cannot_see_or_cancel_but_the_other_party_can_see(client, citizen, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon)
    _, his = citizen(man)
    created = client.post(URL, json=booking_body(slot.id, man, woman), headers=his).get_json()
    _, hers = citizen({**woman, "phone": "13900000003"})
    _, strangers = citizen({**couple(soon, serial=8)[0], "phone": "13900000004"})
    assert client.get(f"{URL}/{created['id']}", headers=strangers).status_code == 404
    assert client.post(f"{URL}/{created['id']}/cancel", headers=strangers).status_code == 404
    listed = client.get(URL, headers=hers).get_json()["items"]
    assert [item["id"] for item in listed] == [created["id"]]
    assert client.post(f"{URL}/{created['id']}/cancel", headers=hers).status_code == 403


def test_registrar_checks_in_by_code_on_the_day_then_completes(client, login, make_slot):
    appointment = book_earlier(make_slot(clock.today()))
    headers = login("registrar01")
    seen = client.get(f"{URL}/{appointment.id}", headers=headers).get_json()
    assert seen["checkin_code"] is None  # the couple shows it; the counter cannot read it
    wrong = client.post(
        f"{URL}/{appointment.id}/check-in", json={"checkin_code": "WRONG123"}, headers=headers
    )
    assert wrong.status_code == 422
    assert "checkin_code" in wrong.get_json()["error"]["details"]
    early_complete = client.post(f"{URL}/{appointment.id}/complete", headers=headers)
    assert early_complete.status_code == 409
    checked_in = client.post(
        f"{URL}/{appointment.id}/check-in",
        json={"checkin_code": appointment.checkin_code.lower()},
        headers=headers,
    )
    assert checked_in.get_json()["status"] == "checked_in"
    done = client.post(f"{URL}/{appointment.id}/complete", headers=headers)
    assert done.get_json()["status"] == "completed"


def test_check_in_is_only_on_the_day(client, login, make_slot, soon):
    appointment = book_earlier(make_slot(soon))
    response = client.post(
        f"{URL}/{appointment.id}/check-in",
        json={"checkin_code": appointment.checkin_code},
        headers=login("registrar01"),
    )
    assert response.status_code == 409


def test_bad_check_in_bodies_are_422(client, login, make_slot):
    appointment = book_earlier(make_slot(clock.today()))
    headers = login("registrar01")
    for body, field in (
        ({}, "checkin_code"),
        ({"checkin_code": 12345678}, "checkin_code"),
        ({"checkin_code": "签到码签到码"}, "checkin_code"),
        ({"checkin_code": "A" * 21}, "checkin_code"),
        ({"code": "ABC"}, "code"),
    ):
        response = client.post(f"{URL}/{appointment.id}/check-in", json=body, headers=headers)
        assert response.status_code == 422
        assert field in response.get_json()["error"]["details"]


def test_citizens_cannot_use_the_counter_actions(client, citizen, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers).get_json()
    for action in ("complete", "no-show"):
        assert client.post(f"{URL}/{created['id']}/{action}", headers=headers).status_code == 403


def test_no_show_is_only_from_the_day_on(client, login, make_slot, soon):
    future = book_earlier(make_slot(soon))
    headers = login("registrar01")
    assert client.post(f"{URL}/{future.id}/no-show", headers=headers).status_code == 409
    today = book_earlier(make_slot(clock.today()), serial=2)
    marked = client.post(f"{URL}/{today.id}/no-show", headers=headers)
    assert marked.get_json()["status"] == "no_show"


def test_daily_rule_marks_unchecked_past_appointments_as_no_shows(app, make_slot):
    yesterday = make_slot(clock.today() - timedelta(days=1))
    missed = book_earlier(yesterday, serial=1)
    came = book_earlier(yesterday, serial=2)
    came.status = "completed"
    for party in came.parties:
        party.active = False
    upcoming = book_earlier(make_slot(clock.today()), serial=3)
    db.session.commit()
    result = daily.run_daily(db.session, clock.today())
    assert result["backend.services.marriage.booking:mark_past_no_shows"] == {"no_shows": 1}
    assert [db.session.get(Appointment, a.id).status for a in (missed, came, upcoming)] == [
        "no_show",
        "completed",
        "booked",
    ]
    again = daily.run_daily(db.session, clock.today())
    assert again["backend.services.marriage.booking:mark_past_no_shows"] == {"no_shows": 0}


def test_reschedule_moves_the_booking_in_one_step(client, citizen, make_slot, soon):
    old_slot, new_slot = make_slot(soon, "am", 3), make_slot(soon, "pm", 3)
    man, woman = couple(soon)
    _, headers = citizen(man)
    old = client.post(URL, json=booking_body(old_slot.id, man, woman), headers=headers).get_json()
    moved = client.post(
        f"{URL}/{old['id']}/reschedule", json={"slot_id": new_slot.id}, headers=headers
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["slot"]["period"] == "pm"
    assert moved.get_json()["party_b"]["name"] == "李娜"
    assert client.get(f"{URL}/{old['id']}", headers=headers).get_json()["status"] == "cancelled"
    db.session.expire_all()
    assert (old_slot.booked, new_slot.booked) == (0, 1)


def test_rescheduling_to_a_full_slot_keeps_the_old_appointment(
    client, citizen, login, make_slot, soon
):
    old_slot, full_slot = make_slot(soon, "am", 3), make_slot(soon, "pm", 1)
    client.post(
        URL, json=booking_body(full_slot.id, *couple(soon, 7)), headers=login("registrar01")
    )
    man, woman = couple(soon)
    _, headers = citizen(man)
    old = client.post(URL, json=booking_body(old_slot.id, man, woman), headers=headers).get_json()
    refused = client.post(
        f"{URL}/{old['id']}/reschedule", json={"slot_id": full_slot.id}, headers=headers
    )
    assert refused.get_json()["error"]["code"] == "slot_full"
    assert client.get(f"{URL}/{old['id']}", headers=headers).get_json()["status"] == "booked"
    db.session.expire_all()
    assert (old_slot.booked, full_slot.booked) == (1, 1)


def test_rescheduling_online_is_refused_while_no_shows_block_online_booking(
    client, citizen, login, make_slot, soon
):
    old_slot, new_slot = make_slot(soon, "am", 3), make_slot(soon, "pm", 3)
    man, woman = couple(soon)
    _, headers = citizen(man)
    old = client.post(URL, json=booking_body(old_slot.id, man, woman), headers=headers).get_json()
    # Since he booked, he missed two appointments of another kind.
    record_no_shows(make_slot(clock.today() - timedelta(days=10)), man, 2, Service.DIVORCE)
    refused = client.post(
        f"{URL}/{old['id']}/reschedule", json={"slot_id": new_slot.id}, headers=headers
    )
    assert refused.status_code == 409
    assert "前不能在线预约" in refused.get_json()["error"]["message"]
    assert client.get(f"{URL}/{old['id']}", headers=headers).get_json()["status"] == "booked"
    at_counter = client.post(
        f"{URL}/{old['id']}/reschedule",
        json={"slot_id": new_slot.id},
        headers=login("registrar01"),
    )
    assert at_counter.status_code == 200, at_counter.get_json()
    db.session.expire_all()
    assert (old_slot.booked, new_slot.booked) == (0, 1)


def test_bad_reschedule_bodies_are_422(client, citizen, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon)
    _, headers = citizen(man)
    old = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers).get_json()
    for body in ({}, {"slot_id": "x"}, {"slot_id": slot.id}, {"slot_id": 424242}):
        response = client.post(f"{URL}/{old['id']}/reschedule", json=body, headers=headers)
        assert response.status_code == 422
        assert "slot_id" in response.get_json()["error"]["details"]


def _unfolded(calendar_text: str) -> list[str]:
    return calendar_text.replace("\r\n ", "").split("\r\n")


def test_ics_is_a_valid_calendar_in_shanghai_time(client, citizen, make_slot, soon):
    slot = make_slot(soon, "pm")
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers).get_json()
    response = client.get(f"{URL}/{created['id']}/ics", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    raw = response.get_data()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = _unfolded(raw.decode())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    for block in ("VCALENDAR", "VTIMEZONE", "VEVENT", "VALARM"):
        assert lines.count(f"BEGIN:{block}") == lines.count(f"END:{block}") == 1
    assert "VERSION:2.0" in lines
    assert f"DTSTART;TZID=Asia/Shanghai:{soon:%Y%m%d}T133000" in lines
    assert f"DTEND;TZID=Asia/Shanghai:{soon:%Y%m%d}T170000" in lines
    assert "TZID:Asia/Shanghai" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert created["checkin_code"] in description


def test_qr_png_encodes_the_check_in_code(client, citizen, login, make_slot, soon):
    slot = make_slot(soon)
    man, woman = couple(soon)
    _, headers = citizen(man)
    created = client.post(URL, json=booking_body(slot.id, man, woman), headers=headers).get_json()
    response = client.get(f"{URL}/{created['id']}/qr.png", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.get_data()))
    assert image.format == "PNG"
    # Read the modules back and compare them with a QR of the code.
    expected = qrcode.QRCode(border=2)
    expected.add_data(created["checkin_code"])
    matrix = expected.get_matrix()
    box = image.width // len(matrix)
    pixels = image.convert("L")
    read = [
        [
            pixels.getpixel((x * box + box // 2, y * box + box // 2)) < 128
            for x in range(len(matrix))
        ]
        for y in range(len(matrix))
    ]
    assert read == matrix
    assert (
        client.get(f"{URL}/{created['id']}/qr.png", headers=login("registrar01")).status_code == 404
    )


def test_ids_beyond_the_database_range_are_404(client, login, office):
    huge = 10**25
    headers = login("registrar01")
    for url in (f"{URL}/{huge}", f"/api/v1/registry-offices/{huge}/slots"):
        assert client.get(url, headers=headers).status_code == 404, url
