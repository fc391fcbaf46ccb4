"""Field types of disaster reporting: whole counts, two-place measures, coordinates.

Each refuses what a phone or an integration may send by mistake with the field
named: strings for counts, fractions of people, negatives, 1e30, "NaN".
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields

MAX_COUNT = 100_000_000
MAX_MEASURE = Decimal("999999999999.99")


def _number_text(value, kind: str) -> str:
    """The value as text, refusing booleans, non-numbers, NaN and infinities."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(f"{kind}应为数字")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(f"{kind}应为数字")
        return repr(value)
    return str(value).strip()


class Count(fields.Field):
    """People, households, rooms: a JSON whole number from 0."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and math.isfinite(value):
            if value != int(value):
                raise ValidationError("应为整数,不能有小数")
            if abs(value) <= MAX_COUNT:
                value = int(value)  # 12.0 is twelve people
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("应为整数")
        if value < 0:
            raise ValidationError("不能为负数")
        if value > MAX_COUNT:
            raise ValidationError(f"不能大于 {MAX_COUNT}")
        return value


class Measure(fields.Field):
    """Hectares or 10,000 yuan: a number or numeric string, from 0, two places at most;
    written back as a string with two places ("12.50")."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"

    def _deserialize(self, value, attr, data, **kwargs):
        text = _number_text(value, "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError("应为数字") from None
        if not number.is_finite():
            raise ValidationError("应为数字")
        if number < 0:
            raise ValidationError("不能为负数")
        if number > MAX_MEASURE:
            raise ValidationError("数值过大")
        if number != number.quantize(Decimal("0.01")):
            raise ValidationError("最多两位小数")
        return number.quantize(Decimal("0.01"))


class Coordinate(fields.Field):
    """A latitude or longitude in degrees (number or numeric string), six places kept."""

    def __init__(self, limit: int, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)

    def _deserialize(self, value, attr, data, **kwargs):
        text = _number_text(value, "坐标")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError("坐标应为数字") from None
        if not number.is_finite() or not -self.limit <= number <= self.limit:
            raise ValidationError(f"坐标应在 -{self.limit} 到 {self.limit} 之间")
        return number.quantize(Decimal("0.000001"))
