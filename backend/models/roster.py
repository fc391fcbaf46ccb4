"""A county's hukou roster import (免申即享): the file, its progress and its bad rows."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class RosterImportStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RosterImport(db.Model):
    """Counters are committed with every chunk of rows, so a re-run after a killed
    worker resumes after `rows_done` and the progress a reader sees is the truth."""

    __tablename__ = "roster_import"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    # None: imported by an operator on the command line.
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    file_name: Mapped[str] = mapped_column(String(120))
    file_format: Mapped[str] = mapped_column(String(4))  # csv | xlsx
    storage_key: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    # The business date the import runs for: its month is the month people are enrolled.
    run_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=RosterImportStatus.PENDING)
    failure: Mapped[str | None] = mapped_column(String(200))
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    enrolled: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # {village region id: people enrolled there}, for one notice per village at the end.
    enrolled_by_village: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RosterImportError(db.Model):
    """One row of the file that was not imported, and why (row 1 is the header)."""

    __tablename__ = "roster_import_error"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("roster_import.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
