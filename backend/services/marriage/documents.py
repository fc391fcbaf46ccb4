"""What a booked couple takes away: an iCalendar file (RFC 5545) and the check-in QR."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import qrcode
from qrcode.image.pil import PilImage

from backend.models.marriage import Appointment

SERVICE_TITLE = {
    "marriage": "结婚登记",
    "divorce": "离婚登记申请",
    "divorce_certificate": "领取离婚证",
    "reissue": "补领婚姻登记证",
}
PERIOD_LABEL = {"am": "上午", "pm": "下午"}

# Shanghai keeps UTC+8 all year; a VTIMEZONE lets every client show the right hour.
SHANGHAI_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never
    splitting a UTF-8 character."""
    pieces, current = [], ""
    for char in line:
        limit = 75 if not pieces else 74
        if len((current + char).encode()) > limit:
            pieces.append(current)
            current = ""
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def ics(appointment: Appointment, stamp: datetime) -> str:
    slot, office = appointment.slot, appointment.slot.office
    start, end = office.hours(slot.period)
    title = f"{SERVICE_TITLE[appointment.service]}预约({office.name})"
    description = (
        f"{slot.day.isoformat()} {PERIOD_LABEL[slot.period]} {start:%H:%M}-{end:%H:%M}。"
        f"签到码:{appointment.checkin_code}。请双方携带本人身份证按时到场。"
    )
    lines = (
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Minzheng Online//Marriage Appointments//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *SHANGHAI_VTIMEZONE,
        "BEGIN:VEVENT",
        f"UID:appointment-{appointment.id}@minzheng",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID=Asia/Shanghai:{slot.day:%Y%m%d}T{start:%H%M%S}",
        f"DTEND;TZID=Asia/Shanghai:{slot.day:%Y%m%d}T{end:%H%M%S}",
        f"SUMMARY:{_escape(title)}",
        f"LOCATION:{_escape(office.address or office.name)}",
        f"DESCRIPTION:{_escape(description)}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-PT12H",
        f"DESCRIPTION:{_escape(title)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    )
    return "".join(_fold(line) + "\r\n" for line in lines)


def checkin_qr_png(appointment: Appointment) -> bytes:
    """The check-in code as a QR image for the registrar's scanner."""
    image = qrcode.make(appointment.checkin_code, image_factory=PilImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
