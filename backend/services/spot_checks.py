"""抽查: the county draws at least 10 % of a township's paid 低保 households (保障中) at
random, with a recorded seed so the draw can be repeated and shown to be fair, and records
what each re-visit found; a household found otherwise goes to re-review. Draws and results
are audited.
"""

from __future__ import annotations

import math
import random
import secrets
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import NotFound, ValidationFailed
from backend.models import Application, Region, RegionLevel, User
from backend.models.spot_check import SpotCheck, SpotCheckCase
from backend.services import audit, clock, regions, workflow
from backend.services.case_states import PAID

MIN_RATIO = Decimal("0.10")


class SpotResult(StrEnum):
    CONFIRMED = "confirmed"  # the household is as approved
    DISCREPANCY = "discrepancy"  # found otherwise: the case goes to re-review


def draw_order(seed: str, case_ids: list[int], size: int) -> list[int]:
    """The sample a seed draws from these cases (sorted first: order of rows is no input)."""
    return sorted(random.Random(seed).sample(sorted(case_ids), size))


def draw(
    session: Session,
    staff: User,
    township_code: str,
    ratio: Decimal,
    seed: str | None = None,
    ip: str | None = None,
) -> SpotCheck:
    township = session.scalar(select(Region).where(Region.code == township_code))
    if township is None or township.level != RegionLevel.TOWNSHIP:
        raise ValidationFailed.field("township", "请选择一个乡镇(街道)")
    if not (staff.region and staff.region.contains(township)):
        raise ValidationFailed.field("township", "只能抽查本县的乡镇(街道)")
    if not MIN_RATIO <= ratio <= 1:
        raise ValidationFailed.field("ratio", "抽查比例应在 0.10 到 1 之间")
    paid = list(
        session.scalars(
            select(Application.id).where(
                Application.type.in_([p.name for p in workflow.programmes() if p.spot_checked]),
                Application.status.in_(PAID),
                Application.region_id.in_(
                    select(Region.id).where(regions.subtree_condition(township))
                ),
            )
        )
    )
    seed = seed or secrets.token_hex(8)
    size = math.ceil(len(paid) * ratio)
    check = SpotCheck(
        township_id=township.id,
        ratio=ratio,
        seed=seed,
        population=len(paid),
        drawn_by_id=staff.id,
        cases=[SpotCheckCase(application_id=i) for i in draw_order(seed, paid, size)],
    )
    session.add(check)
    session.flush()
    audit.record(session, staff, "spot_check.draw", check, ip=ip, note=f"seed {seed}")
    return check


def get(session: Session, staff: User, spot_check_id: int) -> SpotCheck:
    check = session.get(SpotCheck, spot_check_id)
    if check is None or not (staff.region and staff.region.contains(check.township)):
        raise NotFound("找不到该抽查")
    return check


def record_result(
    session: Session,
    staff: User,
    check: SpotCheck,
    application_id: int,
    result: SpotResult,
    note: str,
    ip: str | None = None,
) -> SpotCheckCase:
    case = next((c for c in check.cases if c.application_id == application_id), None)
    if case is None:
        raise NotFound("该申请不在本次抽查样本中")
    if result == SpotResult.DISCREPANCY and not note.strip():
        raise ValidationFailed.field("note", "请写明核查发现的问题")
    case.result, case.note = result, note.strip()
    case.checked_by_id, case.checked_at = staff.id, clock.now()
    session.flush()
    application = session.get(Application, application_id)
    audit.record(session, staff, "spot_check.result", application, ip=ip, note=result)
    # A re-review already under way takes the finding as it is.
    if result == SpotResult.DISCREPANCY and workflow.system_may(application, "start_rereview"):
        finding = workflow.timeline_comment(f"抽查发现:{case.note}")
        workflow.advance(session, application, "start_rereview", clock.today(), finding)
    return case
