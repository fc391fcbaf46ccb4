"""The event's figures as an XLSX workbook: one sheet per level (county, townships,
villages) with the indicators and their units in the order of the national
statistics form, and a sheet of collapsed houses. Text a user typed never starts a
formula."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.models import Region, RegionLevel, Role, User
from backend.models.disaster import (
    INDICATORS,
    REBUILD_STATUS_LABELS,
    CollapsedHouse,
    DisasterEvent,
    RebuildStatus,
)
from backend.services import clock, disaster_events, disaster_rollup

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REGION_HEADERS = ["区划代码", "地区", *[f"{label}({unit})" for _, label, unit in INDICATORS]]
REGION_HEADERS += ["统计截至", "数据来源", "已核报"]
SOURCES = {
    "report": "本级报告",
    "villages": "村(社区)合计",
    "townships": "乡镇合计",
    "none": "未报",
}
HOUSE_HEADERS = ["村(社区)", "户主", "倒塌间数", "重建状态", "开工日期", "竣工日期", "备注"]


def safe(value):
    """A text cell that Excel will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def workbook(session: Session, user: User, event_id: int) -> tuple[bytes, str]:
    """(the XLSX bytes, a file name) of what the caller may see of the event."""
    event = disaster_events.get(session, user, event_id)
    county, by_region = disaster_rollup.standings(session, event)
    mine = [s for s in by_region.values() if _mine(user, s.region)]
    book = Workbook()
    sheet = book.active
    sheet.title = "县"
    rows = [county] if _mine(user, county.region) else []
    _region_sheet(sheet, event, rows)
    for title, level in (("乡镇", RegionLevel.TOWNSHIP), ("村(社区)", RegionLevel.VILLAGE)):
        rows = sorted((s for s in mine if s.region.level == level), key=lambda s: s.region.code)
        _region_sheet(book.create_sheet(title), event, rows)
    _house_sheet(book.create_sheet("倒房重建"), session, event, user)
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = clock.now().astimezone(clock.SHANGHAI).strftime("%Y%m%d%H%M")
    return buffer.getvalue(), f"灾情统计-{event.id}-{stamp}.xlsx"


def _mine(user: User, region: Region) -> bool:
    return user.role == Role.ADMIN or (user.region is not None and user.region.contains(region))


def _region_sheet(sheet, event: DisasterEvent, standings: list) -> None:
    sheet.append([safe(f"{event.name}({_local(event.started_at)} 起)")])
    sheet.append(REGION_HEADERS)
    for standing in standings:
        sheet.append(
            [
                standing.region.code,
                safe(standing.region.name),
                *[standing.totals[name] for name, _, _ in INDICATORS],
                _local(standing.latest_report_at),
                SOURCES[standing.source],
                "是" if standing.final else "否",
            ]
        )
    for column in range(1, len(REGION_HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16


def _house_sheet(sheet, session: Session, event: DisasterEvent, user: User) -> None:
    sheet.append(HOUSE_HEADERS)
    houses = session.scalars(
        select(CollapsedHouse)
        .where(CollapsedHouse.event_id == event.id)
        .order_by(CollapsedHouse.region_id, CollapsedHouse.id)
    )
    for house in houses:
        if not _mine(user, house.region):
            continue
        sheet.append(
            [
                safe(house.region.name),
                safe(house.household_head),
                house.rooms,
                REBUILD_STATUS_LABELS[RebuildStatus(house.status)],
                house.started_on,
                house.completed_on,
                safe(house.note),
            ]
        )


def _local(moment: datetime | None) -> str:
    return moment.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""
