"""When reports are due: the initial report (初报) hours after the disaster began,
updates (续报) by a morning hour every day while the event is open (every ten days
for drought), the final report (核报) working days after it closes. Who is told is
`disaster_alerts`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy.orm import Session

from backend.models.disaster import DisasterEvent, DisasterType, EventStatus
from backend.services import clock, workdays

if TYPE_CHECKING:
    from backend.services.disaster_rollup import Standing


def township_initial_due(event: DisasterEvent) -> datetime:
    """A township's initial report to the county."""
    return event.started_at + timedelta(hours=current_app.config["DISASTER_TOWNSHIP_INITIAL_HOURS"])


def county_initial_due(event: DisasterEvent) -> datetime:
    """The county's initial report upwards: every affected township in by then."""
    return event.started_at + timedelta(hours=current_app.config["DISASTER_INITIAL_HOURS"])


def update_interval_days(event: DisasterEvent) -> int:
    if event.type == DisasterType.DROUGHT:
        return current_app.config["DISASTER_DROUGHT_UPDATE_DAYS"]
    return 1


def update_due_times(event: DisasterEvent, until: datetime) -> list[datetime]:
    """Every update deadline up to `until`: the update hour (Shanghai) of the day one
    interval after the disaster began, and every interval after, while it is open."""
    if event.status == EventStatus.CLOSED:
        until = min(until, event.closed_at)
    hour = time(current_app.config["DISASTER_UPDATE_HOUR"], tzinfo=clock.SHANGHAI)
    step = timedelta(days=update_interval_days(event))
    day = clock.shanghai_date(event.started_at) + step
    due_times = []
    while (due := datetime.combine(day, hour)) <= until:
        due_times.append(due)
        day += step
    return due_times


def last_update_due(event: DisasterEvent, now: datetime) -> datetime | None:
    due_times = update_due_times(event, now)
    return due_times[-1] if due_times else None


def next_update_due(event: DisasterEvent, now: datetime) -> datetime | None:
    if event.status == EventStatus.CLOSED:
        return None
    later = update_due_times(event, now + timedelta(days=update_interval_days(event)))
    upcoming = [due for due in later if due > now]
    return upcoming[0] if upcoming else None


def initial_overdue(event: DisasterEvent, standing: Standing, now: datetime) -> bool:
    return standing.initial_at is None and now > township_initial_due(event)


def update_overdue(event: DisasterEvent, standing: Standing, last_due: datetime | None) -> bool:
    """Reported before, not final, and nothing sent in the window of the last update
    deadline passed (`last_update_due`: the interval before it)."""
    if last_due is None or standing.initial_at is None or standing.final:
        return False
    window_start = last_due - timedelta(days=update_interval_days(event))
    return standing.last_submitted_at <= window_start


def final_due_on(session: Session, event: DisasterEvent) -> date | None:
    """核报: within the county's working days of the event's close."""
    if event.closed_at is None:
        return None
    calendar = workdays.load_calendar(session)
    return calendar.add_working_days(
        clock.shanghai_date(event.closed_at), current_app.config["DISASTER_FINAL_WORKDAYS"]
    )
