"""Encryption at rest and blind indexes for personal data (PIPL sensitive information)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


class FieldCipher:
    """Fernet for the value, HMAC-SHA256 for exact lookup; both keys from one secret."""

    def __init__(self, secret: str):
        raw = secret.encode()
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(raw, b"minzheng field encryption")))
        self._index_key = _derive(raw, b"minzheng blind index")

    def encrypt(self, value: str) -> bytes:
        return self._fernet.encrypt(value.encode())

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as exc:
            raise ValueError("field cannot be decrypted with the configured key") from exc

    def blind_index(self, value: str) -> str:
        return hmac.new(self._index_key, value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110105********1234"""
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678"""
    return value[:3] + "****" + value[-4:]


def mask_name(value: str) -> str:
    """张*三 / 李* — what a public notice may show."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def current_cipher() -> FieldCipher:
    """The cipher for the running app, built once from FIELD_ENCRYPTION_KEY."""
    from flask import current_app

    cipher = current_app.extensions.get("field_cipher")
    if cipher is None:
        cipher = FieldCipher(current_app.config["FIELD_ENCRYPTION_KEY"])
        current_app.extensions["field_cipher"] = cipher
    return cipher
