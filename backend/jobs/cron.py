"""Periodic work, declared as data and run by `rq cron backend.jobs.cron`.

rq cron reads crontab strings in UTC: 16:05 UTC is 00:05 in Shanghai.
"""

from rq import cron

from backend.jobs import attachments, audit, daily, marriage, notifications

cron.register(audit.seal, queue_name="default", interval=60, job_timeout=300, failure_ttl=86400)
cron.register(
    daily.tick, queue_name="default", cron="5 16 * * *", job_timeout=1800, failure_ttl=30 * 86400
)
cron.register(attachments.sweep, queue_name="default", interval=300, job_timeout=300)
cron.register(notifications.sweep, queue_name="default", interval=300, job_timeout=300)
cron.register(marriage.expire_waitlist_offers, queue_name="default", interval=60, job_timeout=120)
