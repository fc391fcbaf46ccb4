"""The county staff's queue: pages of 20 of 1,000,000 cases, against the keyset SELECT.

The cases are seeded in bulk SQL from a pool of 1,000 applicants encrypted by the
product's own cipher, so that listing them decrypts and masks real ciphertext.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import Column, Date, Integer, LargeBinary, String, Table, insert, literal, select
from sqlalchemy.orm import Session

from backend.api.pagination import encode_cursor
from backend.extensions import db
from backend.models import Application, ApplicationEvent, Region, RegionLevel
from backend.services.crypto import current_cipher
from backend.services.users import find_by_username
from bench import load
from bench.ceilings import page_positions
from bench.core import Backend, Check, Figure, Measurement, Values
from bench.data import SEEDED_AT, bench_metadata, series
from bench.figures import access_token, id_numbers
from bench.measure import bearer, http_load

STAFF, AGENT = "county01", "agent0101"
POOL = 1000
NAMES = ("王秀英", "李建国", "张桂兰", "刘志强", "陈玉梅", "杨德明", "赵淑珍", "黄永福")
STATUSES = ("draft", "submitted", "accepted", "investigated", "publicizing", "approved")
RUNNING = {"accepted", "investigated", "publicizing"}  # the office owes an answer by a deadline

bench_applicant = Table(
    "bench_applicant",
    bench_metadata,
    Column("k", Integer, primary_key=True),
    Column("name", String(30), nullable=False),
    Column("id_cipher", LargeBinary, nullable=False),
    Column("id_index", String(64), nullable=False),
    Column("phone_cipher", LargeBinary, nullable=False),
    Column("region_id", Integer, nullable=False),
    Column("type", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("deadline", Date),
)


def seed(session: Session, rows: int) -> None:
    """`rows` cases (and their creation events), submitted by an agent over every village."""
    villages = session.scalars(select(Region.id).where(Region.level == RegionLevel.VILLAGE)).all()
    agent = find_by_username(session, AGENT)
    cipher, numbers, chooser = current_cipher(), id_numbers(1000), random.Random(1000)
    pool = []
    for k in range(POOL):
        id_number = next(numbers)
        pool.append(
            {
                "k": k,
                "name": chooser.choice(NAMES),
                "id_cipher": cipher.encrypt(id_number),
                "id_index": cipher.blind_index(id_number),
                "phone_cipher": cipher.encrypt(f"139{chooser.randrange(10**8):08d}"),
                "region_id": villages[k % len(villages)],
                "type": "dibao" if k % 4 else "elderly_allowance",
                "status": STATUSES[k % len(STATUSES)],
                "deadline": (
                    SEEDED_AT.date() + timedelta(days=k % 45)
                    if STATUSES[k % len(STATUSES)] in RUNNING
                    else None
                ),
            }
        )
    session.execute(insert(bench_applicant), pool)
    counter = series(rows).subquery()
    person = bench_applicant.alias("person")
    cases = Application.__table__
    session.execute(
        insert(cases).from_select(
            [
                "number",
                "type",
                "status",
                "version",
                "region_id",
                "applicant_name",
                "applicant_id_cipher",
                "applicant_id_index",
                "applicant_phone_cipher",
                "on_behalf",
                "deadline",
                "submitted_by_id",
                "created_at",
                "updated_at",
            ],
            select(
                literal("BENCH") + counter.c.g.cast(String),
                person.c.type,
                person.c.status,
                literal(1),
                person.c.region_id,
                person.c.name,
                person.c.id_cipher,
                person.c.id_index,
                person.c.phone_cipher,
                literal(True),
                person.c.deadline,
                literal(agent.id),
                literal(SEEDED_AT, cases.c.created_at.type),
                literal(SEEDED_AT, cases.c.updated_at.type),
            )
            .join_from(counter, person, person.c.k == counter.c.g % POOL)
            .order_by(counter.c.g),
        )
    )
    events = ApplicationEvent.__table__
    session.execute(
        insert(events).from_select(
            [
                "application_id",
                "action",
                "to_status",
                "actor_id",
                "actor_role",
                "comment",
                "created_at",
            ],
            select(
                cases.c.id,
                literal("create"),
                literal("draft"),
                cases.c.submitted_by_id,
                literal("agent"),
                literal(""),
                cases.c.created_at,
            ),
        )
    )


def cursors(positions: list[int]) -> dict[int, str]:
    """The queue's cursor after each seeded case: in the part with a deadline, ordered by
    it, or in the rest, by id (`applications.QUEUE_ORDER`)."""
    deadlines = dict(
        db.session.execute(
            select(Application.id, Application.deadline).where(Application.id.in_(positions))
        ).all()
    )
    db.session.remove()
    return {
        case_id: encode_cursor([0, deadline, case_id] if deadline else [1, case_id])
        for case_id, deadline in deadlines.items()
    }


def queue_pages(backend: Backend) -> Values:
    headers = bearer(access_token(backend, STAFF))
    positions = page_positions(backend.mode.rows)
    after = cursors(positions)
    paths = [
        f"/api/v1/applications?cursor={after[position]}"
        if position in after
        else "/api/v1/applications"
        for position in positions
    ]
    return http_load(
        backend.product,
        [load.Request("GET", path, headers=headers) for path in paths],
        backend.mode,
    )


MEASUREMENTS = (Measurement("product.staff_queue", queue_pages),)
FIGURES = (
    Figure(
        "staff queue, a page of 20 of all cases",
        "req/s",
        product=("product.staff_queue", "rate"),
        ceiling=("ceiling.select", "rate"),
        min_ratio=0.5,
        checks=(Check("p99_ms", "<", 100, " ms"),),
    ),
)
SEEDS = (seed,)
