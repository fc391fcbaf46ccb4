"""Elderly allowance fixtures: people born on a given day, the demo county, a person."""

from datetime import date

import pytest
from stdnum.cn import ric

from backend.extensions import db
from backend.services import regions
from backend.services.crypto import current_cipher
from backend.services.entitlements import Person


def born(birth: date, serial: int = 1) -> str:
    """A valid identity number of someone born on `birth` in the demo county."""
    body = f"990101{birth:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def county(demo):
    return regions.get_by_code(db.session, "990100000000")


@pytest.fixture
def village(demo):
    return regions.get_by_code(db.session, "990101001000")


@pytest.fixture
def person(village):
    """person(birth, serial=1, birth_month=True) -> an entitlements.Person of the village."""

    def make(birth: date, serial: int = 1, elderly: bool = True) -> Person:
        id_number = born(birth, serial)
        cipher = current_cipher()
        return Person(
            name="李大爷",
            id_cipher=cipher.encrypt(id_number),
            id_index=cipher.blind_index(id_number),
            region_id=village.id,
            birth_month=f"{birth:%Y-%m}" if elderly else None,
        )

    return make


ROSTER_HEADER = ["name", "id_number", "village_code", "hukou_type", "alive"]


def roster_csv(*rows: list, header: list | None = None, encoding: str = "utf-8") -> bytes:
    """A roster file: the header, then one line per row."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or ROSTER_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def roster_xlsx(*rows: list, header: list | None = None) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header or ROSTER_HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def run_roster(county):
    """run_roster(data, today=...) -> the finished RosterImport, run in this process."""
    from backend.services import elderly_roster
    from backend.services.storage import storage

    def run(data: bytes, today: date = date(2026, 6, 10), name: str = "roster.csv"):
        roster = elderly_roster.create(
            db.session, county=county, data=data, file_name=name, store=storage(), today=today
        )
        db.session.commit()
        return elderly_roster.run(db.session, roster.id, storage(), db.session.commit)

    return run


def enrol(someone: Person, amount: str = "100.00", from_month: str = "2026-03"):
    """Pay `someone` 高龄津贴 from `from_month`, as the roster does."""
    from decimal import Decimal

    from backend.models import EntitlementReason
    from backend.services import entitlements

    return entitlements.start(
        db.session,
        program="elderly_allowance",
        person=someone,
        monthly_amount=Decimal(amount),
        from_month=from_month,
        reason=EntitlementReason.ROSTER,
    )
