"""The review pipeline on real RQ workers and a real Redis: nothing is lost when
Redis refuses the job, when a worker is killed mid-job, or when a job runs twice;
the failed state is written only when the retries are spent."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import psutil
import pytest
from rq import Queue
from rq.cron import CronScheduler
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import func, select

from backend import create_app
from backend.config import PROJECT_ROOT
from backend.extensions import db
from backend.jobs import attachments as attachment_jobs
from backend.jobs.context import use_app
from backend.jobs.queue import enqueue
from backend.models import Attachment
from backend.models.attachment import Variant
from backend.redis_connection import embedded_url, get_redis, start_embedded
from backend.services import attachment_pipeline, clock
from backend.services.storage import LocalStorage
from tests.attachments import files
from tests.attachments.conftest import STORAGE_KINDS
from tests.jobs.workers import run_burst_worker, wait_for, worker_environment

QUEUES = ["attachments", "notifications"]
RESIDENT_ID = "11010519491231002X"
OTHER_HOUSEHOLD_ID = "440524188001010014"


def reload(attachment_id: int) -> Attachment:
    db.session.rollback()  # read what the worker committed
    return db.session.get(Attachment, attachment_id)


on_both_stores = pytest.mark.parametrize("storage_kind", STORAGE_KINDS)


def bring_retry_forward(job_id: str) -> None:
    """Run a scheduled retry now rather than after its 10-second interval."""
    ScheduledJobRegistry("attachments", connection=get_redis()).requeue(job_id)


@on_both_stores
def test_an_upload_becomes_ready_on_a_real_worker(app, open_case, upload, own_storage):
    attachment_id = upload(open_case()["id"], files.phone_jpeg()).get_json()["id"]
    assert Job.fetch(f"attachment-{attachment_id}", connection=get_redis()).args == (
        attachment_id,
    )  # ids only, never personal data
    run_burst_worker(app, QUEUES)
    attachment = reload(attachment_id)
    assert attachment.status == "ready"
    assert attachment.content_type == "image/jpeg"
    assert (attachment.width, attachment.height) == (900, 1200)
    assert len(attachment.sha256) == 64
    assert attachment.latitude is None  # an ID card keeps no position
    key = attachment.storage_key
    assert own_storage.names() == {f"{key}.original", f"{key}.thumb.jpg", f"{key}.review.jpg"}


def test_a_photo_of_the_house_keeps_its_position_in_the_restricted_columns(
    app, open_case, upload, client, login
):
    attachment_id = upload(open_case()["id"], files.phone_jpeg(), kind="photo").get_json()["id"]
    run_burst_worker(app, QUEUES)
    attachment = reload(attachment_id)
    assert (float(attachment.latitude), float(attachment.longitude)) == (30.26, 120.15)
    shown = client.get(f"/api/v1/attachments/{attachment_id}", headers=login("town01"))
    assert "latitude" not in shown.get_data(as_text=True) and "30.26" not in shown.get_data(
        as_text=True
    )


def test_a_rejected_upload_tells_the_applicant_side_why(app, open_case, upload, client, login):
    attachment_id = upload(open_case()["id"], files.HTML, filename="身份证.jpg").get_json()["id"]
    run_burst_worker(app, QUEUES)
    attachment = reload(attachment_id)
    assert attachment.status == "rejected"
    assert attachment.reason == attachment_pipeline.UNSUPPORTED
    inbox = client.get("/api/v1/me/inbox", headers=login("agent0101")).get_json()["items"]
    assert [n["event"] for n in inbox] == ["material_rejected"]
    assert attachment_pipeline.UNSUPPORTED in inbox[0]["body"]
    assert inbox[0]["data"]["attachment_id"] == attachment_id


@on_both_stores
def test_a_job_that_runs_twice_makes_no_duplicate_files_or_rows(
    app, open_case, upload, own_storage
):
    attachment_id = upload(open_case()["id"], files.phone_jpeg()).get_json()["id"]
    run_burst_worker(app, QUEUES)
    first = reload(attachment_id)
    names, sha256 = own_storage.names(), first.sha256
    # Once more after it finished, and once more as if a worker died after writing.
    enqueue("attachments.process", attachment_id)
    run_burst_worker(app, QUEUES)
    first = reload(attachment_id)
    first.status = "processing"
    db.session.commit()
    enqueue("attachments.process", attachment_id)
    run_burst_worker(app, QUEUES)
    again = reload(attachment_id)
    assert again.status == "ready"
    assert again.sha256 == sha256
    assert own_storage.names() == names
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_enqueueing_an_upload_already_queued_keeps_one_job(app, open_case, upload):
    attachment_id = upload(open_case()["id"], files.plain_jpeg()).get_json()["id"]
    assert attachment_pipeline.request_processing(attachment_id)
    assert len(Queue("attachments", connection=get_redis())) == 1


def test_an_upload_still_succeeds_when_redis_refuses_the_job(
    app, app_config, open_case, login, tmp_path
):
    """Redis up but refusing writes (full, with noeviction as production runs it):
    the upload is kept, the sweeper queues it."""
    server = start_embedded(tmp_path / "full-redis")
    storage_dir = app.config["STORAGE_DIR"]
    full = create_app({**app_config, "REDIS_URL": embedded_url(server), "STORAGE_DIR": storage_dir})
    server.config_set("maxmemory-policy", "noeviction")
    server.config_set("maxmemory", 1)
    case = open_case()
    response = full.test_client().post(
        f"/api/v1/applications/{case['id']}/attachments",
        data={"kind": "hukou", "file": (io.BytesIO(files.plain_jpeg()), "户口簿.jpg")},
        headers=login("agent0101"),
        content_type="multipart/form-data",
    )
    server.shutdown()
    assert response.status_code == 202, response.get_json()
    attachment_id = response.get_json()["id"]
    assert reload(attachment_id).status == "pending"

    assert attachment_pipeline.sweep(db.session) == []  # not stale yet
    later = clock.now() + timedelta(minutes=app.config["SWEEP_AFTER_MINUTES"] + 1)
    assert attachment_pipeline.sweep(db.session, later) == [attachment_id]
    run_burst_worker(app, QUEUES)
    assert reload(attachment_id).status == "ready"


def test_with_redis_stopped_the_upload_is_kept_and_queued_once_redis_is_back(
    app, app_config, open_case, login, tmp_path
):
    """The auth gate asks only the database, so a stopped Redis refuses no upload: the
    row waits `pending` until the sweeper queues it on the Redis that came back."""
    redis_dir = tmp_path / "redis"
    server = start_embedded(redis_dir)
    config = {
        **app_config,
        "REDIS_URL": embedded_url(server),
        "STORAGE_DIR": app.config["STORAGE_DIR"],
    }
    stopped = create_app(config)
    case = open_case()
    server.shutdown()
    response = stopped.test_client().post(
        f"/api/v1/applications/{case['id']}/attachments",
        data={"kind": "hukou", "file": (io.BytesIO(files.plain_jpeg()), "户口簿.jpg")},
        headers=login("agent0101"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 202, response.get_json()
    attachment_id = response.get_json()["id"]
    assert reload(attachment_id).status == "pending"

    server = start_embedded(redis_dir)  # the same data files, back up
    back = create_app({**config, "REDIS_URL": embedded_url(server)})
    later = clock.now() + timedelta(minutes=app.config["SWEEP_AFTER_MINUTES"] + 1)
    with back.app_context():
        assert attachment_pipeline.sweep(db.session, later) == [attachment_id]
        db.session.commit()
    run_burst_worker(back, QUEUES)
    assert reload(attachment_id).status == "ready"
    server.shutdown()
    for used in (stopped, back):
        with used.app_context():
            db.engine.dispose()


@on_both_stores
def test_the_failed_state_is_written_only_when_retries_are_exhausted(
    app, open_case, upload, own_storage
):
    attachment_id = upload(open_case()["id"], files.plain_jpeg()).get_json()["id"]
    original = reload(attachment_id).file_key(Variant.ORIGINAL)
    kept = own_storage.take(original)  # the shared store is briefly unreachable

    run_burst_worker(app, QUEUES)
    job = Job.fetch(f"attachment-{attachment_id}", connection=get_redis())
    assert job.get_status() == JobStatus.SCHEDULED  # retried in 10 s, not failed
    attachment = reload(attachment_id)
    assert (attachment.status, attachment.reason) == ("processing", None)

    job.retries_left = 0  # as after the third retry
    job.save()
    bring_retry_forward(job.id)
    run_burst_worker(app, QUEUES)
    assert job.get_status(refresh=True) == JobStatus.FAILED
    failure = job.latest_result().exc_string
    assert "FileNotFoundError" in failure
    assert RESIDENT_ID not in failure  # tracebacks carry ids, not identity numbers
    attachment = reload(attachment_id)
    assert (attachment.status, attachment.reason) == (
        "rejected",
        attachment_pipeline.SYSTEM_FAILURE,
    )
    own_storage.put(original, kept)


def test_a_file_that_keeps_killing_workers_is_given_up(app, open_case, upload, process_now):
    attachment_id = upload(open_case()["id"], files.plain_jpeg()).get_json()["id"]
    attachment = reload(attachment_id)
    attachment.status, attachment.attempts = "processing", app.config["ATTACHMENT_MAX_ATTEMPTS"]
    db.session.commit()
    process_now(attachment_id)
    attachment = reload(attachment_id)
    assert (attachment.status, attachment.reason) == (
        "rejected",
        attachment_pipeline.SYSTEM_FAILURE,
    )


def test_a_worker_killed_mid_job_leaves_the_row_to_another_worker(app, open_case, upload, tmp_path):
    data = files.plain_jpeg()
    attachment_id = upload(open_case()["id"], data).get_json()["id"]
    original = LocalStorage(app.config["STORAGE_DIR"]).path(
        reload(attachment_id).file_key(Variant.ORIGINAL)
    )
    # A named pipe in place of the file: the job blocks reading it, mid-job, until
    # the test decides, with no timing to guess.
    original.unlink()
    os.mkfifo(original)
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "worker", "--queues", "attachments"],
        env=worker_environment(app),
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: reload(attachment_id).status == "processing")
        horses = wait_for(lambda: psutil.Process(worker.pid).children())
        for process in [*horses, psutil.Process(worker.pid)]:
            os.kill(process.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        for process in psutil.Process(worker.pid).children() if worker.poll() is None else []:
            process.kill()
        if worker.poll() is None:
            worker.kill()
        log.close()

    assert reload(attachment_id).status == "processing"  # claimed, never finished
    original.unlink()
    original.write_bytes(data)
    redis = get_redis()
    StartedJobRegistry("attachments", connection=redis).cleanup(timestamp=time.time() + 3600)
    bring_retry_forward(f"attachment-{attachment_id}")
    run_burst_worker(app, QUEUES)
    attachment = reload(attachment_id)
    assert attachment.status == "ready"
    assert attachment.attempts == 2


def test_the_sweeper_leaves_recent_and_finished_rows_alone(app, open_case, upload, process_now):
    case = open_case()
    done = upload(case["id"], files.plain_jpeg()).get_json()["id"]
    process_now(done)
    stuck = upload(case["id"], files.plain_jpeg()).get_json()["id"]
    get_redis().flushdb()  # Redis lost its queue
    later = clock.now() + timedelta(minutes=app.config["SWEEP_AFTER_MINUTES"] + 1)
    assert attachment_pipeline.sweep(db.session, later) == [stuck]
    assert Job.fetch(f"attachment-{stuck}", connection=get_redis()).args == (stuck,)


def test_rq_cron_runs_the_sweepers(app, open_case, upload):
    scheduler = CronScheduler(get_redis())
    scheduler.load_config_from_file(str(PROJECT_ROOT / "backend" / "jobs" / "cron.py"))
    registered = {f"{job.func.__module__}.{job.func.__name__}" for job in scheduler.get_jobs()}
    assert {"backend.jobs.attachments.sweep", "backend.jobs.notifications.sweep"} <= registered


@on_both_stores
def test_the_sweep_job_requeues_what_redis_lost(app, open_case, upload):
    app.config["SWEEP_AFTER_MINUTES"] = 0
    attachment_id = upload(open_case()["id"], files.plain_jpeg()).get_json()["id"]
    get_redis().flushdb()
    use_app(app)
    assert attachment_jobs.sweep() == [attachment_id]
    run_burst_worker(app, QUEUES)
    assert reload(attachment_id).status == "ready"


def test_the_same_file_in_another_households_case_is_flagged_for_staff(
    app, open_case, upload, client, login, process_now
):
    data = files.plain_jpeg()
    mine = open_case(id_number=RESIDENT_ID)
    theirs = open_case(id_number=OTHER_HOUSEHOLD_ID)
    first = upload(mine["id"], data, kind="income_proof").get_json()["id"]
    same_household = upload(mine["id"], data, kind="other").get_json()["id"]
    elsewhere = upload(theirs["id"], data, kind="income_proof").get_json()["id"]
    for attachment_id in (first, same_household, elsewhere):
        process_now(attachment_id)
    assert reload(same_household).duplicate_of_id is None
    assert reload(elsewhere).duplicate_of_id == first
    staff_view = client.get(f"/api/v1/attachments/{elsewhere}", headers=login("town01"))
    assert staff_view.get_json()["duplicate_of_application"] == mine["number"]
    agent_view = client.get(f"/api/v1/attachments/{elsewhere}", headers=login("agent0101"))
    assert agent_view.get_json()["duplicate_of_application"] is None
