"""Marriage-registration appointments: half-day slots, appointments and their parties,
divorce applications in their cooling-off period.

Personal numbers are stored encrypted and found through keyed blind indexes (PIPL).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow
from backend.models.registry import RegistryOffice


class Service(StrEnum):
    MARRIAGE = "marriage"  # 结婚登记
    DIVORCE = "divorce"  # 离婚登记申请
    DIVORCE_CERTIFICATE = "divorce_certificate"  # 冷静期满后领取离婚证
    REISSUE = "reissue"  # 补领婚姻登记证


class Period(StrEnum):
    AM = "am"
    PM = "pm"


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# A person holds at most one appointment per service in these statuses.
ACTIVE_STATUSES = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN})

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[AppointmentStatus], AppointmentStatus]] = {
    "cancel": (frozenset({AppointmentStatus.BOOKED}), AppointmentStatus.CANCELLED),
    "check_in": (frozenset({AppointmentStatus.BOOKED}), AppointmentStatus.CHECKED_IN),
    "complete": (frozenset({AppointmentStatus.CHECKED_IN}), AppointmentStatus.COMPLETED),
    "no_show": (frozenset({AppointmentStatus.BOOKED}), AppointmentStatus.NO_SHOW),
}


class Slot(db.Model):
    """One half-day at one office. `booked` counts the places taken (appointments and
    places held for the waitlist); it never exceeds `capacity`."""

    __tablename__ = "marriage_slot"
    __table_args__ = (
        UniqueConstraint("office_id", "day", "period"),
        CheckConstraint("booked >= 0", "booked_not_negative"),
        CheckConstraint("booked <= capacity", "not_overbooked"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("registry_office.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    period: Mapped[str] = mapped_column(String(2))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)

    office: Mapped[RegistryOffice] = relationship()

    @property
    def remaining(self) -> int:
        return self.capacity - self.booked


class Appointment(db.Model):
    __tablename__ = "marriage_appointment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("marriage_slot.id"), index=True)
    service: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default=AppointmentStatus.BOOKED, index=True)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_code: Mapped[str] = mapped_column(String(12))
    # `divorce`: the application its completion registered;
    # `divorce_certificate`: the application it concludes.
    divorce_application_id: Mapped[int | None] = mapped_column(
        ForeignKey("divorce_application.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # The day-before reminder went out: neither the job nor the sweeper sends it again.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    slot: Mapped[Slot] = relationship()
    divorce_application: Mapped[DivorceApplication | None] = relationship()
    parties: Mapped[list[AppointmentParty]] = relationship(
        back_populates="appointment", order_by="AppointmentParty.role", cascade="all"
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def party(self, role: str) -> AppointmentParty | None:
        return next((p for p in self.parties if p.role == role), None)


class AppointmentParty(db.Model):
    """One person of an appointment. `active` mirrors the appointment's status so that
    a partial unique index can hold each person to one live booking per service."""

    __tablename__ = "marriage_appointment_party"
    __table_args__ = (
        UniqueConstraint("appointment_id", "role"),
        Index(
            "uq_marriage_party_one_active_booking",
            "id_number_index",
            "service",
            unique=True,
            postgresql_where=text("active"),
            sqlite_where=text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("marriage_appointment.id"))
    role: Mapped[str] = mapped_column(String(1))  # "a" | "b"
    name: Mapped[str] = mapped_column(String(30))
    id_number_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    id_number_index: Mapped[str] = mapped_column(String(64), index=True)
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    service: Mapped[str] = mapped_column(String(24))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    appointment: Mapped[Appointment] = relationship(back_populates="parties")


class DivorceStatus(StrEnum):
    COOLING_OFF = "cooling_off"  # 冷静期, then the 30 days to fetch the certificate
    CERTIFIED = "certified"  # 离婚证已发
    WITHDRAWN = "withdrawn"  # by a party, or deemed withdrawn once the 30 days lapse


class DivorceApplication(db.Model):
    """离婚登记申请 (民法典 第1077条), registered when a divorce appointment completes."""

    __tablename__ = "divorce_application"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("registry_office.id"), index=True)
    party_a_index: Mapped[str] = mapped_column(String(64), index=True)
    party_b_index: Mapped[str] = mapped_column(String(64), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    cooling_off_ends: Mapped[date] = mapped_column(Date)
    certificate_deadline: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default=DivorceStatus.COOLING_OFF, index=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(String(16))  # "party" | "lapsed"
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def involves(self, id_number_index: str) -> bool:
        return id_number_index in (self.party_a_index, self.party_b_index)


class RequestedCouple:
    """A couple waiting for a place (ballot entry, waitlist): who asked, and the people
    as typed, sealed (encrypted JSON), with blind indexes to find them."""

    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    parties_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    party_a_index: Mapped[str] = mapped_column(String(64), index=True)
    party_b_index: Mapped[str | None] = mapped_column(String(64), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("marriage_appointment.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BallotStatus(StrEnum):
    OPEN = "open"  # taking entries until `entries_close_at`
    DRAWN = "drawn"


class Ballot(db.Model):
    """摇号: the marriage places of a peak date (5月20日, 七夕, …) go by a fair draw."""

    __tablename__ = "marriage_ballot"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("registry_office.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    entries_close_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(8), default=BallotStatus.OPEN)
    # Recorded so that anyone can re-run the draw and find the same winners.
    seed: Mapped[str | None] = mapped_column(String(64))
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EntryStatus(StrEnum):
    ENTERED = "entered"
    WON = "won"
    LOST = "lost"


class BallotEntry(RequestedCouple, db.Model):
    __tablename__ = "marriage_ballot_entry"
    __table_args__ = (
        # Each person once per ballot; `ballots.enter` also checks across the two sides.
        UniqueConstraint("ballot_id", "party_a_index", name="uq_marriage_ballot_entry_party_a"),
        UniqueConstraint("ballot_id", "party_b_index", name="uq_marriage_ballot_entry_party_b"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("marriage_ballot.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default=EntryStatus.ENTERED)


class WaitStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # a freed place is held for this couple until `offered_until`
    BOOKED = "booked"
    EXPIRED = "expired"  # the offer ran out or was declined
    LEFT = "left"


class WaitlistEntry(RequestedCouple, db.Model):
    """In line for a full slot. Every offered entry holds one place of `booked`."""

    __tablename__ = "marriage_waitlist_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("marriage_slot.id"), index=True)
    service: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(8), default=WaitStatus.WAITING, index=True)
    offered_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    slot: Mapped[Slot] = relationship()
