"""Periodic work, declared as data and run by `rq cron backend.jobs.cron`.

rq cron reads crontab strings in UTC: 16:05 UTC is 00:05 in Shanghai.
"""

from rq import cron

from backend.jobs import daily

cron.register(
    daily.tick, queue_name="default", cron="5 16 * * *", job_timeout=1800, failure_ttl=30 * 86400
)
