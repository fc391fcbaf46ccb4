"""Product figures, one module each, listed in FIGURE_MODULES.

A figure module declares `MEASUREMENTS` (what to run on the product's server),
`FIGURES` (rows of the table: product value ÷ ceiling value, target) and `SEEDS`
(bulk data it needs, cached with the database). A module joins the list when the
endpoint it measures has landed, never before: a row is never faked.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from stdnum.cn import ric

from backend.extensions import db
from backend.services.users import find_by_username
from bench.core import Backend

FIGURE_MODULES = (
    "bench.figures.create_application",
    "bench.figures.staff_queue",
    "bench.figures.booking_rush",
    "bench.figures.attachments",
    "bench.figures.signed_in_floor",
    "bench.figures.disaster_rollup",
    "bench.figures.roster_import",
)


def access_token(backend: Backend, username: str) -> str:
    """A fresh access token for a demo account, signed with the servers' JWT secret."""
    from flask_jwt_extended import create_access_token

    user = find_by_username(db.session, username)
    token = create_access_token(user)
    db.session.remove()
    return token


def id_numbers(seed: int, male: bool | None = None) -> Iterator[str]:
    """Valid identity numbers (GB 11643-1999) of adults born 1940–1990, never twice.

    `male` fixes the sex (17th digit odd for men, even for women).
    """
    chooser, seen = random.Random(seed), set()
    while True:
        born = date(1940, 1, 1) + timedelta(days=chooser.randrange(50 * 365))
        sequence = chooser.randrange(1000)
        if male is not None:
            sequence = sequence - sequence % 2 + (1 if male else 0)
        body = f"110105{born:%Y%m%d}{sequence:03d}"
        if body not in seen:
            seen.add(body)
            yield body + ric.calc_check_digit(body + "?")  # it skips the last character
