"""How many files one case may hold (`ATTACHMENT_MAX_PER_APPLICATION`, history
included), held by the database: a count then an insert let 45 concurrent uploads
store 31 files under a limit of 30. One conditional UPDATE takes a place or does not,
whatever runs at the same time (the pattern of `marriage.slots.take_place`)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.errors import ValidationFailed
from backend.models import Application


def take(session: Session, application_id: int) -> None:
    """Count one more file for the case, or raise ValidationFailed naming `file`."""
    limit = current_app.config["ATTACHMENT_MAX_PER_APPLICATION"]
    result = session.execute(
        update(Application)
        .where(Application.id == application_id, Application.attachment_count < limit)
        .values(attachment_count=Application.attachment_count + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ValidationFailed.field("file", f"每个申请最多上传 {limit} 个文件")
