"""Deadlines and alerts: initial reports late after the township's hour (county staff
told once, by the rq cron job), updates due by 09:00 daily (every ten days for
drought), the final report working days after the close, and the escalation at ten
dead or missing."""

from datetime import UTC, datetime, timedelta

from backend.extensions import db
from backend.jobs.context import use_app
from backend.jobs.cron import PERIODIC
from backend.jobs.disaster import notify_overdue
from backend.models.disaster import DisasterEvent, EventStatus
from backend.services import clock, daily, disaster_alerts, disaster_deadlines
from tests.disaster.conftest import OTHER_TOWNSHIP, TOWNSHIP

SHANGHAI_9AM_DEC_5 = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def inbox_events(client, headers):
    return [n["event"] for n in client.get("/api/v1/me/inbox", headers=headers).get_json()["items"]]


def event_at(started_at, type_="flood", **more):
    return DisasterEvent(type=type_, started_at=started_at, status=EventStatus.OPEN, **more)


def test_updates_fall_due_at_nine_in_shanghai_from_the_next_day(app):
    event = event_at(datetime(2026, 12, 4, 2, 30, tzinfo=UTC))  # 10:30 in Shanghai
    due = disaster_deadlines.update_due_times(event, datetime(2026, 12, 7, 0, 0, tzinfo=UTC))
    assert due == [SHANGHAI_9AM_DEC_5, SHANGHAI_9AM_DEC_5 + timedelta(days=1)]


def test_a_drought_is_updated_every_ten_days(app):
    event = event_at(datetime(2026, 12, 4, 2, 30, tzinfo=UTC), type_="drought")
    due = disaster_deadlines.update_due_times(event, datetime(2026, 12, 31, tzinfo=UTC))
    assert [d.astimezone(clock.SHANGHAI).day for d in due] == [14, 24]


def test_a_closed_event_owes_no_more_updates(app):
    event = event_at(datetime(2026, 12, 4, 2, 30, tzinfo=UTC))
    event.status, event.closed_at = EventStatus.CLOSED, datetime(2026, 12, 4, 12, tzinfo=UTC)
    assert disaster_deadlines.update_due_times(event, datetime(2026, 12, 9, tzinfo=UTC)) == []
    assert disaster_deadlines.next_update_due(event, datetime(2026, 12, 5, tzinfo=UTC)) is None


def test_the_final_report_is_due_five_working_days_after_the_close(app):
    event = event_at(datetime(2026, 9, 28, 2, tzinfo=UTC))
    event.closed_at = datetime(2026, 9, 29, 4, tzinfo=UTC)  # Tuesday before 国庆
    # 9-30 is a working day, then the National Day holiday, back to work on 10-09.
    assert disaster_deadlines.final_due_on(db.session, event).isoformat() == "2026-10-12"


def test_a_region_silent_since_the_last_update_window_is_overdue(
    app, client, login, open_event, send_report, monkeypatch
):
    event = open_event(started_hours_ago=60)
    real_now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: real_now - timedelta(hours=59))
    send_report(event, {"affected_population": 5}, occurred_hours_ago=0)
    monkeypatch.setattr(clock, "now", lambda: real_now)
    detail = client.get(f"/api/v1/disaster-events/{event['id']}", headers=login("county01"))
    row = {r["region_code"]: r for r in detail.get_json()["regions"]}[TOWNSHIP]
    assert (row["overdue_initial"], row["overdue_update"]) == (False, True)
    send_report(event, {"affected_population": 6}, kind="update", occurred_hours_ago=0)
    detail = client.get(f"/api/v1/disaster-events/{event['id']}", headers=login("county01"))
    assert detail.get_json()["regions"][0]["overdue_update"] is False


def test_county_staff_are_told_once_of_a_late_initial_report(app, client, login, open_event):
    open_event(region_codes=[TOWNSHIP, OTHER_TOWNSHIP], started_hours_ago=1.5)
    use_app(app)
    assert len(notify_overdue()) == 2
    assert notify_overdue() == []
    assert inbox_events(client, login("county01")) == ["disaster_initial_overdue"] * 2


def test_the_overdue_check_runs_every_five_minutes_under_rq_cron():
    assert PERIODIC["disaster.notify_overdue"] == {"interval": 300}


def test_ten_dead_or_missing_flag_the_event_and_alert_county_staff_once(
    client, login, open_event, send_report
):
    event = open_event()
    send_report(event, {"affected_population": 100, "deaths": 4, "missing": 3})
    assert inbox_events(client, login("county01")) == []
    send_report(
        event,
        {"affected_population": 50, "deaths": 2, "missing": 1},
        username="officer01",
        region_code="990101002000",
    )
    detail = client.get(f"/api/v1/disaster-events/{event['id']}", headers=login("county01"))
    assert detail.get_json()["escalated"] is True
    assert inbox_events(client, login("county01")) == ["disaster_escalated"]
    inbox = client.get("/api/v1/me/inbox", headers=login("county01")).get_json()["items"]
    assert "死亡 6 人、失踪 4 人" in inbox[0]["body"]
    send_report(event, {"deaths": 5}, kind="update", occurred_hours_ago=0.2)
    assert inbox_events(client, login("county01")) == ["disaster_escalated"]


def test_the_daily_tick_reminds_the_areas_officers_on_the_morning_an_update_is_due(
    client, login, open_event
):
    event = open_event()
    due_day = clock.shanghai_date(datetime.fromisoformat(event["started_at"])) + timedelta(days=1)
    result = daily.run_daily(db.session, due_day)
    db.session.commit()
    assert result["backend.services.disaster_alerts:remind_updates"] == {"reminded": 2}
    for username, told in (("officer0101", True), ("officer01", True), ("officer00", False)):
        assert ("disaster_update_due" in inbox_events(client, login(username))) is told


def test_no_reminder_on_a_day_no_drought_update_is_due(client, login, open_event):
    event = open_event(type="drought")
    day = clock.shanghai_date(datetime.fromisoformat(event["started_at"])) + timedelta(days=3)
    assert disaster_alerts.remind_updates(db.session, day) == {"reminded": 0}
