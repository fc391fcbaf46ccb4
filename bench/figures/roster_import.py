"""免申即享 roster import: a county hukou roster of eligible people enrolled by one RQ
worker (rows/s from the job's start to its end), beside the same physical work written
by hand on the raw driver (the same file read, the same checks of each identity number,
the same blind index and Fernet encryption, one lookup per table and one bulk INSERT
per chunk into the same table, the counters moved and committed per chunk), and the
bare driver inserting the rows alone as a reference."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import sys
import time
import unicodedata
from datetime import date, timedelta
from itertools import islice

from redis import Redis
from sqlalchemy import BigInteger, Column, Integer, Numeric, String, Table, delete, func, select
from stdnum.cn import ric

from backend.config import PROJECT_ROOT
from backend.extensions import db
from backend.models import Entitlement, RosterImport
from backend.services import clock, elderly_roster, regions
from backend.services.crypto import current_cipher
from backend.services.storage import storage
from bench.ceilings import drain_rate
from bench.core import Backend, BenchError, Figure, Measurement, Values
from bench.data import bench_metadata

VILLAGES = ("990101001000", "990101002000", "990102001000", "990103001000")
CHUNK = 1000  # rows per executemany on the bare side, as the product's chunks

bench_roster = Table(
    "bench_roster",
    bench_metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("name", String(30), nullable=False),
    Column("id_number", String(18), nullable=False),
    Column("village_code", String(12), nullable=False),
    Column("monthly_amount", Numeric(12, 2), nullable=False),
)

# The same-work ceiling's counters, as the product's import row.
bench_roster_run = Table(
    "bench_roster_run",
    bench_metadata,
    Column("id", Integer, primary_key=True),
    Column("rows_done", Integer, nullable=False),
    Column("enrolled", Integer, nullable=False),
)


def _people(seed: int):
    """(name, identity number) of people aged 90–105, never twice in a run."""
    chooser, seen = random.Random(seed), set()
    while True:
        born = date(1921, 1, 1) + timedelta(days=chooser.randrange(15 * 365))
        body = f"990101{born:%Y%m%d}{chooser.randrange(1000):03d}"
        if body not in seen:
            seen.add(body)
            yield "李秀兰", body + ric.calc_check_digit(body + "?")


_roster_people = _people(20261204)


def rows(count: int) -> list[tuple[str, str, str]]:
    return [(*next(_roster_people), VILLAGES[i % len(VILLAGES)]) for i in range(count)]


def roster_file(people: list[tuple[str, str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "id_number", "village_code", "hukou_type", "alive"])
    writer.writerows([name, number, village, "农村", "是"] for name, number, village in people)
    return out.getvalue().encode()


def product(backend: Backend) -> Values:
    """The roster uploaded as the county would, then imported by `flask worker --burst`."""
    count = backend.mode.roster_rows
    roster = elderly_roster.create(
        db.session,
        county=regions.get_by_code(db.session, "990100000000"),
        data=roster_file(rows(count)),
        file_name="bench-roster.csv",
        store=storage(),
        today=clock.today(),
    )
    db.session.commit()
    import_id = roster.id
    elderly_roster.request_run(import_id)
    subprocess.run(
        [sys.executable, "-m", "flask", "worker", "--burst", "--queues", "default"],
        env=backend.env,
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=3600,
    )
    db.session.remove()
    done = db.session.get(RosterImport, import_id)
    enrolled = db.session.scalar(
        select(func.count(Entitlement.id)).where(Entitlement.created_at >= done.created_at)
    )
    if (done.status, done.enrolled, enrolled) != ("done", count, count):
        raise BenchError(f"roster import: {done.status}, {done.enrolled} of {count} enrolled")
    db.session.remove()
    jobs_per_second = drain_rate(Redis.from_url(backend.redis_url), [f"roster-import-{import_id}"])
    return {"rate": count * jobs_per_second}


def bare_insert(backend: Backend) -> Values:
    """The same number of rows through the raw driver: executemany in chunks, one commit."""
    people = rows(backend.mode.roster_rows)
    values = [(name, number, village, "100.00") for name, number, village in people]
    statement = "INSERT INTO bench_roster (name, id_number, village_code, monthly_amount) " + (
        "VALUES (?, ?, ?, ?)" if db.engine.dialect.name == "sqlite" else "VALUES (%s, %s, %s, %s)"
    )
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        for first in range(0, len(values), CHUNK):
            cursor.executemany(statement, values[first : first + CHUNK])
        connection.commit()
        elapsed = time.perf_counter() - started
        cursor.close()
    finally:
        connection.close()
    with db.engine.begin() as cleanup:
        cleanup.execute(delete(bench_roster))
    return {"rate": len(values) / elapsed}


ID_NUMBER = re.compile(r"[1-9]\d{16}[\dX]")
ENTITLEMENT_COLUMNS = (
    "program, region_id, person_name, person_id_cipher, person_id_index, birth_month,"
    " band_min_age, monthly_amount, from_month, start_reason, created_at"
)


def _checked(name: str, number: str, today: date) -> tuple[str, str, date] | None:
    """The name and number as the product checks them, and the birth date."""
    name = unicodedata.normalize("NFC", name.strip())
    number = number.strip().upper()
    if not (1 <= len(name) <= 30 and ID_NUMBER.fullmatch(number)):
        return None
    born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    if born > today or ric.calc_check_digit(number) != number[-1]:
        return None
    return name, number, born


def _band(bands: list[tuple[int, str]], born: date, today: date) -> tuple[int, str] | None:
    age = today.year - born.year - ((today.month, 1) < (born.month, born.day))
    return next(((low, amount) for low, amount in bands if age >= low), None)


def same_work(backend: Backend) -> Values:
    """The product's import written by hand, in process on the raw driver."""
    data = roster_file(rows(backend.mode.roster_rows))
    cipher, today, now = current_cipher(), clock.today(), clock.now()
    month = f"{today:%Y-%m}"
    marker = "?" if db.engine.dialect.name == "sqlite" else "%s"
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT max(id) FROM entitlement")
        before = cursor.fetchone()[0] or 0
        cursor.execute("INSERT INTO bench_roster_run VALUES (1, 0, 0)")
        connection.commit()
        started = time.perf_counter()
        cursor.execute(
            f"SELECT code, id FROM region WHERE code IN ({', '.join([marker] * 4)})", VILLAGES
        )
        villages = dict(cursor.fetchall())
        cursor.execute(
            "SELECT min_age, monthly_amount FROM elderly_band WHERE effective_from <= "
            f"{marker} ORDER BY min_age DESC",
            (today,),
        )
        bands = cursor.fetchall()
        reader = csv.reader(io.StringIO(data.decode()))
        next(reader)
        done = enrolled = 0
        while chunk := list(islice(reader, CHUNK)):
            people = []
            for name, number, village, _hukou, _alive in chunk:
                checked = _checked(name, number, today)
                if checked is not None and village in villages:
                    people.append((*checked, villages[village], cipher.blind_index(checked[1])))
            indexes = [person[4] for person in people]
            places = ", ".join([marker] * len(indexes))
            cursor.execute(
                "SELECT person_id_index FROM entitlement WHERE program = 'elderly_allowance'"
                f" AND to_month IS NULL AND person_id_index IN ({places})",
                indexes,
            )
            running = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT person_id_index FROM death_record WHERE person_id_index IN ({places})",
                indexes,
            )
            dead = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT id FROM user_account WHERE id_number_index IN ({places})", indexes
            )
            cursor.fetchall()
            values = []
            for name, number, born, region_id, index in people:
                band = _band(bands, born, today)
                if band is None or index in running or index in dead:
                    continue
                values.append(
                    (
                        "elderly_allowance",
                        region_id,
                        name,
                        cipher.encrypt(number),
                        index,
                        f"{born:%Y-%m}",
                        band[0],
                        band[1],
                        month,
                        "roster",
                        now,
                    )
                )
            cursor.executemany(
                f"INSERT INTO entitlement ({ENTITLEMENT_COLUMNS})"
                f" VALUES ({', '.join([marker] * 11)})",
                values,
            )
            done, enrolled = done + len(chunk), enrolled + len(values)
            cursor.execute(
                f"UPDATE bench_roster_run SET rows_done = {marker}, enrolled = {marker}"
                " WHERE id = 1",
                (done, enrolled),
            )
            connection.commit()
        elapsed = time.perf_counter() - started
        if enrolled != backend.mode.roster_rows:
            raise BenchError(f"roster same work: {enrolled} of {backend.mode.roster_rows}")
        cursor.execute(f"DELETE FROM entitlement WHERE id > {marker}", (before,))
        cursor.execute("DELETE FROM bench_roster_run")
        connection.commit()
        cursor.close()
    finally:
        connection.close()
    return {"rate": done / elapsed}


MEASUREMENTS = (
    Measurement("product.roster_import", product),
    Measurement("ceiling.same_work.roster_import", same_work),
    Measurement("ceiling.bulk_insert", bare_insert),
)
FIGURES = (
    Figure(
        "roster import, eligible people enrolled by one worker",
        "rows/s",
        product=("product.roster_import", "rate"),
        ceiling=("ceiling.same_work.roster_import", "rate"),
        min_ratio=0.3,
    ),
    Figure(
        "roster import beside the bare driver inserting the rows alone",
        "rows/s",
        product=("product.roster_import", "rate"),
        ceiling=("ceiling.bulk_insert", "rate"),
    ),
)
SEEDS = ()
