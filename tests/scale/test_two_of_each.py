"""Two web processes and two RQ workers on one PostgreSQL and one Redis, as the
README's scale-out recipe runs them: uploads and bookings sent through both web
processes, one worker killed (SIGKILL) in the middle of a job, and nothing lost,
duplicated or processed twice."""

from __future__ import annotations

import os
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import psutil
import requests
from rq import Worker
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import func, select

from backend.extensions import db
from backend.models import Attachment, RegistryOffice
from backend.models.attachment import AttachmentStatus, Variant
from backend.models.marriage import Appointment, Slot
from backend.redis_connection import get_redis
from backend.services import clock, idempotency
from backend.services.storage import LocalStorage
from tests.attachments import files
from tests.backends import postgresql_only
from tests.jobs.workers import wait_for
from tests.marriage.helpers import booking_body, couple

pytestmark = postgresql_only

UPLOADS = 8
PLACES, COUPLES = 5, 12


def statuses() -> dict[int, str]:
    db.session.rollback()  # read what the other processes committed
    return dict(db.session.execute(select(Attachment.id, Attachment.status)).all())


def upload(base: str, headers: dict, case_id: int, data: bytes, key: str) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/applications/{case_id}/attachments",
        data={"kind": "other"},
        files={"file": ("材料.jpg", data, "image/jpeg")},
        headers=headers | {idempotency.HEADER: key},
        timeout=60,
    )


def test_two_web_processes_and_two_workers_lose_and_repeat_nothing(processes, open_case, login):
    webs = [processes.web("web-1"), processes.web("web-2")]
    agent = login("agent0101")
    case_id = open_case(mandate=False)["id"]

    # Uploads through both web processes, each sent again through the other one.
    sent = {}
    for serial in range(UPLOADS):
        key, data = str(uuid.uuid4()), files.plain_jpeg(seed_level=60 + serial * 10)
        first = upload(webs[serial % 2], agent, case_id, data, key)
        again = upload(webs[(serial + 1) % 2], agent, case_id, data, key)
        assert first.status_code == again.status_code == 202, first.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
        sent[first.json()["id"]] = data
    assert set(statuses()) == set(sent)

    # One original becomes a named pipe: the worker that takes it blocks mid-job.
    store = LocalStorage(processes.env["STORAGE_DIR"])
    stuck_id = min(sent)
    stuck = db.session.get(Attachment, stuck_id)
    stuck_path = store.path(stuck.file_key(Variant.ORIGINAL))
    stuck_path.unlink()
    os.mkfifo(stuck_path)

    workers = [processes.worker("worker-1"), processes.worker("worker-2")]
    job_id = f"attachment-{stuck_id}"
    holder = wait_for(
        lambda: next(
            (w for w in Worker.all(connection=get_redis()) if w.get_current_job_id() == job_id),
            None,
        ),
        what="a worker holding the blocked job",
    )
    killed = next(p for p in workers if p.pid == holder.pid)
    assert psutil.Process(killed.pid).children()  # its work horse, mid-job
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)

    # Bookings through both web processes at once, each also retried through the other.
    slot_id, outcomes = book_through_both(webs, login("registrar01"))

    others = set(sent) - {stuck_id}
    wait_for(
        lambda: all(statuses()[i] == AttachmentStatus.READY for i in others),
        what="the other uploads ready on the surviving worker",
    )
    assert statuses()[stuck_id] == AttachmentStatus.PROCESSING  # claimed, never finished

    # RQ's maintenance finds the dead worker's job abandoned; its retry runs elsewhere.
    stuck_path.unlink()
    stuck_path.write_bytes(sent[stuck_id])
    redis = get_redis()
    StartedJobRegistry("attachments", connection=redis).cleanup(
        timestamp=clock.now().timestamp() + 3600
    )
    ScheduledJobRegistry("attachments", connection=redis).requeue(job_id)
    wait_for(lambda: statuses()[stuck_id] == AttachmentStatus.READY, what="the retried job")

    # Nothing lost, nothing duplicated, nothing processed twice.
    db.session.rollback()
    rows = db.session.scalars(select(Attachment)).all()
    assert len(rows) == UPLOADS
    assert {row.id: row.attempts for row in rows} == {i: 2 if i == stuck_id else 1 for i in sent}
    expected = {
        name
        for row in rows
        for name in (
            row.file_key(Variant.ORIGINAL),
            row.file_key(Variant.THUMB),
            row.file_key(Variant.REVIEW),
        )
    }
    assert {p.name for p in Path(store.root).rglob("*") if p.is_file()} == expected

    booked = {answer["id"] for status, answer in outcomes if status == 201}
    assert len(booked) == PLACES
    assert sorted(status for status, _ in outcomes).count(409) == 2 * (COUPLES - PLACES)
    appointments = select(func.count()).where(Appointment.slot_id == slot_id)
    assert db.session.scalar(appointments) == PLACES
    assert db.session.get(Slot, slot_id).booked == PLACES


def book_through_both(webs: list[str], headers: dict) -> tuple[int, list[tuple[int, dict]]]:
    """COUPLES bookings for one slot of PLACES, sent at once, half through each web
    process, each sent again with its key through the other: the slot, and
    (status, body) of every answer."""
    office = db.session.scalar(
        select(RegistryOffice).where(RegistryOffice.name == "示范县婚姻登记处")
    )
    day = clock.today() + timedelta(days=7)
    slot = db.session.scalar(
        select(Slot).where(Slot.office_id == office.id, Slot.day == day, Slot.period == "am")
    ) or Slot(office_id=office.id, day=day, period="am", booked=0)
    slot.capacity = PLACES
    db.session.add(slot)
    db.session.commit()
    bodies = [booking_body(slot.id, *couple(day, serial=serial)) for serial in range(COUPLES)]

    def book(serial: int) -> list[tuple[int, dict]]:
        key = str(uuid.uuid4())
        answers = []
        for web in (webs[serial % 2], webs[(serial + 1) % 2]):
            response = requests.post(
                f"{web}/api/v1/appointments",
                json=bodies[serial],
                headers=headers | {idempotency.HEADER: key},
                timeout=60,
            )
            answers.append((response.status_code, response.json()))
        first, again = answers
        assert again == first or first[0] == 409, answers  # a 201 is replayed as it was
        return answers

    with ThreadPoolExecutor(max_workers=COUPLES) as pool:
        answered = [answer for answers in pool.map(book, range(COUPLES)) for answer in answers]
    return slot.id, answered
