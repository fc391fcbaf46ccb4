"""The roll-up: the latest report of every region, summed up the tree.

The latest report of a region is the one describing the latest moment (`occurred_at`),
then the last submitted: reports arriving out of order and corrections both land
right. A village counts as its latest report. A township counts as its own latest
report once it has filed one (the township is the counting unit and its officer
answers for the whole of it), else as the sum of its villages; the county as the sum
of its townships.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from backend.errors import NotFound
from backend.models import Region, RegionLevel, Role, User
from backend.models.disaster import (
    COUNTS,
    DECIMALS,
    INDICATOR_NAMES,
    DisasterEvent,
    DisasterReport,
    ReportKind,
)
from backend.services import disaster_deadlines, disaster_events, disaster_rebuild

INDICATOR_COLUMNS = [getattr(DisasterReport, name) for name in INDICATOR_NAMES]


def zero_totals() -> dict[str, int | Decimal]:
    return {**dict.fromkeys(COUNTS, 0), **dict.fromkeys(DECIMALS, Decimal("0.00"))}


@dataclass
class Standing:
    """Where one region stands: its counted figures and how its reporting goes."""

    region: Region | Place
    totals: dict[str, int | Decimal] = field(default_factory=zero_totals)
    latest_report_at: datetime | None = None  # the moment the counted figures describe
    last_submitted_at: datetime | None = None
    initial_at: datetime | None = None
    final: bool = False
    source: str = "none"  # "report": its own; "villages": the sum of its villages


def latest_reports(session: Session, event_id: int) -> dict[int, tuple]:
    """region id → (occurred_at, *indicators, last submitted at, first initial submitted
    at, has a final) of its latest report: one statement, one pass over the rows."""
    region = DisasterReport.region_id
    submitted = DisasterReport.submitted_at
    ranked = (
        select(
            region,
            DisasterReport.occurred_at,
            *INDICATOR_COLUMNS,
            func.row_number()
            .over(
                partition_by=region,
                order_by=(
                    DisasterReport.occurred_at.desc(),
                    submitted.desc(),
                    DisasterReport.id.desc(),
                ),
            )
            .label("rank"),
            func.max(submitted).over(partition_by=region).label("last_submitted_at"),
            func.min(case((DisasterReport.kind == ReportKind.INITIAL, submitted)))
            .over(partition_by=region)
            .label("initial_at"),
            func.max(case((DisasterReport.kind == ReportKind.FINAL, 1), else_=0))
            .over(partition_by=region)
            .label("final"),
        )
        .where(DisasterReport.event_id == event_id)
        .subquery()
    )
    names = ["occurred_at", *INDICATOR_NAMES, "last_submitted_at", "initial_at", "final"]
    rows = session.execute(
        select(ranked.c.region_id, *[ranked.c[n] for n in names]).where(ranked.c.rank == 1)
    )
    return {row[0]: tuple(row[1:]) for row in rows}


@dataclass(frozen=True)
class Place:
    """A village as the roll-up reads it (the columns of `Region` it needs)."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int
    path: str


PLACE_COLUMNS = (Region.id, Region.code, Region.name, Region.level, Region.parent_id, Region.path)


class Tree:
    """The event's regions: affected townships and the villages that report into them."""

    def __init__(self, session: Session, event: DisasterEvent, reported: set[int]):
        rows = disaster_events.affected_regions(session, event)
        named_townships = [
            r.region for r in rows if r.named and r.region.level == RegionLevel.TOWNSHIP
        ]
        self.townships = sorted(
            (r.region for r in rows if r.region.level == RegionLevel.TOWNSHIP),
            key=lambda r: r.code,
        )
        wanted = {r.region_id for r in rows} | reported
        named_ids = {t.id for t in named_townships}
        # Plain rows: a county may have a thousand villages, and none is changed here.
        villages = session.execute(
            select(*PLACE_COLUMNS).where(
                Region.path.startswith(event.county.path, autoescape=True),
                Region.level == RegionLevel.VILLAGE,
            )
        )
        self.villages: dict[int, list[Place]] = defaultdict(list)
        for row in villages:
            village = Place(*row)
            if village.id in wanted or village.parent_id in named_ids:
                self.villages[village.parent_id].append(village)
        for children in self.villages.values():
            children.sort(key=lambda r: r.code)


def standings(session: Session, event: DisasterEvent) -> tuple[Standing, dict[int, Standing]]:
    """(the county's standing, every township's and village's by region id)."""
    latest = latest_reports(session, event.id)
    tree = Tree(session, event, set(latest))
    county = Standing(event.county, source="townships")
    by_region: dict[int, Standing] = {}
    for township in tree.townships:
        villages = [_own(v, latest) for v in tree.villages.get(township.id, [])]
        by_region.update((s.region.id, s) for s in villages)
        standing = _township(township, latest, villages)
        by_region[township.id] = standing
        _add(county, standing)
    return county, by_region


def _own(region: Region | Place, latest: dict) -> Standing:
    if region.id not in latest:
        return Standing(region)
    occurred_at, *values, last_submitted_at, initial_at, final = latest[region.id]
    return Standing(
        region,
        totals=dict(zip(INDICATOR_NAMES, values, strict=True)),
        latest_report_at=occurred_at,
        last_submitted_at=last_submitted_at,
        initial_at=initial_at,
        final=bool(final),
        source="report",
    )


