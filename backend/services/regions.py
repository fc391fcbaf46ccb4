"""The region tree and the subtree queries every scope is built on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import NotFound
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
