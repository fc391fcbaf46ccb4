"""The attachment pipeline: 4000×3000 phone photos through upload, RQ and the image
service, per worker, against raw Pillow on one core; and upload-to-ready latency."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from decimal import Decimal

from redis import Redis
from sqlalchemy import select

from backend.config import PROJECT_ROOT
from backend.extensions import db
from backend.models import ApplicationType, AreaType, Relation
from backend.models.attachment import Attachment
from backend.services import applications, households
from backend.services.users import find_by_username
from bench.ceilings import drain_rate, test_photo
from bench.core import POSTGRESQL, Backend, BenchError, Figure, Measurement, Values
from bench.figures import access_token, id_numbers
from bench.stack import stop_process

AGENT, VILLAGE = "agent0101", "990101001000"
QUEUE = "attachments"
READY_TIMEOUT = 120  # seconds for one photo to come back from the worker
_people = id_numbers(4000)


def new_case() -> int:
    """A fresh case to upload to (a case takes a bounded number of files)."""
    agent = find_by_username(db.session, AGENT)
    id_number = next(_people)
    case = applications.create(
        db.session,
        agent,
        program=ApplicationType.DIBAO,
        region_code=VILLAGE,
        applicant=applications.Applicant(name="王秀英", id_number=id_number),
        on_behalf=True,
        household=households.Household(
            AreaType.URBAN,
            (households.Member("王秀英", id_number, Relation.SELF, Decimal("0")),),
        ),
    )
    db.session.commit()
    return case.id


def upload(backend: Backend, token: str, case_id: int, photo: bytes) -> int:
    """POST the photo as multipart/form-data, as the mini program does; the new id."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nid_card\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"'
            f"\r\nContent-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{backend.product.base_url}/api/v1/applications/{case_id}/attachments",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["id"]


def status_of(backend: Backend, token: str, attachment_id: int) -> str:
    request = urllib.request.Request(
        f"{backend.product.base_url}/api/v1/attachments/{attachment_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["status"]


def worker(*extra: str) -> list[str]:
    return [sys.executable, "-m", "flask", "worker", "--queues", QUEUE, *extra]


def pipeline(backend: Backend) -> Values:
    """Photos queued first, then drained by one worker: images/s from first start to
    last end, worker start-up excluded (as for the empty-job ceiling)."""
    photo, token = test_photo(), access_token(backend, AGENT)
    case_id = new_case()
    ids = [upload(backend, token, case_id, photo) for _ in range(backend.mode.images)]
    subprocess.run(
        worker("--burst"),
        env=backend.env,
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    statuses = db.session.scalars(select(Attachment.status).where(Attachment.id.in_(ids))).all()
    db.session.remove()
    if set(statuses) != {"ready"}:
        raise BenchError(f"attachment pipeline: photos ended {sorted(set(statuses))}")
    redis = Redis.from_url(backend.redis_url)
    return {"rate": drain_rate(redis, [f"attachment-{i}" for i in ids])}


def upload_to_ready(backend: Backend) -> Values:
    """One photo at a time with a worker waiting: from sending it to seeing it ready."""
    photo, token = test_photo(), access_token(backend, AGENT)
    case_id = new_case()
    process = subprocess.Popen(
        worker(),
        env=backend.env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies = []
    try:
        for _ in range(backend.mode.samples):
            started = time.perf_counter()
            attachment_id = upload(backend, token, case_id, photo)
            while (status := status_of(backend, token, attachment_id)) not in ("ready", "rejected"):
                if time.perf_counter() - started > READY_TIMEOUT:
                    raise BenchError(f"attachment {attachment_id} still {status}")
                time.sleep(0.02)
            if status != "ready":
                raise BenchError(f"attachment {attachment_id} was rejected")
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        stop_process(process)
    return {"ms": statistics.median(latencies)}


MEASUREMENTS = (
    Measurement("product.attachment_pipeline", pipeline, backends=(POSTGRESQL,)),
    Measurement("product.upload_to_ready", upload_to_ready, backends=(POSTGRESQL,)),
)
FIGURES = (
    Figure(
        "attachment pipeline, 4000×3000 JPEG, one worker",
        "images/s",
        product=("product.attachment_pipeline", "rate"),
        ceiling=("ceiling.pillow", "rate"),
        min_ratio=0.7,
        backends=(POSTGRESQL,),
    ),
    Figure(
        "attachment upload to ready, median",
        "ms",
        product=("product.upload_to_ready", "ms"),
        ceiling=None,
        backends=(POSTGRESQL,),
    ),
)
SEEDS = ()
