"""Keyset pagination: `{"items": [...], "next_cursor": "…" | null}`, stable under inserts."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, tuple_
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


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed.field("cursor", "分页游标无效") from None
    if not isinstance(values, list) or len(values) != width:
        raise ValidationFailed.field("cursor", "分页游标无效")
    return values


def _coerce(column, value: Any) -> Any:
    kind = column.type.python_type
    try:
        if kind in (date, datetime):
            return kind.fromisoformat(value)
        return kind(value)
    except (TypeError, ValueError, ArithmeticError):
        raise ValidationFailed.field("cursor", "分页游标无效") from None


def paginate(
    session: Session, query: Select, order: Sequence, args: dict, *, descending: bool = False
) -> dict[str, Any]:
    """Page `query` ordered by the columns in `order` (the last one unique, e.g. id)."""
    limit, cursor = args["limit"], args.get("cursor")
    if cursor:
        after = decode_cursor(cursor, len(order))
        key = tuple_(*order)
        values = tuple_(*[_coerce(col, v) for col, v in zip(order, after, strict=True)])
        query = query.where(key < values if descending else key > values)
    query = query.order_by(*[col.desc() if descending else col.asc() for col in order])
    rows = list(session.scalars(query.limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor([getattr(last, col.key) for col in order])
    return {"items": rows, "next_cursor": next_cursor}


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The response schema of a list of `item_schema`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "next_cursor": fields.String(allow_none=True),
        },
        name=f"{item_schema.__name__.removesuffix('Schema')}PageSchema",
    )
