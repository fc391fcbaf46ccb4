"""Sending notifications through outside channels, and sweeping for lost sends."""

from __future__ import annotations

from backend.extensions import db
from backend.jobs.attachments import is_last_try
from backend.jobs.context import app_job
from backend.services import notifications


@app_job
def deliver(delivery_id: int) -> str | None:
    try:
        delivery = notifications.deliver(db.session, delivery_id)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if is_last_try():
            notifications.give_up(db.session, delivery_id, error)
            db.session.commit()
        raise
    return delivery.status if delivery else None


@app_job
def sweep() -> list[int]:
    requeued = notifications.sweep(db.session)
    db.session.commit()
    return requeued
