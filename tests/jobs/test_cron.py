"""rq cron runs the periodic jobs declared in backend.jobs.cron, with their specs."""

from rq.cron import CronScheduler

from backend.jobs.cron import PERIODIC
from backend.jobs.specs import JOBS, job_function
from backend.redis_connection import get_redis


def loaded_jobs():
    scheduler = CronScheduler(connection=get_redis())
    scheduler.load_config_from_file("backend.jobs.cron")
    return {job.func_name: job for job in scheduler.get_jobs()}


def test_every_periodic_job_is_registered_with_its_specs_queue_and_timeout(app):
    jobs = loaded_jobs()
    assert len(jobs) == len(PERIODIC)
    for name in PERIODIC:
        spec = JOBS[name]
        job = jobs[spec.func]
        assert job.queue_name == spec.queue
        assert job.job_options["job_timeout"] == spec.timeout


def test_the_daily_task_runs_just_after_midnight_in_shanghai(app):
    tick = loaded_jobs()["backend.jobs.daily.tick"]
    assert tick.cron == "5 16 * * *"  # 16:05 UTC = 00:05 Asia/Shanghai


def test_sweepers_run_every_few_minutes(app):
    jobs = loaded_jobs()
    assert jobs["backend.jobs.attachments.sweep"].interval == 300
    assert jobs["backend.jobs.notifications.sweep"].interval == 300
    assert jobs["backend.jobs.marriage.sweep_reminders"].interval == 900


def test_every_declared_job_names_a_real_function():
    for name in JOBS:
        assert callable(job_function(name)), name
