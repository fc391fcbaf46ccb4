"""免申即享 roster import: a county hukou roster of eligible people enrolled by one RQ
worker (rows/s from the job's start to its end), beside the bare driver inserting the
same rows in bulk in one transaction."""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
import time
from datetime import date, timedelta

from redis import Redis
from sqlalchemy import BigInteger, Column, Integer, Numeric, String, Table, delete, func, select
from stdnum.cn import ric

from backend.config import PROJECT_ROOT
from backend.extensions import db
from backend.models import Entitlement, RosterImport
from backend.services import clock, elderly_roster, regions
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


MEASUREMENTS = (
    Measurement("product.roster_import", product),
    Measurement("ceiling.bulk_insert", bare_insert),
)
FIGURES = (
    Figure(
        "roster import, eligible people enrolled by one worker",
        "rows/s",
        product=("product.roster_import", "rate"),
        ceiling=("ceiling.bulk_insert", "rate"),
        min_ratio=0.3,
    ),
)
SEEDS = ()
