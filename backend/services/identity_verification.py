"""Real-name verification (实名核验) through one adapter interface, chosen by
`IDENTITY_VERIFIER`.

A name and an identity number typed by the account holder prove nothing: anyone who
has seen a case knows both. The account is bound only after an authority confirms
that the person holding the phone is that person — the mini program's WeChat face
verification (`wx.startFacialRecognitionVerify` gives a `verify_result` the server
redeems) or a government identity service. The result the client sends is the
`proof`; an adapter redeems it and says whether it confirms this name and number.

`console` is the development and test stand-in: it confirms a claim only with the
proof `console_proof(name, number)` gives (a keyed hash, logged when a claim comes
without it, as the console SMS backend logs codes), so a test can play both the
honest resident and the impostor. In development, demo and test the refusal also
carries the proof (`details.debug_verify_result`, as the SMS login's `debug_code`),
so a demo user and the clients' tests can finish the step. Production refuses it unless
`IDENTITY_CONSOLE_IN_PRODUCTION` says otherwise (a staging drill). `none` closes
online verification: residents bind their number at a bureau window
(`real_name.bind_at_counter`), where staff see the card itself.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Protocol

from flask import current_app

from backend.config import DEBUG_CODE_ENVS
from backend.errors import ServiceUnavailable, ValidationFailed
from backend.services.crypto import mask_id_number

log = logging.getLogger(__name__)

NOT_CONFIRMED = "实名核验未通过,请本人重新进行人脸核验"


class IdentityVerifier(Protocol):
    name: str

    def confirm(self, name: str, id_number: str, proof: str) -> None:
        """Return when the authority confirms `proof` is this person's; otherwise
        raise ValidationFailed naming `verify_result` (or ServiceUnavailable)."""


def console_proof(name: str, id_number: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"identity-console|{name}|{id_number}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


class ConsoleVerifier:
    """Development and tests: confirms only the proof `console_proof` gives."""

    name = "console"

    def confirm(self, name: str, id_number: str, proof: str) -> None:
        expected = console_proof(name, id_number)
        if hmac.compare_digest(proof.encode(), expected.encode()):
            return
        log.info("实名核验替身: %s 的核验凭证为 %s", mask_id_number(id_number), expected)
        refused = ValidationFailed.field("verify_result", NOT_CONFIRMED)
        if current_app.config["APP_ENV"] in DEBUG_CODE_ENVS:
            refused.details["debug_verify_result"] = expected
        raise refused


class ClosedVerifier:
    """No online verification: residents bind their number at a bureau window."""

    name = "none"

    def confirm(self, name: str, id_number: str, proof: str) -> None:
        raise ServiceUnavailable("线上实名认证暂未开通,请携带身份证到民政部门窗口办理")


VERIFIERS: dict[str, type[IdentityVerifier]] = {"console": ConsoleVerifier, "none": ClosedVerifier}


def verifier() -> IdentityVerifier:
    return VERIFIERS[current_app.config["IDENTITY_VERIFIER"]]()
