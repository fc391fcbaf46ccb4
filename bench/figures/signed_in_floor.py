"""The product's floor: a signed-in caller asking who they are (`GET /api/v1/me`).

It is the least any request behind the sign-in does: verify the JWT, ask the database
once whether the token is revoked and who its account is, dump one small answer. Shown
beside each ceiling a signed-in figure is held to: the ratio is the most any endpoint
behind the sign-in could reach, were its own work free.

Its own ceiling is the same work by hand (`/me` of `bench.ceiling_app`): PyJWT
verifying the HS256 token, one SELECT for the revocation and the account with its
region, the phone decrypted with the same Fernet key and masked, the same answer.
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


def who_am_i_by_hand(backend: Backend) -> Values:
    headers = bearer(access_token(backend, STAFF))
    return http_load(backend.ceiling, [load.Request("GET", "/me", headers=headers)], backend.mode)


MEASUREMENTS = (
    Measurement("product.signed_in_floor", who_am_i),
    Measurement("ceiling.same_work.me", who_am_i_by_hand),
)
SAME_WORK = Figure(
    "GET /api/v1/me beside the same work by hand",
    "req/s",
    product=("product.signed_in_floor", "rate"),
    ceiling=("ceiling.same_work.me", "rate"),
    min_ratio=0.4,
)
FIGURES = (
    SAME_WORK,
    *(
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
    ),
)
SEEDS = ()
