"""The registry of programmes: each is declared in a module of its own and listed
here; importing this package registers them with the case engine (`workflow`).

A third programme: see CONTRIBUTING.md, "Adding a programme".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from backend.services import workflow
from backend.services.programmes import dibao, elderly

PROGRAMMES: tuple[workflow.Programme, ...] = (dibao.PROGRAMME, elderly.PROGRAMME)

for _programme in PROGRAMMES:
    workflow.register(_programme)


def all_actions() -> tuple[str, ...]:
    """Every action some programme offers to people (what a request may name)."""
    return tuple(sorted({action for p in PROGRAMMES for action in p.actions}))


def transition_named(action: str) -> workflow.Transition | None:
    """The first row of `action` in any programme (rows of one action agree on `data`
    and `fresh`, in every programme)."""
    return next((t for p in PROGRAMMES if (t := p.transition_named(action))), None)


def batch_actions() -> frozenset[str]:
    """What the county may take on a whole page at once: each case is still checked alone."""
    return frozenset(action for p in PROGRAMMES for action in p.batch_actions)


def run_daily_rules(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: every programme's own date rules, in the order each declares them;
    the result of each under its dotted path ("module:function")."""
    results: dict[str, Any] = {}
    for programme in PROGRAMMES:
        for rule in programme.daily_rules:
            results[f"{rule.__module__}:{rule.__name__}"] = rule(session, day)
            session.flush()
    return results
