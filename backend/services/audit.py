"""The audit log (等保, 网络安全法 six months): who did what to which record, from where,
with what result. Append-only and tamper-evident.

How to record something — one call, in the same transaction as the work itself:

    from backend.services import audit

    audit.record(
        session,
        actor,                      # the User acting, or None when anonymous
        "application.submit",       # "<object type>.<verb>", lowercase
        application,                # the row acted on (any model with an id), a
                                    # Target("endpoint", "auth.login"), or None
        result=AuditResult.SUCCESS, # DENIED for 403s, FAILED for refused attempts
        ip=request.remote_addr,     # taken in the API layer, passed down as text
        before="draft",             # status before and after, when the record has one
        after="submitted",
        subject_user_id=owner_id,   # the resident, when acting for or looking at them
        note="",                    # short free text; never a token or a full number
    )

The row is stored when the caller commits. To keep a failure on record (a refused
login), commit after `record` and before raising: the request's session is rolled
back on error. 403 answers are recorded by the API layer (`backend.api.audit`).

Every text is made safe before it is stored: control and line-break characters are
escaped (a name with CR/LF cannot forge a line), identity and phone numbers are
masked and anything shaped like a JWT is dropped.

Writers only insert. The job `audit.seal` (every minute) chains the new rows in id
order: each row's hash covers its content and the previous row's hash. `verify`
walks the chain; `prune` (a daily rule) removes the oldest sealed rows past the
retention period, after which the chain is verified from the first remaining row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from backend.extensions import Base
from backend.models import AuditLog, AuditResult, User
from backend.services import clock
from backend.services.crypto import mask_id_number, mask_phone

# Operators ship this logger off-host: one JSON line per sealed row, hash included.
shipping_log = logging.getLogger("backend.audit")

GENESIS_HASH = "0" * 64
SEAL_BATCH = 500

# Also inside longer runs of digits: better to mask too much than too little.
ID_NUMBER_TEXT = re.compile(r"[0-9]{17}[0-9Xx]")
PHONE_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# A JWT, or any piece of one: base64url JSON begins with eyJ ('{"').
TOKEN_TEXT = re.compile(r"eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,2}")
UNPRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

# What a row's hash covers, in this order. Changing it breaks every existing chain.
HASHED_FIELDS = (
    "id",
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "result",
    "ip",
    "before_status",
    "after_status",
    "subject_user_id",
    "note",
    "prev_hash",
)


@dataclass(frozen=True)
class Target:
    """What an action was about, when it is not a row: `Target("endpoint", "auth.login")`."""

    type: str
    id: str | None = None


@dataclass(frozen=True)
class Acting:
    """Who takes an action and from which address, as one value: what the log records
    of every act (None: the system, e.g. a daily rule)."""

    user: User | None
    ip: str | None = None


def record_act(
    session: Session, by: Acting, action: str, target: Base | Target | None, **details: Any
) -> AuditLog:
    """`record` for an act of `by`."""
    return record(session, by.user, action, target, ip=by.ip, **details)


def record(
    session: Session,
    actor: User | None,
    action: str,
    target: Base | Target | None,
    *,
    result: AuditResult = AuditResult.SUCCESS,
    ip: str | None = None,
    before: str | None = None,
    after: str | None = None,
    subject_user_id: int | None = None,
    note: str = "",
) -> AuditLog:
    """Add one audit row to the caller's transaction (see the module docstring)."""
    target = _as_target(target)
    row = AuditLog(
        at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_role=actor.role if actor else None,
        action=safe_text(action, 40),
        object_type=_optional_text(target and target.type, 40),
        object_id=_optional_text(target and target.id, 64),
        result=AuditResult(result),
        ip=_optional_text(ip, 45),
        before_status=_optional_text(before, 30),
        after_status=_optional_text(after, 30),
        subject_user_id=subject_user_id,
        note=safe_text(note, 200),
    )
    session.add(row)
    return row


def _as_target(target: Base | Target | None) -> Target | None:
    if target is None or isinstance(target, Target):
        return target
    if target.id is None:
        raise ValueError("flush a new row before recording an action on it")
    return Target(target.__tablename__, str(target.id))


def _optional_text(value: str | None, limit: int) -> str | None:
    return None if value is None else safe_text(value, limit)


def safe_text(value: str, limit: int) -> str:
    """One line of printable text with personal numbers masked and tokens removed."""
    text = TOKEN_TEXT.sub("[令牌已隐去]", value)
    text = ID_NUMBER_TEXT.sub(lambda m: mask_id_number(m.group().upper()), text)
    text = PHONE_TEXT.sub(lambda m: mask_phone(m.group()), text)
    text = "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in UNPRINTABLE else ch for ch in text
    )
    return text[:limit]


