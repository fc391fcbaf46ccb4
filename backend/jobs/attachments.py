"""The review pipeline's jobs: process one upload, and sweep for lost ones."""

from __future__ import annotations

from flask import current_app
from rq import get_current_job

from backend.extensions import db
from backend.jobs.context import app_job
from backend.models import Attachment
from backend.services import attachment_pipeline
from backend.services.storage import storage


def is_last_try() -> bool:
    """Whether RQ will not run this job again if it fails now: the failed state is
    written only then (docs/reliability.md)."""
    job = get_current_job()
    return job is None or not job.retries_left


@app_job
def process(attachment_id: int) -> str | None:
    config = current_app.config
    attachment = attachment_pipeline.begin(
        db.session, attachment_id, config["ATTACHMENT_MAX_ATTEMPTS"]
    )
    db.session.commit()  # the claim and its attempt count outlive a killed worker
    if attachment is None:
        return None
    try:
        limits = attachment_pipeline.Limits.from_config(config)
        attachment_pipeline.finish(db.session, attachment, storage(), limits)
        db.session.commit()
    except Exception:
        db.session.rollback()
        if is_last_try():
            attachment_pipeline.give_up(db.session, db.session.get(Attachment, attachment_id))
            db.session.commit()
        raise
    return attachment.status


@app_job
def sweep() -> list[int]:
    requeued = attachment_pipeline.sweep(db.session)
    db.session.commit()
    return requeued
