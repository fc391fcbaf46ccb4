"""The demo county (README: demo accounts): regions, accounts, standards, bands, a registry office.

Idempotent: running it again changes nothing that exists. Refused in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import Forbidden
from backend.models import (
    AreaType,
    DibaoStandard,
    ElderlyBand,
    Region,
    RegionLevel,
    RegistryOffice,
    Role,
    StandardUnit,
)
from backend.services import clock, regions, users
from backend.services.marriage import slots

DEMO_PASSWORD = "Demo@2026"
COUNTY = ("990100000000", "示范县")
TOWNSHIPS = {
    "990101000000": ("城关镇", ["东街社区", "西街社区", "南关村"]),
    "990102000000": ("河口乡", ["河口村", "柳湾村", "石桥村"]),
    "990103000000": ("山前乡", ["山前村", "杏树村", "岭后村"]),
}
STANDARDS_FROM = date(2026, 1, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    name: str
    region_code: str
    phone: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", Role.ADMIN, "系统管理员", "990100000000", "13800000001"),
    DemoAccount("county01", Role.COUNTY_STAFF, "县民政局王科长", "990100000000", "13800000002"),
    DemoAccount("town01", Role.TOWNSHIP_STAFF, "城关镇民政办李敏", "990101000000", "13800000003"),
    DemoAccount("town02", Role.TOWNSHIP_STAFF, "河口乡民政办张伟", "990102000000", "13800000004"),
    DemoAccount("town03", Role.TOWNSHIP_STAFF, "山前乡民政办刘洋", "990103000000", "13800000005"),
    DemoAccount("agent0101", Role.AGENT, "东街社区代办员陈静", "990101001000", "13800000006"),
    DemoAccount("agent0201", Role.AGENT, "河口村代办员赵强", "990102001000", "13800000007"),
    DemoAccount("registrar01", Role.REGISTRAR, "婚姻登记员孙丽", "990100000000", "13800000008"),
    DemoAccount(
        "officer0101",
        Role.DISASTER_OFFICER,
        "东街社区灾害信息员周军",
        "990101001000",
        "13800000009",
    ),
    DemoAccount(
        "officer01", Role.DISASTER_OFFICER, "城关镇灾害信息员吴涛", "990101000000", "13800000010"
    ),
    DemoAccount(
        "officer00",
        Role.DISASTER_OFFICER,
        "县应急管理局灾害信息员郑红",
        "990100000000",
        "13800000011",
    ),
)


class DemoRefused(Forbidden):
    pass


def seed_demo(session: Session, app_env: str) -> dict[str, int]:
    """Create whatever of the demo county is missing; return how many rows were added."""
    if app_env == "production":
        raise DemoRefused("生产环境不能加载演示数据")
    county = _seed_regions(session)
    added = {
        "accounts": _seed_accounts(session),
        "standards": _seed_standards(session, county),
        "offices": _seed_office(session, county),
    }
    session.flush()
    return added


def _seed_regions(session: Session) -> Region:
    county = regions.ensure_region(session, *COUNTY, RegionLevel.COUNTY)
    for township_code, (township_name, villages) in TOWNSHIPS.items():
        township = regions.ensure_region(
            session, township_code, township_name, RegionLevel.TOWNSHIP, county
        )
        for number, village_name in enumerate(villages, start=1):
            village_code = f"{township_code[:6]}{number:03d}000"
            regions.ensure_region(
                session, village_code, village_name, RegionLevel.VILLAGE, township
            )
    return county


def _seed_accounts(session: Session) -> int:
    added = 0
    for account in DEMO_ACCOUNTS:
        if users.find_by_username(session, account.username):
            continue
        users.create_user(
            session,
            role=account.role,
            name=account.name,
            username=account.username,
            password=DEMO_PASSWORD,
            phone=account.phone,
            region=regions.get_by_code(session, account.region_code),
        )
        added += 1
    return added


def _seed_standards(session: Session, county: Region) -> int:
    wanted = [
        DibaoStandard(
            county_id=county.id,
            area_type=AreaType.URBAN,
            amount=Decimal("528.00"),
            unit=StandardUnit.MONTHLY,
            effective_from=STANDARDS_FROM,
        ),
        DibaoStandard(
            county_id=county.id,
            area_type=AreaType.RURAL,
            amount=Decimal("4310.00"),
            unit=StandardUnit.YEARLY,
            effective_from=STANDARDS_FROM,
        ),
        ElderlyBand(
            county_id=county.id,
            min_age=90,
            max_age=99,
            monthly_amount=Decimal("100.00"),
            effective_from=STANDARDS_FROM,
        ),
        ElderlyBand(
            county_id=county.id,
            min_age=100,
            max_age=None,
            monthly_amount=Decimal("300.00"),
            effective_from=STANDARDS_FROM,
        ),
    ]
    added = 0
    for row in wanted:
        model = type(row)
        key = (
            (model.area_type == row.area_type)
            if model is DibaoStandard
            else (model.min_age == row.min_age)
        )
        exists = session.scalar(
            select(model.id).where(
                model.county_id == row.county_id, key, model.effective_from == row.effective_from
            )
        )
        if exists is None:
            session.add(row)
            added += 1
    return added


def _seed_office(session: Session, county: Region) -> int:
    """The office, and am/pm slots of 20 on the working days bookable from tomorrow
    to the end of its booking window (a month); generating again adds nothing."""
    name = "示范县婚姻登记处"
    office = session.scalar(select(RegistryOffice).where(RegistryOffice.name == name))
    added = 0
    if office is None:
        office = RegistryOffice(
            name=name,
            region_id=county.id,
            address="示范县人民路1号便民服务中心二楼",
            phone="0990-1234567",
            am_capacity=20,
            pm_capacity=20,
            max_days_ahead=30,
        )
        session.add(office)
        session.flush()
        added = 1
    tomorrow = clock.today() + timedelta(days=1)
    slots.generate(session, office, tomorrow, tomorrow + timedelta(days=office.max_days_ahead - 1))
    return added
