"""高龄津贴 jobs: the hukou roster import (免申即享)."""

from __future__ import annotations

from backend.extensions import db
from backend.jobs.attachments import is_last_try
from backend.jobs.context import app_job
from backend.services import elderly_roster
from backend.services.storage import storage


@app_job
def import_roster(import_id: int) -> dict | None:
    try:
        roster = elderly_roster.run(db.session, import_id, storage(), db.session.commit)
    except Exception as error:
        db.session.rollback()
        if is_last_try():
            elderly_roster.fail(db.session, import_id, f"导入中断:{type(error).__name__}")
            db.session.commit()
        raise
    return None if roster is None else {"enrolled": roster.enrolled, "skipped": roster.skipped}
