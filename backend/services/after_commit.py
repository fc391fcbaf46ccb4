"""Work that must wait for the commit of the transaction that asks for it, such as
queueing an RQ job that will read the rows just written.

It runs once the outermost transaction commits (releasing a savepoint is not yet a
commit) and is dropped with a rollback. A rolled-back savepoint drops only what was
asked for inside it: one refused case in a batch keeps the others' notices on time.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_WORK = "after_commit"
_SAVEPOINTS = "after_commit_savepoints"  # open savepoint → how much work came before it


def call(session: Session, function: Callable[..., object], *args: object) -> None:
    """Call `function(*args)` once the session's transaction has committed."""
    session.info.setdefault(_WORK, []).append((function, args))


@event.listens_for(Session, "after_transaction_create")
def _note_savepoint(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested:
        asked = len(session.info.get(_WORK, []))
        session.info.setdefault(_SAVEPOINTS, {})[id(transaction)] = asked


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    if session.in_nested_transaction():
        return
    for function, args in session.info.pop(_WORK, []):
        function(*args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_savepoint_work(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        asked = session.info.get(_SAVEPOINTS, {}).pop(id(previous_transaction), None)
        if asked is not None:
            del session.info.get(_WORK, [])[asked:]


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended: committed work has run; a rollback or a close
    leaves none for the session's next transaction."""
    if transaction.parent is None:
        session.info.pop(_WORK, None)
        session.info.pop(_SAVEPOINTS, None)
