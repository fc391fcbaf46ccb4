"""`enqueue(name, *args)`: the one door from services to background work."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any

from rq import Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from backend.jobs.specs import JOBS, JobSpec
from backend.redis_connection import get_redis

FINISHED_STATES = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def _options(name: str, spec: JobSpec) -> dict[str, Any]:
    return {
        "job_timeout": spec.timeout,
        "failure_ttl": spec.failure_ttl,
        "retry": Retry(max=len(spec.retry_intervals), interval=list(spec.retry_intervals)),
        "description": name,
    }


def enqueue(name: str, *args: int | str, at: datetime | None = None) -> Job:
    """Queue job `name` with ids as arguments (never personal data), now or `at`.

    A job with the same id still waiting or running is returned as it is ("already
    queued"); a finished one with that id is replaced so the work can run again.
    """
    spec = JOBS[name]
    redis = get_redis()
    queue = Queue(spec.queue, connection=redis)
    options = _options(name, spec)

    def put(**identity) -> Job:
        if at is None:
            return queue.enqueue(spec.func, *args, **identity, **options)
        return queue.enqueue_at(at, spec.func, *args, **identity, **options)

    if spec.id_template is None:
        return put()
    job_id = spec.id_template.format(*args)
    try:
        return put(job_id=job_id, unique=True)
    except DuplicateJobError:
        existing = Job.fetch(job_id, connection=redis)
        if existing.get_status(refresh=True) not in FINISHED_STATES:
            return existing
        existing.delete()
        return put(job_id=job_id, unique=True)


def cancel(name: str, *args: int | str) -> None:
    """Remove the queued or scheduled job `name` for these ids, if there is one."""
    job_id = JOBS[name].id_template.format(*args)
    with suppress(NoSuchJobError):
        Job.fetch(job_id, connection=get_redis()).delete()
