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
    told = reminders.send(db.session, appointment_id)
    db.session.commit()
    return told
