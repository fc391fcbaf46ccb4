"""Who sees what of disaster reporting: events, reports, tips and their photos.

Staff see an event when it touches their region (an affected region lies in their
subtree, or contains their region); reports by the region they are about; tips by
the tipper's or the verified region, and the county's own staff every tip of it.
Residents and agents see only their own tips. Outside that a record is a 404.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, or_, select, true

from backend.models import Attachment, Region, Role, User
from backend.models.disaster import DisasterEvent, DisasterEventRegion, DisasterReport, DisasterTip
from backend.services import scope

STAFF = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.DISASTER_OFFICER, Role.ADMIN})
TIPPERS = frozenset({Role.CITIZEN, Role.AGENT})
TIP_REVIEWERS = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF})

REPORT_SCOPE = scope.Scope(region_id=DisasterReport.region_id, roles=STAFF)


def ancestor_codes(region: Region) -> list[str]:
    """The codes of `region` and every region above it, from its path."""
    return region.path.rstrip("/").split("/")


def event_condition(user: User) -> ColumnElement[bool]:
    if user.role not in STAFF:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.region is None:
        return false()
    touching = (
        select(DisasterEventRegion.event_id)
        .join(DisasterEventRegion.region)
        .where(
            or_(
                Region.code.in_(ancestor_codes(user.region)),
                Region.path.startswith(user.region.path, autoescape=True),
            )
        )
    )
    return DisasterEvent.id.in_(touching)


def report_condition(user: User) -> ColumnElement[bool]:
    return scope.condition(REPORT_SCOPE, user)


def tip_condition(user: User) -> ColumnElement[bool]:
    if user.role in TIPPERS:
        return DisasterTip.submitted_by_id == user.id
    if user.role == Role.ADMIN:
        return true()
    if user.role not in TIP_REVIEWERS or user.region is None:
        return false()
    place = func.coalesce(DisasterTip.region_id, DisasterTip.county_id)
    subtree = select(Region.id).where(Region.path.startswith(user.region.path, autoescape=True))
    return place.in_(subtree)


def photo_condition(user: User) -> ColumnElement[bool]:
    """The disaster photos `user` may see: their own not yet sent with anything, and
    those of the reports and tips they may see."""
    return or_(
        (Attachment.uploaded_by_id == user.id)
        & Attachment.application_id.is_(None)
        & Attachment.disaster_report_id.is_(None)
        & Attachment.disaster_tip_id.is_(None),
        Attachment.disaster_report_id.in_(select(DisasterReport.id).where(report_condition(user))),
        Attachment.disaster_tip_id.in_(select(DisasterTip.id).where(tip_condition(user))),
    )