def _township(region: Region, latest: dict, villages: list[Standing]) -> Standing:
    standing = _own(region, latest)
    reporting = [v for v in villages if v.source == "report"]
    if standing.source != "report":
        standing.source = "villages" if reporting else "none"
        for village in reporting:
            _add_figures(standing, village)
        standing.final = bool(reporting) and all(v.final for v in reporting)
    for village in reporting:
        standing.initial_at = _earliest(standing.initial_at, village.initial_at)
        standing.last_submitted_at = _latest(standing.last_submitted_at, village.last_submitted_at)
    return standing


def _add(total: Standing, part: Standing) -> None:
    _add_figures(total, part)
    total.initial_at = _earliest(total.initial_at, part.initial_at)
    total.last_submitted_at = _latest(total.last_submitted_at, part.last_submitted_at)


def _add_figures(total: Standing, part: Standing) -> None:
    for name in INDICATOR_NAMES:
        total.totals[name] += part.totals[name]
    total.latest_report_at = _latest(total.latest_report_at, part.latest_report_at)


def _earliest(a, b):
    return b if a is None else a if b is None else min(a, b)


def _latest(a, b):
    return b if a is None else a if b is None else max(a, b)


def county_totals(session: Session, event: DisasterEvent) -> dict[str, int | Decimal]:
    return standings(session, event)[0].totals


@dataclass(frozen=True)
class Summary:
    root: Standing
    children: list[Standing]
    overdue_initial: list[str]
    overdue_update: list[str]
    event: DisasterEvent
    rebuild: dict[str, int]


def summary(
    session: Session, user: User, event_id: int, region_code: str | None, now: datetime
) -> Summary:
    """One region's roll-up (the county by default, or the caller's own region) with a
    row per child region and the children late with their reports."""
    event = disaster_events.get(session, user, event_id)
    county, by_region = standings(session, event)
    root = _root(event, user, region_code, county, by_region)
    if root.region.level == RegionLevel.COUNTY:
        children = [by_region[t.id] for t in _townships(by_region)]
    else:
        children = [
            s
            for s in by_region.values()
            if s.region.parent_id == root.region.id and s.region.level == RegionLevel.VILLAGE
        ]
        children.sort(key=lambda s: s.region.code)
    last_due = disaster_deadlines.last_update_due(event, now)
    return Summary(
        root=root,
        children=children,
        overdue_initial=[
            s.region.code for s in children if disaster_deadlines.initial_overdue(event, s, now)
        ],
        overdue_update=[
            s.region.code for s in children if disaster_deadlines.update_overdue(event, s, last_due)
        ],
        event=event,
        rebuild=disaster_rebuild.counts(session, event, root.region),
    )


def _townships(by_region: dict[int, Standing]) -> list[Region]:
    townships = [s.region for s in by_region.values() if s.region.level == RegionLevel.TOWNSHIP]
    return sorted(townships, key=lambda r: r.code)


def _root(
    event: DisasterEvent,
    user: User,
    region_code: str | None,
    county: Standing,
    by_region: dict[int, Standing],
) -> Standing:
    candidates = {s.region.code: s for s in by_region.values()}
    candidates[county.region.code] = county
    if region_code is None:
        mine = user.region
        region_code = (
            county.region.code if mine is None or mine.contains(county.region) else mine.code
        )
    root = candidates.get(region_code)
    if root is None or not (
        user.role == Role.ADMIN or (user.region is not None and user.region.contains(root.region))
    ):
        raise NotFound("找不到该地区的灾情")
    return root


@dataclass(frozen=True)
class RegionStatus:
    standing: Standing
    named: bool
    overdue_initial: bool
    overdue_update: bool

    @property
    def status(self) -> str:
        if self.standing.final:
            return "final"
        return "reporting" if self.standing.initial_at else "not_reported"


@dataclass(frozen=True)
class EventDetail:
    event: DisasterEvent
    totals: dict[str, int | Decimal]
    regions: list[RegionStatus]
    initial_due_at: datetime
    county_initial_due_at: datetime
    next_update_due_at: datetime | None
    final_due_on: date | None

    def __getattr__(self, name: str):
        # The event's own fields (name, status, …) read through the detail.
        return getattr(self.event, name)


def event_detail(session: Session, user: User, event_id: int, now: datetime) -> EventDetail:
    """The event with the reporting status of every affected region."""
    event = disaster_events.get(session, user, event_id)
    county, by_region = standings(session, event)
    last_due = disaster_deadlines.last_update_due(event, now)
    rows = []
    for row in disaster_events.affected_regions(session, event):
        standing = by_region.get(row.region_id) or Standing(row.region)
        rows.append(
            RegionStatus(
                standing,
                row.named,
                disaster_deadlines.initial_overdue(event, standing, now),
                disaster_deadlines.update_overdue(event, standing, last_due),
            )
        )
    return EventDetail(
        event=event,
        totals=county.totals,
        regions=rows,
        initial_due_at=disaster_deadlines.township_initial_due(event),
        county_initial_due_at=disaster_deadlines.county_initial_due(event),
        next_update_due_at=disaster_deadlines.next_update_due(event, now),
        final_due_on=disaster_deadlines.final_due_on(session, event),
    )
