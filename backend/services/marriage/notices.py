"""What couples are told about their appointments, through the shared inbox.

The marriage events join the notification service's table of events here, beside
the code that sends them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.models import User
from backend.services import notifications
from backend.services.notifications import Event

EVENTS = {
    "ballot_won": Event(
        "摇号中签", "您参加的{office_name} {date} 结婚登记摇号已中签,已为您预约{period_label}。"
    ),
    "ballot_lost": Event(
        "摇号未中签", "很遗憾,{office_name} {date} 结婚登记摇号未中签,欢迎预约其他日期。"
    ),
    "waitlist_offer": Event(
        "候补名额", "{office_name} {date}{period_label}有名额空出,为您保留至 {until},请及时确认。"
    ),
    "appointment_reminder": Event(
        "预约提醒",
        "您预约了明天({date}){period_label}在{office_name}办理{service_label},"
        "请双方携带身份证按时到场。",
    ),
}
notifications.EVENTS.update(EVENTS)

PERIOD_LABEL = {"am": "上午", "pm": "下午"}


def tell(session: Session, user_id: int | None, event: str, data: dict[str, Any]) -> None:
    """Notify the account that asked (booker or entrant), if there is one."""
    user = session.get(User, user_id) if user_id else None
    if user is not None:
        notifications.notify(session, user, event, data)
