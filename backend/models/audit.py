"""The audit log: append-only rows, chained by hash once a sealing job has seen them.

Writers only ever insert (no lock, no read of the previous row), so auditing never
serialises the requests it records. The sealing job later gives each row its place
in the chain (`seq`), the previous row's hash and its own.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow


class AuditResult(StrEnum):
    SUCCESS = "success"
    DENIED = "denied"  # authenticated, but not allowed (403)
    FAILED = "failed"  # tried and refused: a wrong password, an expired code


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # Plain ids, no foreign keys: the log outlives the accounts and records it names.
    actor_id: Mapped[int | None] = mapped_column(BigId, index=True)
    actor_role: Mapped[str | None] = mapped_column(String(20))  # None: anonymous
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str] = mapped_column(String(10))
    ip: Mapped[str | None] = mapped_column(String(45))
    before_status: Mapped[str | None] = mapped_column(String(30))
    after_status: Mapped[str | None] = mapped_column(String(30))
    # The resident an agent or a member of staff acted for or looked at.
    subject_user_id: Mapped[int | None] = mapped_column(BigId, index=True)
    note: Mapped[str] = mapped_column(String(200), default="")

    # The chain, written once by the sealing job. `active_history` loads the old value
    # before a write, so that rewriting a sealed row is seen even on an expired object.
    seq: Mapped[int | None] = mapped_column(BigId, unique=True, active_history=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), active_history=True)
    row_hash: Mapped[str | None] = mapped_column(String(64), active_history=True)

    @property
    def sealed(self) -> bool:
        return self.seq is not None

    def __repr__(self) -> str:
        return f"<AuditLog {self.id} {self.action} {self.result}>"


CHAIN_COLUMNS = frozenset({"seq", "prev_hash", "row_hash"})


class AppendOnlyViolation(RuntimeError):
    """Code tried to rewrite or delete an audit row through the ORM."""


@event.listens_for(AuditLog, "before_update")
def _only_sealing_once(_mapper, _connection, row: AuditLog) -> None:
    for attribute in inspect(row).attrs:
        history = attribute.load_history()
        if not history.has_changes():
            continue
        rewrites_chain = any(value is not None for value in history.deleted)
        if attribute.key not in CHAIN_COLUMNS or rewrites_chain:
            raise AppendOnlyViolation(f"audit rows are append-only ({attribute.key})")


@event.listens_for(AuditLog, "before_delete")
def _no_deletes(_mapper, _connection, row: AuditLog) -> None:
    raise AppendOnlyViolation("audit rows are removed only by the retention rule")
