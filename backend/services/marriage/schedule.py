"""The registrar's day: who comes in each half-day, and how the day is going."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import RegistryOffice
from backend.models.marriage import Appointment, AppointmentStatus, Period, Slot


def day_sheet(session: Session, office: RegistryOffice, day: date) -> dict[str, Any]:
    """Per half-day: places, and appointments counted by status; then the list."""
    slots = {
        slot.period: slot
        for slot in session.scalars(
            select(Slot).where(Slot.office_id == office.id, Slot.day == day)
        )
    }
    appointments = session.scalars(
        select(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Slot.office_id == office.id, Slot.day == day)
        .order_by(Slot.period, Appointment.id)
    ).all()
    periods = []
    for period in Period:
        slot = slots.get(period)
        counts = Counter(a.status for a in appointments if a.slot.period == period)
        periods.append(
            {
                "period": period.value,
                "slot_id": slot.id if slot else None,
                "capacity": slot.capacity if slot else 0,
                "remaining": slot.remaining if slot else 0,
                **{status.value: counts.get(status, 0) for status in AppointmentStatus},
            }
        )
    return {"date": day, "office_id": office.id, "periods": periods, "appointments": appointments}
