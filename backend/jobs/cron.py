"""Periodic work, declared as data and run by `rq cron backend.jobs.cron`.

Each entry names a job of `backend.jobs.specs.JOBS`, whose queue and timeout apply.
rq cron reads crontab strings in UTC: 16:05 UTC is 00:05 in Shanghai.
"""

from rq import cron

from backend.jobs.specs import JOBS, job_function

PERIODIC: dict[str, dict] = {
    "daily.tick": {"cron": "5 16 * * *"},  # every daily rule, just after midnight
    "audit.seal": {"interval": 60},
    "attachments.sweep": {"interval": 300},  # uploads Redis or a worker lost
    "notifications.sweep": {"interval": 300},
    "marriage.expire_waitlist_offers": {"interval": 60},
    "marriage.sweep_reminders": {"interval": 900},  # day-before reminders Redis lost
    "disaster.notify_overdue": {"interval": 300},  # initial reports (初报) gone past due
}

for name, schedule in PERIODIC.items():
    spec = JOBS[name]
    cron.register(
        job_function(name),
        queue_name=spec.queue,
        job_timeout=spec.timeout,
        failure_ttl=spec.failure_ttl,
        **schedule,
    )
