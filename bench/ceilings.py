"""The ceilings: the same stack doing the same physical work with nothing of the product.

HTTP ceilings are served by `bench.ceiling_app` (bare Flask + the raw driver) under the
same gunicorn settings and database as the product; the others run here, on one core.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import time

from PIL import Image, ImageDraw, ImageFilter
from redis import Redis
from rq import Queue
from rq.job import Job
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from backend.config import PROJECT_ROOT
from backend.extensions import db
from backend.models.base import BigId
from bench import DATA_DIR, load
from bench.core import POSTGRESQL, Backend, BenchError, Measurement, Values
from bench.data import SEEDED_AT, bench_metadata, series
from bench.figures.create_application import application
from bench.measure import describe, http_load, json_body, rush

REGIONS = ("990101001000", "990101002000", "990102001000", "990103003000")
STATUSES = ("draft", "submitted", "accepted", "investigated", "approved")

bench_item = Table(  # the 1,000,000 rows the keyset SELECT and the aggregate read
    "bench_item",
    bench_metadata,
    Column("id", BigId, primary_key=True),
    Column("region_code", String(12), nullable=False),
    Column("status", String(30), nullable=False),
    Column("amount", Numeric(12, 2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("payload", Text, nullable=False),
)
bench_insert = Table(
    "bench_insert",
    bench_metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("payload", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
bench_slot = Table(
    "bench_slot",
    bench_metadata,
    Column("id", Integer, primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("booked", Integer, nullable=False),
)
Index("ix_bench_item_region_code", bench_item.c.region_code)

PAGE_POSITIONS = 200  # distinct pages a queue load asks for
PHOTO_SIZE = (4000, 3000)
REVIEW_SIZE = (1600, 1600)
RUSH_SLOT = 1
EMPTY_QUEUE = "bench-empty"
AGGREGATE_REPEATS = 3


def seed(session: Session, rows: int) -> None:
    """`rows` queue-like rows, spread over villages and statuses by their number."""
    numbers = series(rows).subquery()
    g = numbers.c.g
    session.execute(
        insert(bench_item).from_select(
            ["id", "region_code", "status", "amount", "created_at", "payload"],
            select(
                g,
                case(*((g % len(REGIONS) == i, code) for i, code in enumerate(REGIONS))),
                case(*((g % len(STATUSES) == i, s) for i, s in enumerate(STATUSES))),
                (g % 90_000) / literal(100),
                literal(SEEDED_AT, DateTime(timezone=True)),
                literal(json_body(sample_payload())),
            ),
        )
    )
    session.execute(insert(bench_slot).values(id=RUSH_SLOT, capacity=0, booked=0))


def sample_payload() -> dict:
    """A body the size of a real application's (three members), for the INSERT ceiling."""
    return application("11010519491231002X", "440524188001010014", "513101198201130014")


def page_positions(rows: int) -> list[int]:
    """Seeded ids a queue reader starts pages before: the first page, then anywhere."""
    chooser = random.Random(20260302)
    return [rows + 1] + [chooser.randint(21, rows) for _ in range(PAGE_POSITIONS - 1)]


# HTTP ceilings ---------------------------------------------------------------------


def bare_json(backend: Backend) -> Values:
    return http_load(backend.ceiling, [load.Request("GET", "/json")], backend.mode)


def one_insert(backend: Backend) -> Values:
    with db.engine.begin() as connection:  # every round starts from an empty table
        connection.execute(delete(bench_insert))
    body = json_body(sample_payload())
    headers = {"Content-Type": "application/json"}
    return http_load(backend.ceiling, [load.Request("POST", "/items", body, headers)], backend.mode)


def keyset_select(backend: Backend) -> Values:
    requests = [
        load.Request("GET", f"/items?before={position}")
        for position in page_positions(backend.mode.rows)
    ]
    return http_load(backend.ceiling, requests, backend.mode)


def conditional_update(backend: Backend) -> Values:
    """The rush on the raw UPDATE: `attempts` at once for `places`; exactly `places` win."""
    mode = backend.mode
    with db.engine.begin() as connection:
        connection.execute(
            update(bench_slot)
            .where(bench_slot.c.id == RUSH_SLOT)
            .values(capacity=mode.rush_places, booked=0)
        )
    request = load.Request("POST", f"/slots/{RUSH_SLOT}/book")
    result = rush(backend.ceiling, [request], mode.rush_attempts)
    with db.engine.connect() as connection:
        booked = connection.scalar(select(bench_slot.c.booked).where(bench_slot.c.id == RUSH_SLOT))
    if result.count(201) != booked or result.count(201, 409) != result.responses:
        raise BenchError(f"ceiling rush: {booked} booked {describe(result)}")
    return {"rate": result.rate}


