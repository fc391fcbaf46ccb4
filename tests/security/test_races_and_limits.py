"""Limits held by the database under concurrency: a case's file count, and places a
capacity raise creates going to the couples waiting first."""

import io
import threading
from collections import Counter

from sqlalchemy import func, select

from backend.extensions import db
from backend.models.attachment import Attachment
from backend.models.marriage import Slot, WaitlistEntry
from tests.attachments import files
from tests.marriage.helpers import booking_body, couple

LIMIT, THREADS = 10, 24


def test_concurrent_uploads_never_pass_the_per_case_limit(app, login, open_case, tmp_path):
    app.config.update(ATTACHMENT_MAX_PER_APPLICATION=LIMIT, STORAGE_DIR=str(tmp_path / "uploads"))
    case_id = open_case(mandate=False)["id"]
    headers = login("agent0101")
    photo = files.plain_jpeg()
    start = threading.Barrier(THREADS)
    answers: list[int] = []

    def upload():
        client = app.test_client()
        start.wait()
        response = client.post(
            f"/api/v1/applications/{case_id}/attachments",
            data={"kind": "id_card", "file": (io.BytesIO(photo), "身份证.jpg")},
            headers=headers,
            content_type="multipart/form-data",
        )
        answers.append(response.status_code)

    threads = [threading.Thread(target=upload) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Counter(answers) == {202: LIMIT, 422: THREADS - LIMIT}
    stored = db.session.scalar(
        select(func.count()).select_from(Attachment).where(Attachment.application_id == case_id)
    )
    assert stored == LIMIT


def full_slot_with_line(client, login, make_slot, soon, waiting: int):
    registrar = login("registrar01")
    slot = make_slot(soon, capacity=1)
    booked = client.post(
        "/api/v1/appointments",
        json=booking_body(slot.id, *couple(soon, serial=90)),
        headers=registrar,
    )
    assert booked.status_code == 201, booked.get_json()
    for serial in range(1, waiting + 1):
        man, woman = couple(soon, serial=serial)
        body = {"service": "marriage", "party_a": man, "party_b": woman, "on_behalf": True}
        joined = client.post(f"/api/v1/slots/{slot.id}/waitlist", json=body, headers=registrar)
        assert joined.status_code == 201, joined.get_json()
    return slot


def test_a_place_a_capacity_raise_creates_goes_to_the_couple_waiting(
    client, login, make_slot, soon
):
    slot = full_slot_with_line(client, login, make_slot, soon, waiting=1)
    registrar = login("registrar01")
    raised = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 2}, headers=registrar)
    assert raised.status_code == 200, raised.get_json()
    assert raised.get_json()["remaining"] == 0
    [entry] = db.session.scalars(select(WaitlistEntry))
    assert entry.status == "offered"
    grab = client.post(
        "/api/v1/appointments",
        json=booking_body(slot.id, *couple(soon, serial=50)),
        headers=registrar,
    )
    assert grab.get_json()["error"]["code"] == "slot_full"


def test_places_beyond_the_line_go_back_to_everyone(client, login, make_slot, soon):
    slot = full_slot_with_line(client, login, make_slot, soon, waiting=1)
    registrar = login("registrar01")
    raised = client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 4}, headers=registrar)
    assert raised.get_json()["remaining"] == 2
    db.session.expire_all()
    assert db.session.get(Slot, slot.id).booked == 2  # one appointment, one held offer
