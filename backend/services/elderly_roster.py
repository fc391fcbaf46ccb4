"""免申即享: the county imports its hukou roster and every eligible person is enrolled
in 高龄津贴 without applying.

Columns (English or Chinese headers, any order): name 姓名, id_number 身份证号,
village_code 村(社区)代码, hukou_type 户口类型, alive 是否健在. Rows are read in chunks;
each chunk is checked in Python, looked up with one query per table and written with
bulk statements, then committed with the import's counters by the caller: a killed
run resumes after `rows_done`. Each row is all or nothing (one entitlement, or one
death record with its payments ended); a bad row is recorded with its number and
reason and never stops the import. Importing the same file again changes nothing:
those already enrolled are skipped, deaths already recorded too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any
from uuid import uuid4

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import DomainError, ValidationFailed
from backend.jobs.queue import enqueue
from backend.models import (
    ApplicationType,
    DeathRecord,
    DeathSource,
    ElderlyBand,
    Entitlement,
    EntitlementReason,
    Region,
    RegionLevel,
    Role,
    RosterImport,
    RosterImportError,
    RosterImportStatus,
    User,
)
from backend.services import clock, deaths, elderly_bands, months, notifications, regions
from backend.services.crypto import FieldCipher, current_cipher
from backend.services.identity import clean_name, parse_id_number
from backend.services.scope import Scope
from backend.services.storage import Storage

PROGRAM = ApplicationType.ELDERLY_ALLOWANCE
CHUNK_ROWS = 1000
IMPORTERS = frozenset({Role.COUNTY_STAFF})
SCOPE = Scope(region_id=RosterImport.county_id, roles=frozenset({Role.COUNTY_STAFF, Role.ADMIN}))

HEADERS = {
    "name": ("name", "姓名"),
    "id_number": ("id_number", "identity_number", "身份证号", "公民身份号码", "身份证号码"),
    "village_code": ("village_code", "村代码", "村(社区)代码", "村(社区)代码", "区划代码"),
    "hukou_type": ("hukou_type", "户口类型", "户籍类型"),
    "alive": ("alive", "是否健在", "健在"),
}
HUKOU_TYPES = frozenset(
    {"urban", "rural", "城镇", "农村", "非农业", "农业", "非农业户口", "农业户口"}
)
ALIVE = {"true": True, "1": True, "yes": True, "y": True, "是": True, "健在": True}
ALIVE.update({"false": False, "0": False, "no": False, "n": False, "否": False, "死亡": False})
ZIP_MAGIC = b"PK\x03\x04"


# Reading the file ---------------------------------------------------------------


def file_format(data: bytes) -> str:
    return "xlsx" if data.startswith(ZIP_MAGIC) else "csv"


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    # Excel in Chinese Windows saves CSV as GBK: try UTF-8 (with or without BOM) first.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    yield from csv.reader(io.StringIO(text))


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationFailed.field(
            "file", "无法读取该 Excel 文件,请另存为 .xlsx 或 CSV"
        ) from None
    try:
        for row in book.active.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def raw_rows(data: bytes, fmt: str) -> Iterator[list[Any]]:
    return _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)


def column_positions(header: list[Any]) -> dict[str, int]:
    """Where each column is; 422 naming `file` when a column is missing."""
    names = [str(cell).strip().lower() if cell is not None else "" for cell in header]
    positions, missing = {}, []
    for column, spellings in HEADERS.items():
        found = next((names.index(s) for s in spellings if s in names), None)
        if found is None:
            missing.append(f"{column}({spellings[-1] if len(spellings) > 1 else column})")
        else:
            positions[column] = found
    if missing:
        raise ValidationFailed.field("file", "名册缺少以下列:" + "、".join(missing))
    return positions


def read_rows(data: bytes, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as the spreadsheet shows it, {column: cell}) for every non-empty row."""
    rows = raw_rows(data, fmt)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed.field("file", "名册为空")
    positions = column_positions(header)
    for number, row in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        yield number, {c: (row[i] if i < len(row) else None) for c, i in positions.items()}


