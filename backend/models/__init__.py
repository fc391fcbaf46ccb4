"""Models, one module per aggregate; importing this package registers them all."""

from backend.models.application import Application, ApplicationEvent, ApplicationType
from backend.models.calendar import CalendarOverride
from backend.models.region import Region, RegionLevel
from backend.models.registry import RegistryOffice
from backend.models.standard import AreaType, DibaoStandard, ElderlyBand, StandardUnit
from backend.models.user import STAFF_ROLES, Role, User

__all__ = [
    "STAFF_ROLES",
    "Application",
    "ApplicationEvent",
    "ApplicationType",
    "AreaType",
    "CalendarOverride",
    "DibaoStandard",
    "ElderlyBand",
    "Region",
    "RegionLevel",
    "RegistryOffice",
    "Role",
    "StandardUnit",
    "User",
]
