"""Administrative regions: county → township → village, possibly under a city/province."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.extensions import db
from backend.models.base import BigId


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


class Region(db.Model):
    __tablename__ = "region"
    __table_args__ = (
        # Every scope is a `path LIKE 'prefix%'`. A plain b-tree serves LIKE only under
        # the "C" collation; the pattern operator class serves it under any locale.
        Index("ix_region_path_prefix", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # 统计用区划代码
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    # Materialised path of codes ("990100000000/990101000000/"): a subtree is a prefix.
    path: Mapped[str] = mapped_column(String(260))

    parent: Mapped[Region | None] = relationship(remote_side=[id])

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
