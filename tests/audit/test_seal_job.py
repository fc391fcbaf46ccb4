"""The sealing job runs on a real worker and is scheduled every minute by rq cron."""

from rq.cron import CronScheduler
from rq.job import JobStatus

from backend.extensions import db
from backend.jobs.queue import enqueue
from backend.redis_connection import get_redis
from backend.services import audit
from tests.jobs.workers import run_burst_worker


def test_the_seal_job_chains_every_new_row_on_a_real_worker(app, audit_rows):
    for n in range(audit.SEAL_BATCH + 3):  # more than one batch
        audit.record(db.session, None, "test.note", None, note=str(n))
    db.session.commit()
    job = enqueue("audit.seal")
    run_burst_worker(app, ["default"])
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == audit.SEAL_BATCH + 3
    report = audit.verify(db.session)
    assert report.valid and report.checked == audit.SEAL_BATCH + 3 and report.unsealed == 0


def test_sealing_again_finds_nothing_to_do(app):
    audit.record(db.session, None, "test.note", None)
    db.session.commit()
    enqueue("audit.seal")
    run_burst_worker(app, ["default"])
    job = enqueue("audit.seal")
    run_burst_worker(app, ["default"])
    job.refresh()
    assert job.return_value() == 0


def test_rq_cron_runs_the_seal_every_minute(app):
    scheduler = CronScheduler(connection=get_redis())
    scheduler.load_config_from_file("backend.jobs.cron")
    [seal] = [job for job in scheduler.get_jobs() if job.func_name == "backend.jobs.audit.seal"]
    assert seal.interval == 60
    assert seal.queue_name == "default"
