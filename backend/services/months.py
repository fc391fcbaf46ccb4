"""Calendar months as `YYYY-MM` strings: what payments, entitlements and rolls count in.

Strings of this shape sort in time order, so SQL and Python may compare them directly.
"""

from __future__ import annotations

import re
from datetime import date

from backend.errors import ValidationFailed

MONTH_PATTERN = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    return date(int(month[:4]), int(month[5:]), 1)


def add(month: str, count: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when last < first)."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add(month, 1)
    return months


def parse(raw: object, field: str = "month") -> str:
    if not isinstance(raw, str) or not MONTH_PATTERN.fullmatch(raw):
        raise ValidationFailed.field(field, "月份格式应为 YYYY-MM")
    return raw
