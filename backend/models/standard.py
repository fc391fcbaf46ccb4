"""Dated county settings for benefit amounts: dibao standards and elderly bands."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId

Money = Numeric(12, 2)


class AreaType(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class StandardUnit(StrEnum):
    MONTHLY = "month"
    YEARLY = "year"


class DibaoStandard(db.Model):
    """低保标准: in force from `effective_from` until a later row for the same area."""

    __tablename__ = "dibao_standard"
    __table_args__ = (UniqueConstraint("county_id", "area_type", "effective_from"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    area_type: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(10))
    effective_from: Mapped[date] = mapped_column(Date)


class ElderlyBand(db.Model):
    """高龄津贴 band: ages [min_age, max_age] (max None = no upper bound)."""

    __tablename__ = "elderly_band"
    __table_args__ = (UniqueConstraint("county_id", "min_age", "effective_from"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    min_age: Mapped[int] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    effective_from: Mapped[date] = mapped_column(Date)
