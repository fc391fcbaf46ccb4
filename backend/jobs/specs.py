"""Every background job, declared as data: function, queue, timeout, retries, id."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class JobSpec:
    func: str  # dotted path, so that declaring a job imports nothing
    queue: str
    timeout: int  # seconds
    retry_intervals: tuple[int, ...] = (10, 60, 300)  # docs/reliability.md, "Background jobs"
    # "attachment-{0}": one live job per subject (enqueued with unique=True).
    id_template: str | None = None
    failure_ttl: int = 30 * 86400  # keep failures a month, not RQ's default year


JOBS: dict[str, JobSpec] = {
    "attachments.process": JobSpec(
        "backend.jobs.attachments.process", "attachments", 120, id_template="attachment-{0}"
    ),
    "notifications.deliver": JobSpec(
        "backend.jobs.notifications.deliver", "notifications", 60, id_template="notification-{0}"
    ),
    "marriage.remind": JobSpec(
        "backend.jobs.marriage.remind", "notifications", 60, id_template="appointment-reminder-{0}"
    ),
    "audit.seal": JobSpec("backend.jobs.audit.seal", "default", 300, id_template="audit-seal"),
    "attachments.sweep": JobSpec("backend.jobs.attachments.sweep", "default", 300),
    "notifications.sweep": JobSpec("backend.jobs.notifications.sweep", "default", 300),
    "marriage.expire_waitlist_offers": JobSpec(
        "backend.jobs.marriage.expire_waitlist_offers", "default", 120
    ),
    "marriage.sweep_reminders": JobSpec("backend.jobs.marriage.sweep_reminders", "default", 300),
    "disaster.notify_overdue": JobSpec(
        "backend.jobs.disaster.notify_overdue", "default", 300, id_template="disaster-overdue"
    ),
    "elderly.import_roster": JobSpec(
        "backend.jobs.elderly.import_roster", "default", 3600, id_template="roster-import-{0}"
    ),
    "liveness.check_selfie": JobSpec(
        "backend.jobs.liveness.check_selfie", "attachments", 120, id_template="selfie-{0}"
    ),
    "daily.tick": JobSpec(
        func="backend.jobs.daily.tick",
        queue="default",
        timeout=1800,
        retry_intervals=(60, 300, 900),
        id_template="tick-{0}",
    ),
}


def job_function(name: str):
    """The function behind job `name` (imports its module)."""
    module, _, function = JOBS[name].func.rpartition(".")
    return getattr(import_module(module), function)
