"""灾情报告: a disaster event the county opens, the regions it affects, the officers'
reports (初报, 续报, 核报), citizens' tips (随手拍) and collapsed houses followed to
rebuilt (倒房重建)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId, UTCDateTime, utcnow
from backend.models.region import Region


class DisasterType(StrEnum):
    FLOOD = "flood"
    WATERLOGGING = "waterlogging"
    TYPHOON = "typhoon"
    HAIL = "hail"
    DROUGHT = "drought"
    EARTHQUAKE = "earthquake"
    LANDSLIDE = "landslide"
    SNOW_ICE = "snow_ice"
    FOREST_FIRE = "forest_fire"
    OTHER = "other"


DISASTER_TYPE_LABELS = {
    DisasterType.FLOOD: "洪涝",
    DisasterType.WATERLOGGING: "内涝",
    DisasterType.TYPHOON: "台风",
    DisasterType.HAIL: "风雹",
    DisasterType.DROUGHT: "干旱",
    DisasterType.EARTHQUAKE: "地震",
    DisasterType.LANDSLIDE: "地质灾害",
    DisasterType.SNOW_ICE: "低温雨雪冰冻",
    DisasterType.FOREST_FIRE: "森林火灾",
    DisasterType.OTHER: "其他",
}


class ResponseLevel(StrEnum):
    """Emergency response (应急响应), I the highest."""

    NONE = "none"
    IV = "IV"
    III = "III"
    II = "II"
    I = "I"  # noqa: E741 (the official name of the level)


class EventStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ReportKind(StrEnum):
    INITIAL = "initial"  # 初报
    UPDATE = "update"  # 续报
    FINAL = "final"  # 核报


REPORT_KIND_LABELS = {
    ReportKind.INITIAL: "初报",
    ReportKind.UPDATE: "续报",
    ReportKind.FINAL: "核报",
}

# The indicators of the national statistics form, in its order: name, label, unit.
PEOPLE = (
    ("affected_population", "受灾人口", "人"),
    ("deaths", "死亡人口", "人"),
    ("missing", "失踪人口", "人"),
    ("relocated", "紧急转移安置人口", "人"),
    ("need_emergency_aid", "需紧急生活救助人口", "人"),
)
HOUSES = (
    ("collapsed_households", "倒塌房屋户数", "户"),
    ("collapsed_rooms", "倒塌房屋间数", "间"),
    ("severely_damaged_rooms", "严重损坏房屋", "间"),
    ("generally_damaged_rooms", "一般损坏房屋", "间"),
)
AREAS = (
    ("crop_affected_ha", "农作物受灾面积", "公顷"),
    ("crop_disaster_ha", "农作物成灾面积", "公顷"),
    ("crop_failure_ha", "农作物绝收面积", "公顷"),
)
LOSSES = (("direct_loss_10k_yuan", "直接经济损失", "万元"),)
INDICATORS = PEOPLE + HOUSES + AREAS + LOSSES
INDICATOR_NAMES = tuple(name for name, _, _ in INDICATORS)
COUNTS = tuple(name for name, _, _ in PEOPLE + HOUSES)  # whole numbers
DECIMALS = tuple(name for name, _, _ in AREAS + LOSSES)  # two places


class TipStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    DISMISSED = "dismissed"


class RebuildStatus(StrEnum):
    PLANNED = "planned"
    BUILDING = "building"
    REBUILT = "rebuilt"


REBUILD_STATUS_LABELS = {
    RebuildStatus.PLANNED: "计划重建",
    RebuildStatus.BUILDING: "在建",
    RebuildStatus.REBUILT: "已建成",
}


class DisasterEvent(db.Model):
    __tablename__ = "disaster_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    response_level: Mapped[str] = mapped_column(String(4), default=ResponseLevel.NONE)
    status: Mapped[str] = mapped_column(String(10), default=EventStatus.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once, when the dead and missing first reach the threshold (county told at once).
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    county: Mapped[Region] = relationship()
    regions: Mapped[list[DisasterEventRegion]] = relationship(
        back_populates="event", order_by="DisasterEventRegion.id"
    )


class DisasterEventRegion(db.Model):
    """A region the event affects: those the county named, and the township of each
    named village (the township is the counting unit)."""

    __tablename__ = "disaster_event_region"
    __table_args__ = (UniqueConstraint("event_id", "region_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("disaster_event.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    named: Mapped[bool] = mapped_column(Boolean, default=True)
    # County staff were told its initial report is late (once).
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[DisasterEvent] = relationship(back_populates="regions")
    region: Mapped[Region] = relationship()


class DisasterReport(db.Model):
    """One report of one region; figures are cumulative since the event began."""

    __tablename__ = "disaster_report"
    __table_args__ = (
        # The roll-up: the latest report of each region of an event.
        Index("ix_disaster_report_latest", "event_id", "region_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("disaster_event.id"))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str] = mapped_column(String(1000), default="")
    # Why a figure went down, or why a final (核报) figure changed (更正).
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    is_correction: Mapped[bool] = mapped_column(Boolean, default=False)

    affected_population: Mapped[int] = mapped_column(Integer, default=0)
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    relocated: Mapped[int] = mapped_column(Integer, default=0)
    need_emergency_aid: Mapped[int] = mapped_column(Integer, default=0)
    collapsed_households: Mapped[int] = mapped_column(Integer, default=0)
    collapsed_rooms: Mapped[int] = mapped_column(Integer, default=0)
    severely_damaged_rooms: Mapped[int] = mapped_column(Integer, default=0)
    generally_damaged_rooms: Mapped[int] = mapped_column(Integer, default=0)
    crop_affected_ha: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    crop_disaster_ha: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    crop_failure_ha: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    direct_loss_10k_yuan: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))

    event: Mapped[DisasterEvent] = relationship()
    region: Mapped[Region] = relationship()

    @property
    def indicators(self) -> dict[str, int | Decimal]:
        return {name: getattr(self, name) for name in INDICATOR_NAMES}


class DisasterTip(db.Model):
    """随手拍: what a resident saw, where, with photos; staff verify or dismiss it."""

    __tablename__ = "disaster_tip"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    # The tipper's village until staff place it; the region it was verified for after.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    status: Mapped[str] = mapped_column(String(10), default=TipStatus.PENDING)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("disaster_event.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region | None] = relationship(foreign_keys=[region_id])
    event: Mapped[DisasterEvent | None] = relationship()


class CollapsedHouse(db.Model):
    """倒房重建: one household's collapsed house, followed until it is rebuilt."""

    __tablename__ = "collapsed_house"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("disaster_event.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)  # the village
    household_head: Mapped[str] = mapped_column(String(30))  # 户主
    rooms: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=RebuildStatus.PLANNED)
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region] = relationship()
