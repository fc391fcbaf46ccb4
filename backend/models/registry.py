"""Marriage registry offices (婚姻登记处)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models.base import BigId


class RegistryOffice(db.Model):
    __tablename__ = "registry_office"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    address: Mapped[str] = mapped_column(String(120), default="")
