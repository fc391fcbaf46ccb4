"""The class of `db.session`: a plain Flask-SQLAlchemy session whose commit a caller
can hold back, so that work a view commits and what wraps the view (the
Idempotency-Key's stored answer) become durable together, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import Session

_HELD = "commit_held"


class AppSession(FlaskSession):
    def commit(self) -> None:
        if not self.info.get(_HELD):
            super().commit()
            return
        # Held: everything is written in the still-open transaction, and loaded
        # objects are refreshed from it as a commit would, so the answer is the same.
        self.flush()
        if self.expire_on_commit:
            self.expire_all()


@contextmanager
def commit_held(session: Session) -> Iterator[None]:
    """Within the block, `session.commit()` only flushes; the caller commits after."""
    session.info[_HELD] = True
    try:
        yield
    finally:
        session.info.pop(_HELD, None)
