"""Idempotency-Key (IETF draft): a retried creating request gets the first answer again.

Village agents on weak networks send a request, lose the answer and send it again.
The first request claims `(scope, key)` with an insert, in the transaction of its own
work, and stores its answer in the same transaction: both are committed together or
not at all. A retry with the same body gets the stored answer, one with another body
a 422. A retry arriving while the first still runs waits on the first's uncommitted
row (the unique index on PostgreSQL, the write lock on SQLite), then finds the
answer, or, if the first failed, claims the key itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.errors import Conflict, ValidationFailed
from backend.models import IdempotencyKey, IdempotencyState
from backend.services import clock

HEADER = "Idempotency-Key"
ANONYMOUS = "anonymous"
KEEP = timedelta(hours=24)
CLAIM_ATTEMPTS = 3
DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Replay:
    """The stored answer to give again."""

    status: int
    body: str


def scope_of(user_id: int | None) -> str:
    return f"user:{user_id}" if user_id is not None else ANONYMOUS


def claim(session: Session, scope: str, key: str, request_hash: str) -> Replay | None:
    """Claim `key` for this request: None means go ahead, and commit the work with
    `complete` in the same transaction.

    Raises 422 when the key came with another request; 409 only for a claim committed
    without its answer, which this module never leaves.
    """
    for _ in range(CLAIM_ATTEMPTS):
        if _insert_claim(session, scope, key, request_hash):
            return None
        existing = session.scalar(
            select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        )
        if existing is None:
            continue  # its first request failed and released it in between
        if existing.request_hash != request_hash:
            raise ValidationFailed.field(HEADER, "该 Idempotency-Key 已用于另一个不同的请求")
        if existing.state == IdempotencyState.DONE:
            return Replay(existing.response_code, existing.response_body)
        break
    raise Conflict("相同的请求正在处理中,请稍后再试")


def _insert_claim(session: Session, scope: str, key: str, request_hash: str) -> bool:
    insert = DIALECT_INSERTS[session.get_bind().dialect.name]
    statement = (
        insert(IdempotencyKey)
        .values(
            scope=scope,
            key=key,
            request_hash=request_hash,
            state=IdempotencyState.IN_PROGRESS,
            created_at=clock.now(),
        )
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(IdempotencyKey.id)  # a row only when inserted; rowcount is unreliable here
    )
    return session.execute(statement).first() is not None


def complete(session: Session, scope: str, key: str, status: int, body: str) -> None:
    """Store the answer of the claimed request, for its retries."""
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        .values(state=IdempotencyState.DONE, response_code=status, response_body=body)
    )


def purge_expired(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: forget keys more than a day old (each is kept 24 to 48 hours)."""
    day_start = datetime.combine(day, time(), tzinfo=clock.SHANGHAI)
    cutoff = min(day_start, clock.now()) - KEEP
    deleted = session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
    ).rowcount
    return {"deleted": deleted}
