"""生存认证 jobs: a selfie checked by the attachments pipeline."""

from __future__ import annotations

from flask import current_app

from backend.extensions import db
from backend.jobs.context import app_job
from backend.services import clock, liveness
from backend.services.attachment_pipeline import Limits
from backend.services.storage import storage


@app_job
def check_selfie(check_id: int) -> str | None:
    limits = Limits.from_config(current_app.config)
    check = liveness.check_selfie(db.session, check_id, storage(), limits, clock.today())
    db.session.commit()
    return None if check is None else check.status
