"""The product's floor: a signed-in caller asking who they are (`GET /api/v1/me`).

It is the least any request behind the sign-in does: verify the JWT, ask the database
once whether the token is revoked and who its account is, dump one small answer. Shown
beside each ceiling a signed-in figure is held to: the ratio is the most any endpoint
behind the sign-in could reach, were its own work free.
"""

from __future__ import annotations

from bench import load
from bench.core import DATABASES, POSTGRESQL, Backend, Figure, Measurement, Values
from bench.figures import access_token
from bench.measure import bearer, http_load

STAFF = "county01"


def who_am_i(backend: Backend) -> Values:
    headers = bearer(access_token(backend, STAFF))
    request = load.Request("GET", "/api/v1/me", headers=headers)
    return http_load(backend.product, [request], backend.mode)


MEASUREMENTS = (Measurement("product.signed_in_floor", who_am_i),)
FIGURES = tuple(
    Figure(
        f"signed-in floor (GET /api/v1/me) beside {beside}",
        "req/s",
        product=("product.signed_in_floor", "rate"),
        ceiling=(ceiling, "rate"),
        backends=backends,
    )
    for beside, ceiling, backends in (
        ("one INSERT", "ceiling.insert", DATABASES),
        ("the keyset SELECT", "ceiling.select", DATABASES),
        ("the UPDATE rush", "ceiling.update", (POSTGRESQL,)),
    )
)
SEEDS = ()