def check_file(data: bytes) -> str:
    """The file's format, once its header has been read; 422 naming `file` otherwise."""
    if not data:
        raise ValidationFailed.field("file", "名册为空")
    fmt = file_format(data)
    rows = raw_rows(data, fmt)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed.field("file", "名册为空")
    column_positions(header)
    return fmt


# Starting and reading an import -------------------------------------------------------


def create(
    session: Session,
    *,
    county: Region,
    data: bytes,
    file_name: str,
    store: Storage,
    today: date,
    uploaded_by: User | None = None,
) -> RosterImport:
    fmt = check_file(data)
    key = f"{uuid4().hex}.roster.{fmt}"
    store.write(key, data)
    roster = RosterImport(
        county_id=county.id,
        uploaded_by_id=uploaded_by.id if uploaded_by else None,
        file_name=(file_name or "roster")[-120:],
        file_format=fmt,
        storage_key=key,
        sha256=hashlib.sha256(data).hexdigest(),
        run_on=today,
        status=RosterImportStatus.PENDING,
    )
    session.add(roster)
    session.flush()
    return roster


def errors_of(session: Session, roster: RosterImport, limit: int | None = None):
    query = (
        select(RosterImportError)
        .where(RosterImportError.import_id == roster.id)
        .order_by(RosterImportError.row, RosterImportError.id)
    )
    return list(session.scalars(query.limit(limit) if limit else query))