# Machine ceilings ------------------------------------------------------------------


def test_photo() -> bytes:
    """A seeded 4000×3000 JPEG that compresses like a photo, cached under bench/.data/."""
    path = DATA_DIR / "photo-4000x3000.jpg"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        chooser = random.Random(4000_3000)
        image = Image.linear_gradient("L").resize(PHOTO_SIZE).convert("RGB")
        draw = ImageDraw.Draw(image)
        for _ in range(400):
            x, y = chooser.randrange(PHOTO_SIZE[0]), chooser.randrange(PHOTO_SIZE[1])
            radius = chooser.randrange(20, 400)
            colour = tuple(chooser.randrange(256) for _ in range(3))
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        image = image.filter(ImageFilter.GaussianBlur(3))
        noise = Image.effect_noise(PHOTO_SIZE, 24).convert("RGB")
        Image.blend(image, noise, 0.15).save(path, "JPEG", quality=90)
    return path.read_bytes()


def review_image(photo: bytes) -> bytes:
    """The raw Pillow work: open, draft (decode at reduced scale), thumbnail, save."""
    with Image.open(io.BytesIO(photo)) as image:
        image.draft("RGB", REVIEW_SIZE)
        image.thumbnail(REVIEW_SIZE)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
    return out.getvalue()


def pillow(backend: Backend) -> Values:
    photo = test_photo()
    started = time.perf_counter()
    for _ in range(backend.mode.images):
        review_image(photo)
    return {"rate": backend.mode.images / (time.perf_counter() - started)}


def empty_jobs(backend: Backend) -> Values:
    """Empty jobs drained by one forking worker (the class `flask worker` runs)."""
    redis = Redis.from_url(backend.redis_url)
    queue = Queue(EMPTY_QUEUE, connection=redis)
    queue.empty()
    jobs = queue.enqueue_many(
        [Queue.prepare_data("bench.empty_job.nothing") for _ in range(backend.mode.jobs)]
    )
    worker = [
        sys.executable,
        "-m",
        "rq.cli",
        "worker",
        "--burst",
        "--quiet",
        "--url",
        backend.redis_url,
        EMPTY_QUEUE,
    ]
    subprocess.run(worker, cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=600)
    return {"rate": drain_rate(redis, [job.id for job in jobs])}


def drain_rate(redis: Redis, job_ids: list[str]) -> float:
    """Jobs per second from the first start to the last end (worker start-up excluded)."""
    jobs = Job.fetch_many(job_ids, connection=redis)
    if any(job is None or job.ended_at is None for job in jobs):
        raise BenchError("not every job finished")
    span = max(j.ended_at for j in jobs) - min(j.started_at for j in jobs)
    for job in jobs:
        job.delete()
    return len(jobs) / span.total_seconds()


def aggregate(backend: Backend) -> Values:
    """One GROUP BY over the whole table, as a roll-up or a payment roll would need."""
    query = select(
        bench_item.c.region_code, bench_item.c.status, func.count(), func.sum(bench_item.c.amount)
    ).group_by(bench_item.c.region_code, bench_item.c.status)
    with db.engine.connect() as connection:
        started = time.perf_counter()
        for _ in range(AGGREGATE_REPEATS):
            connection.execute(query).all()
        elapsed = time.perf_counter() - started
    return {"rate": AGGREGATE_REPEATS / elapsed, "ms": elapsed / AGGREGATE_REPEATS * 1000}


MEASUREMENTS = (
    Measurement("ceiling.json", bare_json),
    Measurement("ceiling.insert", one_insert),
    Measurement("ceiling.select", keyset_select),
    Measurement("ceiling.update", conditional_update, backends=(POSTGRESQL,)),
    Measurement("ceiling.aggregate", aggregate),
    # No database in these two, but they run in PostgreSQL's rounds, interleaved with the
    # attachment pipeline they bound: the machine's load then falls on both alike.
    Measurement("ceiling.pillow", pillow, backends=(POSTGRESQL,)),
    Measurement("ceiling.rq", empty_jobs, backends=(POSTGRESQL,)),
)
TITLES = {
    "ceiling.json": ("bare Flask JSON endpoint", "req/s"),
    "ceiling.insert": ("one INSERT", "req/s"),
    "ceiling.select": ("keyset SELECT of 20 rows", "req/s"),
    "ceiling.update": ("conditional-UPDATE booking rush", "attempts/s"),
    "ceiling.aggregate": ("one SQL aggregate (GROUP BY over the table)", "queries/s"),
    "ceiling.pillow": ("Pillow open+draft+thumbnail+save, one core", "images/s"),
    "ceiling.rq": ("empty RQ job, one forking worker", "jobs/s"),
}
