"""Officers' reports (初报, 续报, 核报) and the rules every report must pass.

Figures are cumulative since the event began. An indicator left out of a report
keeps the value of the region's report before it (0 in the first). Every refusal
is a 422 naming the field and the rule, all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import ActionNotAllowed, Forbidden, ValidationFailed
from backend.models import Region, RegionLevel, Role, User
from backend.models.disaster import (
    INDICATOR_NAMES,
    INDICATORS,
    DisasterEvent,
    DisasterReport,
    EventStatus,
    ReportKind,
    ResponseLevel,
)
from backend.services import (
    audit,
    clock,
    disaster_access,
    disaster_alerts,
    disaster_events,
    disaster_photos,
)

LABELS = {name: label for name, label, _ in INDICATORS}
UNITS = {name: unit for name, _, unit in INDICATORS}
# Each of these may not exceed the affected population.
WITHIN_AFFECTED = ("deaths", "missing", "relocated", "need_emergency_aid")
# Smaller ≤ larger: (smaller, larger).
ORDERED = (
    ("crop_failure_ha", "crop_disaster_ha"),
    ("crop_disaster_ha", "crop_affected_ha"),
    ("collapsed_households", "collapsed_rooms"),
)
ORDER_RULES = {
    ("crop_failure_ha", "crop_disaster_ha"): "农作物绝收面积不能大于成灾面积",
    ("crop_disaster_ha", "crop_affected_ha"): "农作物成灾面积不能大于受灾面积",
    ("collapsed_households", "collapsed_rooms"): "倒塌房屋间数不能少于户数",
}


@dataclass(frozen=True)
class NewReport:
    region_code: str
    kind: ReportKind
    occurred_at: datetime
    indicators: dict[str, int | Decimal]
    note: str = ""
    correction_reason: str | None = None
    photo_ids: list[int] = field(default_factory=list)


def history(session: Session, event: DisasterEvent, region: Region) -> list[DisasterReport]:
    """The region's reports in the order they describe: by when, then by submission."""
    return list(
        session.scalars(
            select(DisasterReport)
            .where(DisasterReport.event_id == event.id, DisasterReport.region_id == region.id)
            .order_by(DisasterReport.occurred_at, DisasterReport.submitted_at, DisasterReport.id)
        )
    )


def submit(
    session: Session, user: User, event_id: int, new: NewReport, ip: str | None = None
) -> DisasterReport:
    event = disaster_events.get(session, user, event_id)
    if user.role != Role.DISASTER_OFFICER:
        raise Forbidden("只有灾害信息员可以报送灾情")
    region = disaster_events.region_of_event(session, user, event, new.region_code)
    # One report of an event at a time (PostgreSQL): two initial reports of a region, or
    # two escalations, cannot race past each other's checks.
    session.execute(select(DisasterEvent.id).where(DisasterEvent.id == event.id).with_for_update())
    earlier = history(session, event, region)
    _check_kind(event, new, earlier)
    figures = carried_forward(new, earlier)
    errors = {**_timing_errors(event, new), **consistency_errors(figures)}
    errors.update(_cumulative_errors(new, figures, earlier))
    photos = disaster_photos.claim(session, user, new.photo_ids)
    errors.update(_photo_errors(event, region, photos))
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors)
    correcting = any(r.kind == ReportKind.FINAL for r in earlier)
    report = DisasterReport(
        event_id=event.id,
        region_id=region.id,
        kind=new.kind,
        occurred_at=new.occurred_at,
        submitted_by_id=user.id,
        submitted_at=clock.now(),
        note=new.note,
        correction_reason=new.correction_reason or None,
        is_correction=correcting,
        **figures,
    )
    session.add(report)
    session.flush()
    disaster_photos.bind(session, photos, report)
    action = "disaster_report.correct" if correcting else "disaster_report.submit"
    audit.record(
        session, user, action, report, ip=ip, after=new.kind, note=new.correction_reason or ""
    )
    disaster_alerts.escalate_if_needed(session, event)
    return report


