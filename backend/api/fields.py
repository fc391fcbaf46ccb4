"""Field types that refuse what marshmallow's defaults let through.

marshmallow's `Integer()` accepts "１２" (fullwidth) and truncates 1.5; money must be
exact Decimal with at most two places, written with ASCII digits.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum

from marshmallow import Schema, ValidationError, fields, validate

from backend.errors import ValidationFailed

MONEY_PATTERN = re.compile(r"-?[0-9]{1,10}(\.[0-9]{1,2})?")


INTEGER_TEXT = re.compile(r"-?[0-9]{1,18}")

# 12-digit 统计用区划代码, ASCII digits only.
REGION_CODE = validate.Regexp(r"^[0-9]{12}$", error="区划代码应为12位数字")


class StrictInteger(fields.Integer):
    """JSON integers, or ASCII digit strings (query strings are text); nothing else."""

    def _validated(self, value):
        if isinstance(value, str):
            if not INTEGER_TEXT.fullmatch(value):
                raise self.make_error("invalid")
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


class Money(fields.Field):
    """Yuan as a string with two decimals ("528.00"); accepts "528", "528.5" or 528."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return f"{Decimal(value).quantize(Decimal('0.01'))}"

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError('金额应为数字字符串,如 "528.00"')
        text = str(value).strip()
        if not MONEY_PATTERN.fullmatch(text):
            raise ValidationError("金额格式无效,最多两位小数")
        try:
            return Decimal(text).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError("金额格式无效") from None


class Text(fields.String):
    """A trimmed string."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDate(fields.Date):
    """Exactly YYYY-MM-DD: Python's fromisoformat also takes "20270220" and week dates."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not DATE_TEXT.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


# The days a county office plans around (office days, slots, schedules, ballots):
# years its calendar knows, far from date's edges (a slot on 9999-12-31 has no next day).
EARLIEST_PLAN_DAY, LATEST_PLAN_DAY = date(2000, 1, 1), date(2099, 12, 31)
PLAN_DAY_RANGE = validate.Range(
    EARLIEST_PLAN_DAY, LATEST_PLAN_DAY, error="日期应在 2000-01-01 到 2099-12-31 之间"
)


def plan_day(**kwargs) -> IsoDate:
    """A strict YYYY-MM-DD within the planning years."""
    return IsoDate(validate=PLAN_DAY_RANGE, **kwargs)


def parse_plan_day(text: str, field: str = "date") -> date:
    """The same rule for a date in a path."""
    try:
        return plan_day().deserialize(text)
    except ValidationError:
        raise ValidationFailed.field(
            field, "日期格式应为 YYYY-MM-DD,且在 2000-01-01 到 2099-12-31 之间"
        ) from None


RATIO_TEXT = re.compile(r"[0-9](\.[0-9]{1,3})?")


class Ratio(fields.Field):
    """A share such as 0.1 or "0.15" (at most three places, ASCII digits) as Decimal."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value).normalize():f}"

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("比例应为数字,如 0.1")
        text = str(value).strip()
        if not RATIO_TEXT.fullmatch(text):
            raise ValidationError("比例应为 0 到 1 之间、最多三位小数的数字")
        return Decimal(text)


def one_of(choices: type[Enum]) -> validate.OneOf:
    """A validator accepting the values of a StrEnum, exactly as stored."""
    return validate.OneOf([choice.value for choice in choices])


def multipart_body(schema: type[Schema]) -> dict:
    """`@blp.doc(**multipart_body(Schema))`: the OpenAPI request body of a view that
    reads its files (and form) with `location="files"`/`"form"`, which flask-smorest
    leaves out of the document."""
    return {
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    }
