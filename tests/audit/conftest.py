"""Helpers for the audit tests: seal what was written, read what was recorded."""

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditLog
from backend.services import audit

# Cases are opened through the API with the applications' fixtures.


@pytest.fixture
def seal_all(app):
    """Run the sealing job's work in this process, as the job does: batch by batch."""

    def seal_all() -> list[AuditLog]:
        sealed = []
        while rows := audit.seal(db.session, limit=3):
            db.session.commit()
            sealed += rows
        return sealed

    return seal_all


@pytest.fixture
def audit_rows(app):
    def audit_rows(**where) -> list[AuditLog]:
        db.session.expire_all()
        query = select(AuditLog).filter_by(**where).order_by(AuditLog.id)
        return list(db.session.scalars(query))

    return audit_rows
