"""Counting the SQL statements a request sends, for the tests that pin them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from backend.extensions import db


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """The statements sent through the app's engine while the block runs."""
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