def error_report(session: Session, roster: RosterImport) -> str:
    """The bad rows as CSV (with a BOM, so that Excel reads the Chinese)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["行号", "原因"])
    for error in errors_of(session, roster):
        writer.writerow([error.row, error.reason])
    return out.getvalue()


# Running an import ----------------------------------------------------------------


@dataclass
class Context:
    """What every chunk of one import needs, loaded once."""

    roster: RosterImport
    county: Region
    villages: dict[str, int]  # code -> region id, villages of the county only
    bands: list[ElderlyBand]  # in force in `month`
    month: str
    today: date
    cipher: FieldCipher
    seen: dict[str, int] = field(default_factory=dict)  # id index -> first row number


def begin(session: Session, import_id: int, store: Storage) -> tuple[Context, Iterator] | None:
    """Claim the import and position the reader after the rows already done; None when
    it has finished already."""
    roster = session.get(RosterImport, import_id)
    if roster is None or roster.status in (RosterImportStatus.DONE, RosterImportStatus.FAILED):
        return None
    with store.open(roster.storage_key) as stream:
        data = stream.read()
    county = session.get(Region, roster.county_id)
    villages = dict(
        session.execute(
            select(Region.code, Region.id).where(
                regions.subtree_condition(county), Region.level == RegionLevel.VILLAGE
            )
        ).all()
    )
    rows = read_rows(data, roster.file_format)
    if roster.rows_total is None:
        roster.rows_total = sum(1 for _ in read_rows(data, roster.file_format))
    roster.status = RosterImportStatus.RUNNING
    context = Context(
        roster=roster,
        county=county,
        villages=villages,
        bands=list(session.scalars(select(ElderlyBand).where(ElderlyBand.county_id == county.id))),
        month=months.of(roster.run_on),
        today=roster.run_on,
        cipher=current_cipher(),
    )
    return context, islice(rows, roster.rows_done, None)


def chunks(rows: Iterator, size: int | None = None) -> Iterator[list]:
    while chunk := list(islice(rows, size or CHUNK_ROWS)):
        yield chunk


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    id_number: str
    id_index: str
    birth: date
    village_id: int
    alive: bool


class BadRow(Exception):
    pass


def _text(value: Any, column: str, label: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadRow(f"{label}为空")
    if isinstance(value, float):
        raise BadRow(f"{label}应以文本格式填写(不能是数字格式)")
    return str(value).strip()


def parse_row(context: Context, number: int, cells: dict[str, Any]) -> Row:
    """A checked row; BadRow with the reason otherwise."""
    try:
        name = clean_name(_text(cells["name"], "name", "姓名"))
        parsed = parse_id_number(
            _text(cells["id_number"], "id_number", "身份证号"), today=context.today
        )
    except ValidationFailed as error:
        raise BadRow(error.message) from None
    village_code = _text(cells["village_code"], "village_code", "村(社区)代码")
    if village_code not in context.villages:
        raise BadRow(f"村(社区)代码 {village_code[:20]} 不是本县的村(社区),户籍不在本县")
    hukou = _text(cells["hukou_type"], "hukou_type", "户口类型")
    if hukou.lower() not in HUKOU_TYPES:
        raise BadRow(f"户口类型「{hukou[:20]}」无效,应为城镇或农村")
    alive = cells["alive"]
    alive = (
        alive if isinstance(alive, bool) else ALIVE.get(_text(alive, "alive", "是否健在").lower())
    )
    if alive is None:
        raise BadRow("是否健在应填 是 或 否")
    return Row(
        number=number,
        name=name,
        id_number=parsed.value,
        id_index=context.cipher.blind_index(parsed.value),
        birth=parsed.birth_date,
        village_id=context.villages[village_code],
        alive=alive,
    )


@dataclass
class Outcome:
    enrolled: list[dict] = field(default_factory=list)
    skipped: int = 0
    dead: list[Row] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def import_chunk(session: Session, context: Context, chunk: list[tuple[int, dict]]) -> None:
    """Check, look up and write one chunk, and move the counters; the caller commits."""
    roster = context.roster
    outcome = Outcome()
    rows: list[Row] = []
    for number, cells in chunk:
        try:
            row = parse_row(context, number, cells)
        except BadRow as bad:
            outcome.errors.append({"import_id": roster.id, "row": number, "reason": str(bad)})
            continue
        first = context.seen.setdefault(row.id_index, number)
        if first != number:
            outcome.errors.append(
                {"import_id": roster.id, "row": number, "reason": f"与第{first}行身份证号重复"}
            )
            continue
        rows.append(row)
    _sort(session, context, rows, outcome)
    _write(session, context, outcome)
    roster.rows_done += len(chunk)
    roster.enrolled += len(outcome.enrolled)
    roster.skipped += outcome.skipped
    roster.deaths += len(outcome.dead)
    roster.error_count += len(outcome.errors)
    by_village = dict(roster.enrolled_by_village or {})
    for values in outcome.enrolled:
        key = str(values["region_id"])
        by_village[key] = by_village.get(key, 0) + 1
    roster.enrolled_by_village = by_village
    session.flush()


def _sort(session: Session, context: Context, rows: list[Row], outcome: Outcome) -> None:
    """Decide each checked row with one lookup per table for the whole chunk."""
    indexes = [row.id_index for row in rows]
    running = set(
        session.scalars(
            select(Entitlement.person_id_index).where(
                Entitlement.program == PROGRAM,
                Entitlement.person_id_index.in_(indexes),
                Entitlement.to_month.is_(None),
            )
        )
    )
    dead = set(
        session.scalars(
            select(DeathRecord.person_id_index).where(DeathRecord.person_id_index.in_(indexes))
        )
    )
    for row in rows:
        if not row.alive:
            if row.id_index in dead:
                outcome.skipped += 1
            else:
                outcome.dead.append(row)
            continue
        if row.id_index in dead:
            outcome.errors.append(
                {"import_id": context.roster.id, "row": row.number, "reason": "此人已登记死亡"}
            )
            continue
        age = elderly_bands.age_in_month(row.birth, context.month)
        band = elderly_bands.band_of_age(context.bands, age)
        if row.id_index in running or band is None:
            outcome.skipped += 1
            continue
        outcome.enrolled.append(_entitlement(context, row, band))


def _entitlement(context: Context, row: Row, band: ElderlyBand) -> dict:
    return {
        "program": PROGRAM,
        "application_id": None,
        "region_id": row.village_id,
        "person_name": row.name,
        "person_id_cipher": context.cipher.encrypt(row.id_number),
        "person_id_index": row.id_index,
        "birth_month": months.of(row.birth),
        "band_min_age": band.min_age,
        "monthly_amount": band.monthly_amount,
        "from_month": context.month,
        "start_reason": EntitlementReason.ROSTER,
        "created_at": clock.now(),
    }


def _write(session: Session, context: Context, outcome: Outcome) -> None:
    if outcome.enrolled:
        try:
            with session.begin_nested():
                session.execute(insert(Entitlement.__table__), outcome.enrolled)
        except IntegrityError:
            # Someone was enrolled meanwhile (an application approved): row by row.
            outcome.enrolled = _insert_one_by_one(session, outcome)
    for row in outcome.dead:
        try:
            with session.begin_nested():
                deaths.record(
                    session,
                    name=row.name,
                    id_number=row.id_number,
                    village=session.get(Region, row.village_id),
                    died_on=None,
                    today=context.today,
                    source=DeathSource.ROSTER,
                    roster_import_id=context.roster.id,
                )
        except DomainError as error:
            outcome.errors.append(
                {"import_id": context.roster.id, "row": row.number, "reason": error.message}
            )
    if outcome.errors:
        session.execute(insert(RosterImportError.__table__), outcome.errors)
    _tell_people(session, outcome.enrolled)


def _insert_one_by_one(session: Session, outcome: Outcome) -> list[dict]:
    done = []
    for values in outcome.enrolled:
        try:
            with session.begin_nested():
                session.execute(insert(Entitlement.__table__), [values])
            done.append(values)
        except IntegrityError:
            outcome.skipped += 1
    return done


def _tell_people(session: Session, enrolled: list[dict]) -> None:
    """Those enrolled who have a verified account hear it in their inbox."""
    if not enrolled:
        return
    by_index = {values["person_id_index"]: values for values in enrolled}
    for user in session.scalars(
        select(User).where(User.id_number_index.in_(by_index), User.real_name_verified)
    ):
        values = by_index[user.id_number_index]
        notifications.notify(
            session,
            user,
            "elderly_enrolled",
            {"monthly_amount": f"{values['monthly_amount']}", "from_month": values["from_month"]},
        )


def finish(session: Session, context: Context) -> RosterImport:
    """Mark the import done and tell each village's agents, and the importer."""
    roster = context.roster
    roster.status = RosterImportStatus.DONE
    roster.finished_at = clock.now()
    for region_id, count in (roster.enrolled_by_village or {}).items():
        village = session.get(Region, int(region_id))
        for agent in session.scalars(
            select(User).where(User.region_id == village.id, User.role == Role.AGENT)
        ):
            notifications.notify(
                session,
                agent,
                "elderly_roster_village",
                {"village_name": village.name, "count": count},
            )
    if roster.uploaded_by_id:
        notifications.notify(
            session,
            session.get(User, roster.uploaded_by_id),
            "roster_import_done",
            {
                "roster_import_id": roster.id,
                "file_name": roster.file_name,
                "enrolled": roster.enrolled,
                "skipped": roster.skipped,
                "errors": roster.error_count,
            },
        )
    session.flush()
    return roster


def fail(session: Session, import_id: int, reason: str) -> None:
    roster = session.get(RosterImport, import_id)
    roster.status = RosterImportStatus.FAILED
    roster.failure = reason[:200]
    roster.finished_at = clock.now()


def run(session: Session, import_id: int, store: Storage, commit) -> RosterImport | None:
    """The whole import, committing (`commit()`) after every chunk."""
    started = begin(session, import_id, store)
    if started is None:
        return None
    context, rows = started
    commit()
    for chunk in chunks(rows):
        import_chunk(session, context, chunk)
        commit()
    finish(session, context)
    commit()
    return context.roster


def request_run(import_id: int) -> None:
    """Queue the import (after the row is committed, so the worker finds it)."""
    enqueue("elderly.import_roster", import_id)
