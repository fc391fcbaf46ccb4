"""灾情报告's periodic job: county staff told of initial reports gone past due."""

from __future__ import annotations

from backend.extensions import db
from backend.jobs.context import app_job
from backend.services import disaster_alerts


@app_job
def notify_overdue() -> list[int]:
    told = disaster_alerts.notify_overdue(db.session)
    db.session.commit()
    return told
