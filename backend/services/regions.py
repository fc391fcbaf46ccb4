"""The region tree and the subtree queries every scope is built on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import NotFound, ValidationFailed
from backend.models import Region, RegionLevel


def get_by_code(session: Session, code: str) -> Region:
    region = session.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound("找不到该地区")
    return region


def ensure_region(
    session: Session, code: str, name: str, level: RegionLevel, parent: Region | None = None
) -> Region:
    """Create the region if it is missing (idempotent); the path follows the parent."""
    region = session.scalar(select(Region).where(Region.code == code))
    if region is None:
        region = Region(code=code)
        session.add(region)
    region.name = name
    region.level = level
    region.parent = parent
    region.path = (parent.path if parent else "") + code + "/"
    session.flush()
    return region


def subtree_condition(root: Region):
    """A WHERE clause selecting `root` and every region below it."""
    return Region.path.startswith(root.path, autoescape=True)


def county_of(session: Session, region: Region) -> Region:
    """The county `region` lies in (itself when it is one): settings are per county."""
    codes = region.path.rstrip("/").split("/")
    county = session.scalar(
        select(Region).where(Region.code.in_(codes), Region.level == RegionLevel.COUNTY)
    )
    if county is None:
        raise NotFound("该地区不属于任何县")
    return county


def only_county(session: Session) -> Region | None:
    """The deployment's county when it serves exactly one, else None."""
    counties = session.scalars(
        select(Region).where(Region.level == RegionLevel.COUNTY).limit(2)
    ).all()
    return counties[0] if len(counties) == 1 else None


def county_for(session: Session, region_code: str | None) -> Region:
    """The county of `region_code`, or the deployment's only county when none is given."""
    if region_code:
        region = session.scalar(select(Region).where(Region.code == region_code))
        if region is None:
            raise ValidationFailed.field("region_code", "找不到该地区")
        return county_of(session, region)
    county = only_county(session)
    if county is None:
        raise ValidationFailed.field("region_code", "请选择所在地区")
    return county
