"""The disaster roll-up: 1,000 villages × 10 reports summed into 50 townships and the
county (`GET /api/v1/disaster-events/{id}/summary`), beside one aggregate SQL over the
same rows doing the same physical work (the latest report of every village, summed by
township) on the ceiling's server.

The reports are inserted newest first, so that "latest" is decided by the time they
describe and never by the order they arrived in.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from backend.extensions import db
from backend.models import Region, RegionLevel, Role
from backend.models.disaster import DisasterEvent, DisasterEventRegion, DisasterReport
from backend.services import regions, users
from bench import load
from bench.core import Backend, BenchError, Figure, Measurement, Values
from bench.data import SEEDED_AT
from bench.figures import access_token
from bench.measure import bearer, http_load

COUNTY = ("990200000000", "基准县")
TOWNSHIPS, VILLAGES_PER_TOWNSHIP, REPORTS_PER_VILLAGE = 50, 20, 10
STAFF = "bench_county01"
EVENT_NAME = "基准洪涝过程"


def village_figures(village: int, serial: int) -> dict:
    """Report `serial` (1…10) of village number `village`: cumulative, growing."""
    return {
        "affected_population": 100 * serial + village % 50,
        "deaths": 0,
        "missing": 0,
        "relocated": 10 * serial,
        "need_emergency_aid": 5 * serial,
        "collapsed_households": serial // 5,
        "collapsed_rooms": 2 * (serial // 5),
        "severely_damaged_rooms": serial,
        "generally_damaged_rooms": 2 * serial,
        "crop_affected_ha": Decimal("1.50") * serial + village % 3,
        "crop_disaster_ha": Decimal("1.00") * serial,
        "crop_failure_ha": Decimal("0.25") * serial,
        "direct_loss_10k_yuan": Decimal("3.20") * serial,
    }


VILLAGES = TOWNSHIPS * VILLAGES_PER_TOWNSHIP
EXPECTED_AFFECTED = sum(
    village_figures(v, REPORTS_PER_VILLAGE)["affected_population"] for v in range(VILLAGES)
)


def seed(session: Session, rows: int) -> None:
    county = regions.ensure_region(session, *COUNTY, RegionLevel.COUNTY)
    staff = users.create_user(
        session, role=Role.COUNTY_STAFF, name="基准县民政局", username=STAFF, region=county
    )
    townships = []
    for t in range(1, TOWNSHIPS + 1):
        code = f"9902{t:02d}000000"
        townships.append(
            regions.ensure_region(session, code, f"第{t}镇", RegionLevel.TOWNSHIP, county)
        )
    villages = [
        {
            "code": f"{township.code[:6]}{v:03d}000",
            "name": f"{township.name}{v}村",
            "level": RegionLevel.VILLAGE,
            "parent_id": township.id,
            "path": f"{township.path}{township.code[:6]}{v:03d}000/",
        }
        for township in townships
        for v in range(1, VILLAGES_PER_TOWNSHIP + 1)
    ]
    session.execute(insert(Region), villages)
    event = DisasterEvent(
        county_id=county.id,
        type="flood",
        name=EVENT_NAME,
        started_at=SEEDED_AT,
        created_by_id=staff.id,
    )
    session.add(event)
    session.flush()
    session.execute(
        insert(DisasterEventRegion),
        [{"event_id": event.id, "region_id": t.id, "named": True} for t in townships],
    )
    village_ids = session.scalars(
        select(Region.id)
        .where(Region.parent_id.in_([t.id for t in townships]))
        .order_by(Region.code)
    ).all()
    reports = [
        {
            "event_id": event.id,
            "region_id": region_id,
            "kind": "initial" if serial == 1 else "update",
            "occurred_at": SEEDED_AT + timedelta(hours=serial),
            "submitted_at": SEEDED_AT + timedelta(hours=serial),
            "submitted_by_id": staff.id,
            "note": "",
            "is_correction": False,
            **village_figures(number, serial),
        }
        for serial in range(REPORTS_PER_VILLAGE, 0, -1)
        for number, region_id in enumerate(village_ids)
    ]
    session.execute(insert(DisasterReport), reports)


def _event_id() -> int:
    event_id = db.session.scalar(select(DisasterEvent.id).where(DisasterEvent.name == EVENT_NAME))
    db.session.remove()
    return event_id


def product_summary(backend: Backend) -> Values:
    headers = bearer(access_token(backend, STAFF))
    path = f"/api/v1/disaster-events/{_event_id()}/summary"
    check = urllib.request.Request(backend.product.base_url + path, headers=dict(headers))
    with urllib.request.urlopen(check, timeout=60) as answer:
        summary = json.load(answer)
    got = summary["totals"]["affected_population"]
    if got != EXPECTED_AFFECTED or len(summary["children"]) != TOWNSHIPS:
        raise BenchError(f"roll-up: {got} affected over {len(summary['children'])} townships")
    return http_load(backend.product, [load.Request("GET", path, headers=headers)], backend.mode)


def ceiling_rollup(backend: Backend) -> Values:
    request = load.Request("GET", f"/rollup/{_event_id()}")
    return http_load(backend.ceiling, [request], backend.mode)


MEASUREMENTS = (
    Measurement("product.disaster_rollup", product_summary),
    Measurement("ceiling.rollup", ceiling_rollup),
)
FIGURES = (
    Figure(
        "disaster roll-up, 1,000 villages × 10 reports",
        "req/s",
        product=("product.disaster_rollup", "rate"),
        ceiling=("ceiling.rollup", "rate"),
        min_ratio=0.5,
    ),
)
SEEDS = (seed,)
