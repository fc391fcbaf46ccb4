"""One idempotent daily task runs every date-driven rule (publicity ends, re-reviews
fall due, bands change, cooling-off lapses, …) for a given Shanghai date.

Rules are listed by dotted path ("module:function"), each `rule(session, day) -> dict`,
so that this module imports no domain and an operator can re-run any past date.
"""

from __future__ import annotations

import logging
from datetime import date
from importlib import import_module
from typing import Any

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

DAILY_RULES: tuple[str, ...] = (
    "backend.services.workdays:check_next_year_known",
    "backend.services.marriage.booking:mark_past_no_shows",
    "backend.services.marriage.cooling_off:lapse",
    "backend.services.programmes:run_daily_rules",  # each programme's own (公示, 复核, …)
    "backend.services.elderly_daily:move_bands",
    "backend.services.liveness:stop_missed",
    "backend.services.disaster_alerts:remind_updates",
    "backend.services.disaster_photos:forget_unsent",
    "backend.services.otp:purge_expired",
    "backend.services.audit:prune",
    "backend.services.idempotency:purge_expired",
    "backend.services.tokens:purge_expired",
)


def load_rule(path: str):
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def run_daily(session: Session, day: date) -> dict[str, Any]:
    results: dict[str, Any] = {"date": day.isoformat()}
    for path in DAILY_RULES:
        results[path] = load_rule(path)(session, day)
        session.flush()
        log.info("daily rule %s for %s: %s", path, day, results[path])
    return results
