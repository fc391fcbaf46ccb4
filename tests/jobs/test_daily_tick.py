"""The daily task: one command, one job, any date."""

from datetime import date

from rq import Queue
from rq.job import JobStatus

from backend.extensions import db
from backend.jobs.queue import enqueue
from backend.services import daily
from backend.services.workdays import set_override
from tests.jobs.workers import run_burst_worker


def test_tick_runs_every_daily_rule_for_the_given_date(app):
    result = daily.run_daily(db.session, date(2026, 12, 1))
    assert result["date"] == "2026-12-01"
    assert set(result) == {"date", *daily.DAILY_RULES}


def test_next_years_calendar_is_reported_once_december_comes(app):
    rule = daily.load_rule("backend.services.workdays:check_next_year_known")
    assert rule(db.session, date(2025, 12, 1)) == {"year": 2026, "known": True}
    assert rule(db.session, date(2026, 11, 30)) == {"year": 2027, "known": True}  # not yet asked
    assert rule(db.session, date(2026, 12, 1)) == {"year": 2027, "known": False}
    set_override(db.session, date(2027, 2, 20), True, "春节调休上班(国务院办公厅通知)")
    db.session.commit()
    assert rule(db.session, date(2026, 12, 1)) == {"year": 2027, "known": True}


def test_flask_tick_with_a_date(app):
    result = app.test_cli_runner().invoke(args=["tick", "--date", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "2026-12-01" in result.output


def test_flask_tick_rejects_a_bad_date(app):
    result = app.test_cli_runner().invoke(args=["tick", "--date", "2026-02-30"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_tick_job_runs_on_a_real_worker(app):
    job = enqueue("daily.tick", "2026-12-01")
    assert job.id == "tick-2026-12-01"
    run_burst_worker(app, ["default"])
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value()["date"] == "2026-12-01"


def test_enqueueing_a_queued_job_again_returns_the_same_job(app):
    first = enqueue("daily.tick", "2026-12-02")
    second = enqueue("daily.tick", "2026-12-02")
    assert first.id == second.id
    assert len(Queue("default", connection=first.connection)) == 1


def test_a_finished_job_can_be_enqueued_again(app):
    enqueue("daily.tick", "2026-12-03")
    run_burst_worker(app, ["default"])
    again = enqueue("daily.tick", "2026-12-03")
    assert again.get_status() == JobStatus.QUEUED
