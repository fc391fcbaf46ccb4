"""The common household of a 低保 application (按户施保): every member, their income."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId
from backend.models.standard import Money


class Relation(StrEnum):
    SELF = "self"  # the applicant
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    GRANDCHILD = "grandchild"
    SIBLING = "sibling"
    OTHER = "other"


class HouseholdMember(db.Model):
    __tablename__ = "household_member"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    name: Mapped[str] = mapped_column(String(30))
    id_number_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    # Finds the same person in another household (one active 低保 household each).
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    relation: Mapped[str] = mapped_column(String(12))
    monthly_income: Mapped[Decimal] = mapped_column(Money)
    # [{"source": "工资", "amount": "300.00"}], summing to monthly_income.
    income_sources: Mapped[list] = mapped_column(JSON, default=list)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    able_to_work: Mapped[bool] = mapped_column(Boolean, default=False)

    application = relationship("Application", back_populates="members")
