"""Models, one module per aggregate; importing this package registers them all."""

from backend.models.application import Application, ApplicationEvent, ApplicationType
from backend.models.attachment import Attachment
from backend.models.audit import AuditLog, AuditResult
from backend.models.calendar import CalendarOverride
from backend.models.circumstance_change import ChangeKind, CircumstanceChange
from backend.models.death import DeathRecord, DeathSource
from backend.models.disaster import (
    CollapsedHouse,
    DisasterEvent,
    DisasterEventRegion,
    DisasterReport,
    DisasterTip,
)
from backend.models.entitlement import BackPay, Entitlement, EntitlementReason
from backend.models.household import HouseholdMember, Relation
from backend.models.idempotency import IdempotencyKey, IdempotencyState
from backend.models.investigation import Investigation
from backend.models.liveness import LivenessCheck, LivenessMethod, LivenessStatus
from backend.models.marriage import Appointment, DivorceApplication, Slot
from backend.models.notification import Notification, NotificationDelivery
from backend.models.otp import OtpCode, OtpStatus
from backend.models.region import Region, RegionLevel
from backend.models.registry import RegistryOffice
from backend.models.relative import RegisteredRelative
from backend.models.roster import RosterImport, RosterImportError, RosterImportStatus
from backend.models.sms import SmsMessage
from backend.models.spot_check import SpotCheck, SpotCheckCase
from backend.models.standard import AreaType, DibaoStandard, ElderlyBand, StandardUnit
from backend.models.token import RevokedToken
from backend.models.user import STAFF_ROLES, Role, User

__all__ = [
    "STAFF_ROLES",
    "Application",
    "ApplicationEvent",
    "ApplicationType",
    "Appointment",
    "AreaType",
    "Attachment",
    "AuditLog",
    "AuditResult",
    "BackPay",
    "CalendarOverride",
    "ChangeKind",
    "CircumstanceChange",
    "CollapsedHouse",
    "DeathRecord",
    "DeathSource",
    "DibaoStandard",
    "DisasterEvent",
    "DisasterEventRegion",
    "DisasterReport",
    "DisasterTip",
    "DivorceApplication",
    "ElderlyBand",
    "Entitlement",
    "EntitlementReason",
    "HouseholdMember",
    "IdempotencyKey",
    "IdempotencyState",
    "Investigation",
    "LivenessCheck",
    "LivenessMethod",
    "LivenessStatus",
    "Notification",
    "NotificationDelivery",
    "OtpCode",
    "OtpStatus",
    "Region",
    "RegionLevel",
    "RegisteredRelative",
    "RegistryOffice",
    "Relation",
    "RevokedToken",
    "Role",
    "RosterImport",
    "RosterImportError",
    "RosterImportStatus",
    "Slot",
    "SmsMessage",
    "SpotCheck",
    "SpotCheckCase",
    "StandardUnit",
    "User",
]
