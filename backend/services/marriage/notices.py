"""What couples are told about their appointments, through the shared inbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.models import User
from backend.services import notifications

PERIOD_LABEL = {"am": "上午", "pm": "下午"}


def tell(session: Session, user_id: int | None, event: str, data: dict[str, Any]) -> None:
    """Notify the account that asked (booker or entrant), if there is one."""
    user = session.get(User, user_id) if user_id else None
    if user is not None:
        notifications.notify(session, user, event, data)
