"""Sealing the audit log: chain the rows written since the last run (every minute)."""

from __future__ import annotations

from backend.extensions import db
from backend.jobs.context import app_job
from backend.services import audit


@app_job
def seal() -> int:
    """Seal in batches, one transaction each; ship a batch once it is committed."""
    sealed = 0
    while rows := audit.seal(db.session):
        lines = audit.shipping_lines(rows)
        db.session.commit()
        audit.ship(lines)
        sealed += len(rows)
    return sealed
