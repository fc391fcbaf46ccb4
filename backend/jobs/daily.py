"""The daily task: every date-driven rule, for one Shanghai business date."""

from __future__ import annotations

from datetime import date

from backend.extensions import db
from backend.jobs.context import app_job
from backend.services import clock, daily


@app_job
def tick(day: str | None = None) -> dict:
    result = daily.run_daily(db.session, date.fromisoformat(day) if day else clock.today())
    db.session.commit()
    return result
