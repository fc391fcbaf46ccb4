"""Creating a 低保 application (an agent for a resident) against one INSERT; and the
peak memory of a gunicorn worker under that load."""

from __future__ import annotations

import uuid

from bench import load
from bench.core import Backend, Check, Figure, Measurement, Values
from bench.figures import access_token, id_numbers
from bench.measure import bearer, http_load, json_body

AGENT, VILLAGE = "agent0101", "990101001000"
BODIES_PER_ROUND = 6000  # more than a round sends: every request opens a new case


_numbers = id_numbers(20260302)  # one stream for the whole run: rounds never repeat a person


def bodies(count: int) -> list[str]:
    """Applications of three-person households, each person new to the run."""
    return [json_body(application(*(next(_numbers) for _ in range(3)))) for _ in range(count)]


def application(applicant: str, spouse: str, child: str) -> dict:
    def member(id_number: str, relation: str, income: str) -> dict:
        return {
            "name": "王秀英",
            "id_number": id_number,
            "relation": relation,
            "monthly_income": income,
        }

    return {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": applicant, "phone": "13912345678"},
        "on_behalf": True,
        "household": {
            "area_type": "urban",
            "members": [
                member(applicant, "self", "0"),
                member(spouse, "spouse", "300"),
                member(child, "child", "500"),
            ],
        },
    }


def create(backend: Backend) -> Values:
    headers = bearer(access_token(backend, AGENT))
    requests = [
        load.Request(
            "POST", "/api/v1/applications", body, {**headers, "Idempotency-Key": str(uuid.uuid4())}
        )
        for body in bodies(BODIES_PER_ROUND)
    ]
    return http_load(backend.product, requests, backend.mode)


MEASUREMENTS = (Measurement("product.create_application", create),)
FIGURES = (
    Figure(
        "create a 低保 application",
        "req/s",
        product=("product.create_application", "rate"),
        ceiling=("ceiling.insert", "rate"),
        min_ratio=0.5,
    ),
    Figure(
        "peak RSS of a gunicorn worker under the create load",
        "MB",
        product=("product.create_application", "rss_mb"),
        ceiling=("ceiling.insert", "rss_mb"),
        checks=(Check("rss_mb", "<", 150, " MB"),),
    ),
)
SEEDS = ()
