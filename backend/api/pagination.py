"""Keyset pagination: `{"items": [...], "next_cursor": "…" | null}`, stable under inserts."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import ColumnElement, Select, tuple_
from sqlalchemy.orm import Session

from backend.api.fields import StrictInteger
from backend.errors import ValidationFailed

DEFAULT_LIMIT, MAX_LIMIT = 20, 100


class PageArgsSchema(Schema):
    limit = StrictInteger(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(
        [
            v.isoformat() if isinstance(v, date) else v if isinstance(v, int) else str(v)
            for v in values
        ]
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    if not isinstance(values, list):
        raise _bad_cursor()
    return values


def _bad_cursor() -> ValidationFailed:
    return ValidationFailed.field("cursor", "分页游标无效")


BIGGEST_ID = 2**63 - 1  # what a database integer holds: beyond it a driver raises


def _coerce(column, value: Any) -> Any:
    kind = column.type.python_type
    try:
        if kind in (date, datetime):
            return kind.fromisoformat(value)
        coerced = kind(value)
    except (TypeError, ValueError, ArithmeticError):
        raise _bad_cursor() from None
    if kind is int and not -BIGGEST_ID <= coerced <= BIGGEST_ID:
        raise _bad_cursor()
    return coerced


def _after(query: Select, order: Sequence, after: Sequence[Any], descending: bool) -> Select:
    """The rows of `query` past the cursor's position, in its order."""
    if len(after) != len(order):
        raise _bad_cursor()
    key = tuple_(*order)
    values = tuple_(*[_coerce(col, v) for col, v in zip(order, after, strict=True)])
    return query.where(key < values if descending else key > values)


def _ordered(query: Select, order: Sequence, descending: bool) -> Select:
    return query.order_by(*[col.desc() if descending else col.asc() for col in order])


def paginate(
    session: Session, query: Select, order: Sequence, args: dict, *, descending: bool = False
) -> dict[str, Any]:
    """Page `query` (of ORM objects) ordered by the columns in `order` (the last one
    unique, e.g. id)."""
    return _paginate(session.scalars, query, [(None, order, descending)], args)


# One part of a list in an order of its own: (which rows, ordered by, descending?).
Part = tuple[ColumnElement[bool] | None, Sequence, bool]


def paginate_in_parts(
    session: Session, query: Select, parts: Sequence[Part], args: dict
) -> dict[str, Any]:
    """Page the rows of `query` (plain columns, the parts' order among them) through
    `parts` one after another, each keyset-ordered by its own columns (the last one
    unique); the cursor names the part a page stopped in.

    A page that crosses from one part into the next costs one more query; every other
    page is one keyset read, as with `paginate`.
    """
    return _paginate(session.execute, query, parts, args)


def _paginate(
    fetch: Callable[[Select], Any], query: Select, parts: Sequence[Part], args: dict
) -> dict[str, Any]:
    limit = args["limit"]
    start, after = _position(args.get("cursor"), len(parts))
    rows: list[tuple[int, Any]] = []
    for number in range(start, len(parts)):
        where, order, descending = parts[number]
        part = query if where is None else query.where(where)
        if number == start and after is not None:
            part = _after(part, order, after, descending)
        wanted = limit + 1 - len(rows)
        rows += [(number, row) for row in fetch(_ordered(part, order, descending).limit(wanted))]
        if len(rows) > limit:
            break
    if len(rows) <= limit:
        return {"items": [row for _, row in rows], "next_cursor": None}
    rows = rows[:limit]
    number, last = rows[-1]
    position = [getattr(last, col.key) for col in parts[number][1]]
    # A list of one part need not say which part a page stopped in.
    values = position if len(parts) == 1 else [number, *position]
    return {"items": [row for _, row in rows], "next_cursor": encode_cursor(values)}


def _position(cursor: str | None, parts: int) -> tuple[int, list[Any] | None]:
    """(the part a page starts in, the keyset values it starts after)."""
    if not cursor:
        return 0, None
    values = decode_cursor(cursor)
    if parts == 1:
        return 0, values
    if not values or type(values[0]) is not int or not 0 <= values[0] < parts:
        raise _bad_cursor()
    return values[0], values[1:]


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The response schema of a list of `item_schema`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
    )
