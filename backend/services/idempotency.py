"""Idempotency-Key (IETF draft): a retried creating request gets the first answer again.

Village agents on weak networks send a request, lose the answer and send it again.
The first request claims `(scope, key)` with an insert that conflicts instead of
waiting on a lock; a retry with the same body then gets the stored answer, one with
another body a 422, and one arriving while the first still runs a 409.

The key's own bookkeeping (claim, answer, release) does not wait for the disk on
PostgreSQL: the request's work commits durably after the claim, and the log is
written in order, so a durable piece of work always carries its claim with it. A
crash can lose at most a stored answer, and a retry then gets 409, never a second
record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, select, text, update
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
    """Claim `key` for this request: None means go ahead, once the caller has committed
    the claim (commit at once, so that concurrent retries see it and stop).

    Raises 422 when the key came with another request, 409 while its first request
    is still running.
    """
    _bookkeeping(session)
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
    _bookkeeping(session)
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
        .values(state=IdempotencyState.DONE, response_code=status, response_body=body)
    )


def release(session: Session, scope: str, key: str) -> None:
    """Forget a claim whose request failed, so that a retry can succeed."""
    _bookkeeping(session)
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.scope == scope,
            IdempotencyKey.key == key,
            IdempotencyKey.state == IdempotencyState.IN_PROGRESS,
        )
    )


def _bookkeeping(session: Session) -> None:
    """This transaction's commit need not wait for the disk (see the module's notes)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))


def purge_expired(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: forget keys more than a day old (each is kept 24 to 48 hours).

    A key whose request crashed between its work and storing the answer stays in
    progress until then: its retries get 409, never a second record.
    """
    day_start = datetime.combine(day, time(), tzinfo=clock.SHANGHAI)
    cutoff = min(day_start, clock.now()) - KEEP
    deleted = session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
    ).rowcount
    return {"deleted": deleted}
