"""Marriage-appointment jobs: thin, they call the services and commit."""

from __future__ import annotations

from backend.extensions import db
from backend.jobs.context import app_job
from backend.services import clock
from backend.services.marriage import reminders, waitlist


@app_job
def expire_waitlist_offers() -> list[int]:
    """Pass on held places whose offer ran out (every minute, from rq cron)."""
    expired = waitlist.expire_offers(db.session, clock.now())
    db.session.commit()
    return expired


@app_job
def remind(appointment_id: int) -> int:
    """The day-before reminder of one appointment."""
    told = reminders.send(db.session, appointment_id, clock.now())
    db.session.commit()
    return told


@app_job
def sweep_reminders() -> list[int]:
    """Queue the due reminders Redis lost (every 15 minutes, from rq cron)."""
    return reminders.sweep(db.session, clock.now())
