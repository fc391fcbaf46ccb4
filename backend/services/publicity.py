"""公示: a case the township approved is posted in its village for `PUBLICITY_DAYS`;
once the period is over it goes to the county for the decision. Each programme
declares what its public notice shows (`Programme.on_notice`); the notice shows only
what the rules allow: masked name, village, amount and dates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from backend.errors import ValidationFailed
from backend.models import Application, Region
from backend.services import regions, workflow
from backend.services.case_states import Status


def end_publicity(session: Session, day: date) -> dict[str, Any]:
    """Daily rule: a case whose publicity ended before `day` goes to the county.

    Idempotent: a moved case is no longer `publicizing`, so a re-run moves nothing.
    """
    due = session.scalars(
        select(Application)
        .where(Application.status == Status.PUBLICIZING, Application.publicity_ends_on < day)
        .order_by(Application.id)
    ).all()
    return {"moved": workflow.advance_each(session, due, "end_publicity", day)}


def notice_status(application: Application) -> str:
    """What the public may know: in publicity, or granted; a re-review under way or a
    gradual exit is the household's own business."""
    return Status.PUBLICIZING if application.status == Status.PUBLICIZING else Status.APPROVED


def notices(session: Session, program: str, region_code: str) -> Select:
    """The cases of `program` on the public notice in the region's subtree (paged by
    the caller)."""
    on_notice = workflow.programme_of(program).on_notice
    if not on_notice:
        raise ValidationFailed.field("program", "该项目不公示")
    region = regions.get_by_code(session, region_code)
    return (
        select(Application)
        .options(joinedload(Application.region))
        .where(
            Application.type == program,
            Application.status.in_(on_notice),
            Application.region_id.in_(select(Region.id).where(regions.subtree_condition(region))),
        )
    )