def chain_hash(row: Any) -> str:
    """SHA-256 over the row's content and the previous row's hash (`row.prev_hash`)."""
    values = [_canonical(getattr(row, name)) for name in HASHED_FIELDS]
    payload = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def seal(session: Session, limit: int = SEAL_BATCH) -> list[AuditLog]:
    """Chain up to `limit` unsealed rows, in id order, after the last sealed one.

    The chain order is `seq`, given here, not the id: a row whose transaction
    commits late is sealed later rather than left out. Two sealers racing both
    claim the same `seq`, which is unique; the loser fails and retries.
    """
    head = session.execute(
        select(AuditLog.seq, AuditLog.row_hash)
        .where(AuditLog.seq.is_not(None))
        .order_by(AuditLog.seq.desc())
        .limit(1)
    ).first()
    seq, previous = (head.seq, head.row_hash) if head else (0, GENESIS_HASH)
    rows = session.scalars(
        select(AuditLog).where(AuditLog.seq.is_(None)).order_by(AuditLog.id).limit(limit)
    ).all()
    for row in rows:
        seq += 1
        row.seq, row.prev_hash = seq, previous
        row.row_hash = previous = chain_hash(row)
    session.flush()
    return list(rows)


def shipping_lines(rows: Iterable[AuditLog]) -> list[str]:
    """One JSON line per sealed row, hash included (read them before a commit expires them)."""
    return [
        json.dumps(
            {name: _canonical(getattr(row, name)) for name in (*HASHED_FIELDS, "row_hash")},
            ensure_ascii=False,
            sort_keys=True,
        )
        for row in rows
    ]


def ship(lines: Iterable[str]) -> None:
    """Write sealed rows' lines to the shipping log, once they are committed."""
    for line in lines:
        shipping_log.info(line)


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    result: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive


def search(filters: AuditFilter) -> Select:
    """The rows matching `filters` (paged by the caller, newest first)."""
    query = select(AuditLog)
    for column, value in (
        (AuditLog.actor_id, filters.actor_id),
        (AuditLog.action, filters.action),
        (AuditLog.object_type, filters.object_type),
        (AuditLog.object_id, filters.object_id),
        (AuditLog.result, filters.result),
    ):
        if value is not None:
            query = query.where(column == value)
    if filters.since is not None:
        query = query.where(AuditLog.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditLog.at < filters.until)
    return query


@dataclass(frozen=True)
class ChainReport:
    valid: bool
    checked: int  # sealed rows walked
    unsealed: int  # rows written since the last sealing run
    first_id: int | None = None
    last_id: int | None = None
    head_hash: str | None = None  # the newest row's hash: note it off-host to pin the chain
    broken_id: int | None = None
    reason: str | None = None


def verify(session: Session) -> ChainReport:
    """Walk the chain in `seq` order; name the first row that was edited or follows a gap.

    After pruning, the first remaining row's `prev_hash` is taken as the anchor.
    """
    unsealed = session.scalar(select(func.count()).where(AuditLog.seq.is_(None)))
    columns = [getattr(AuditLog, name) for name in (*HASHED_FIELDS, "row_hash")]
    rows = session.execute(
        select(*columns)
        .where(AuditLog.seq.is_not(None))
        .order_by(AuditLog.seq)
        .execution_options(yield_per=1000)
    )
    checked, first, previous = 0, None, None
    for row in rows:
        reason = _break_in(row, previous)
        if reason:
            return ChainReport(
                valid=False,
                checked=checked,
                unsealed=unsealed,
                first_id=first.id if first else row.id,
                last_id=previous.id if previous else None,
                broken_id=row.id,
                reason=reason,
            )
        checked += 1
        first, previous = first or row, row
    return ChainReport(
        valid=True,
        checked=checked,
        unsealed=unsealed,
        first_id=first.id if first else None,
        last_id=previous.id if previous else None,
        head_hash=previous.row_hash if previous else None,
    )


def _break_in(row: Any, previous: Any | None) -> str | None:
    if previous is None:
        if row.seq == 1 and row.prev_hash != GENESIS_HASH:
            return "首条记录的前序哈希无效"
    elif row.seq != previous.seq + 1:
        return "此前有记录被删除"
    elif row.prev_hash != previous.row_hash:
        return "前序哈希不符"
    if row.row_hash != chain_hash(row):
        return "记录内容被修改"
    return None


def prune(session: Session, day: date, keep_days: int | None = None) -> dict[str, Any]:
    """Daily rule: delete the sealed rows older than the retention period.

    Only a prefix of the chain goes (rows up to the first one still young), and
    never the newest sealed row, so what remains verifies from its first row and
    new rows keep chaining after it. The pruning itself is recorded.
    """
    if keep_days is None:
        keep_days = current_app.config["AUDIT_RETENTION_DAYS"]
    day_start = datetime.combine(day, time(), tzinfo=clock.SHANGHAI)
    cutoff = min(day_start, clock.now()) - timedelta(days=keep_days)
    sealed = AuditLog.seq.is_not(None)
    head = session.scalar(select(func.max(AuditLog.seq)).where(sealed))
    if head is None:
        return {"deleted": 0}
    first_young = session.scalar(
        select(func.min(AuditLog.seq)).where(sealed, AuditLog.at >= cutoff)
    )
    last_old = min(head, first_young or head + 1) - 1
    deleted = session.execute(
        delete(AuditLog)
        .where(AuditLog.seq <= last_old)
        .execution_options(synchronize_session=False)
    ).rowcount
    if deleted:
        record(
            session,
            None,
            "audit.prune",
            Target("audit_log", str(last_old)),
            note=f"保留{keep_days}天,删除{deleted}条(序号至{last_old})",
        )
    return {"deleted": deleted, "through_seq": last_old if deleted else None}
