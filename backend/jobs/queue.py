"""`enqueue(name, *args)`: the one door from services to background work."""

from __future__ import annotations

from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

from backend.jobs.specs import JOBS
from backend.redis_connection import get_redis

FINISHED_STATES = {JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED}


def enqueue(name: str, *args: int | str) -> Job:
    """Queue job `name` with ids as arguments (never personal data).

    A job with the same id still waiting or running is returned as it is ("already
    queued"); a finished one with that id is replaced so the work can run again.
    """
    spec = JOBS[name]
    redis = get_redis()
    queue = Queue(spec.queue, connection=redis)
    options = {
        "job_timeout": spec.timeout,
        "failure_ttl": spec.failure_ttl,
        "retry": Retry(max=len(spec.retry_intervals), interval=list(spec.retry_intervals)),
        "description": name,
    }
    if spec.id_template is None:
        return queue.enqueue(spec.func, *args, **options)
    job_id = spec.id_template.format(*args)
    try:
        return queue.enqueue(spec.func, *args, job_id=job_id, unique=True, **options)
    except DuplicateJobError:
        existing = Job.fetch(job_id, connection=redis)
        if existing.get_status(refresh=True) not in FINISHED_STATES:
            return existing
        existing.delete()
        return queue.enqueue(spec.func, *args, job_id=job_id, unique=True, **options)
