"""Text messages go out through one adapter interface, chosen by `SMS_BACKEND`.

`console` logs them (development), `outbox` stores them encrypted for a gateway
sender to deliver; a real gateway is one more adapter with the same `send`.
Notifications reach phones through the `sms` channel (`notifications`).
"""

from __future__ import annotations

import logging
from typing import Protocol

from flask import current_app
from sqlalchemy.orm import Session

from backend.models import SmsMessage
from backend.services.crypto import current_cipher, mask_phone

log = logging.getLogger(__name__)

# 短信签名: carriers deliver only texts that open with the sender's registered signature.
SIGNATURE = "【民政掌上办】"


class SmsSender(Protocol):
    def send(self, session: Session, phone: str, text: str, *, purpose: str) -> None: ...


class ConsoleSender:
    """Development: the message appears in the server log."""

    def send(self, session: Session, phone: str, text: str, *, purpose: str) -> None:
        log.info("SMS (%s) to %s: %s", purpose, mask_phone(phone), text)


class OutboxSender:
    """Stores the message in `sms_outbox`, in the caller's transaction."""

    def send(self, session: Session, phone: str, text: str, *, purpose: str) -> None:
        cipher = current_cipher()
        session.add(
            SmsMessage(
                purpose=purpose,
                phone_cipher=cipher.encrypt(phone),
                text_cipher=cipher.encrypt(text),
            )
        )


SENDERS: dict[str, type[SmsSender]] = {"console": ConsoleSender, "outbox": OutboxSender}


def sender() -> SmsSender:
    return SENDERS[current_app.config["SMS_BACKEND"]]()


def notice_text(title: str, body: str) -> str:
    """A notification as one signed text message."""
    return f"{SIGNATURE}{title}:{body}"


def read_outbox(message: SmsMessage) -> tuple[str, str]:
    """(phone, text) of a stored message, for the gateway sender."""
    cipher = current_cipher()
    return cipher.decrypt(message.phone_cipher), cipher.decrypt(message.text_cipher)