def _check_kind(event: DisasterEvent, new: NewReport, earlier: list[DisasterReport]) -> None:
    kinds = {r.kind for r in earlier}
    if event.status == EventStatus.CLOSED and new.kind != ReportKind.FINAL:
        raise ActionNotAllowed("该灾情已结束,只能报送核报")
    if not earlier and new.kind != ReportKind.INITIAL:
        raise ValidationFailed.field("kind", "该地区还没有初报,请先报送初报")
    if earlier and new.kind == ReportKind.INITIAL:
        raise ValidationFailed.field("kind", "该地区已报送初报,请报送续报或核报")
    if ReportKind.FINAL in kinds and not new.correction_reason:
        raise ValidationFailed.field(
            "correction_reason", "该地区已核报,再次报送即为更正,请填写更正原因"
        )


def _timing_errors(event: DisasterEvent, new: NewReport) -> dict[str, list[str]]:
    if new.occurred_at > clock.now() + disaster_events.CLOCK_SKEW:
        return {"occurred_at": ["统计时间不能晚于现在"]}
    if new.occurred_at < event.started_at:
        return {"occurred_at": ["统计时间不能早于灾害发生时间"]}
    return {}


def carried_forward(new: NewReport, earlier: list[DisasterReport]) -> dict[str, int | Decimal]:
    """The report's figures: those given, the rest from the report just before it."""
    before = _neighbours(new, earlier)[0]
    figures: dict[str, int | Decimal] = {}
    for name in INDICATOR_NAMES:
        if name in new.indicators:
            figures[name] = new.indicators[name]
        else:
            figures[name] = getattr(before, name) if before else _zero(name)
    return figures


def _zero(name: str) -> int | Decimal:
    return Decimal("0.00") if name.endswith(("_ha", "_yuan")) else 0


def consistency_errors(figures: dict[str, int | Decimal]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    affected = figures["affected_population"]
    for name in WITHIN_AFFECTED:
        if figures[name] > affected:
            errors[f"indicators.{name}"] = [f"{LABELS[name]}不能多于受灾人口"]
    for smaller, larger in ORDERED:
        if figures[smaller] > figures[larger]:
            name = larger if smaller == "collapsed_households" else smaller
            errors.setdefault(f"indicators.{name}", []).append(ORDER_RULES[smaller, larger])
    return errors


def _neighbours(
    new: NewReport, earlier: list[DisasterReport]
) -> tuple[DisasterReport | None, DisasterReport | None]:
    """The reports just before and just after the new one, in the order of `history`
    (the new one is submitted last, so it follows any of the same time)."""
    before = [r for r in earlier if r.occurred_at <= new.occurred_at]
    after = [r for r in earlier if r.occurred_at > new.occurred_at]
    return (before[-1] if before else None), (after[0] if after else None)


def _cumulative_errors(
    new: NewReport, figures: dict[str, int | Decimal], earlier: list[DisasterReport]
) -> dict[str, list[str]]:
    """A cumulative figure never goes down, in the order the reports describe, unless
    the report says why (a correction)."""
    if new.correction_reason:
        return {}
    before, after = _neighbours(new, earlier)
    errors = {}
    for name in INDICATOR_NAMES:
        unit = UNITS[name]
        if before and figures[name] < getattr(before, name):
            errors[f"indicators.{name}"] = [
                f"{LABELS[name]}是累计数,不能低于此前报送的 {getattr(before, name)}{unit};"
                "如需更正,请填写更正原因"
            ]
        elif after and figures[name] > getattr(after, name):
            errors[f"indicators.{name}"] = [
                f"{LABELS[name]}不能高于之后时间报送的 {getattr(after, name)}{unit};"
                "如需更正,请填写更正原因"
            ]
    return errors


def _photo_errors(event: DisasterEvent, region: Region, photos: list) -> dict[str, list[str]]:
    """Under an emergency response a township's report shows what happened."""
    needed = current_app.config["DISASTER_MIN_PHOTOS_UNDER_RESPONSE"]
    if (
        event.response_level != ResponseLevel.NONE
        and region.level == RegionLevel.TOWNSHIP
        and len(photos) < needed
    ):
        return {"photo_ids": [f"启动应急响应期间,乡镇报告须附至少 {needed} 张现场照片"]}
    return {}


def visible_reports(session: Session, user: User, event_id: int, region_code: str | None):
    """An event's reports the caller may see, newest first; one region's history when
    `region_code` is given."""
    event = disaster_events.get(session, user, event_id)
    query = select(DisasterReport).where(
        DisasterReport.event_id == event.id, disaster_access.report_condition(user)
    )
    if region_code:
        query = query.join(DisasterReport.region).where(Region.code == region_code)
    return query
