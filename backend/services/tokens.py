"""Access and refresh tokens, and their revocation in the database (RELIABILITY rows 30–31).

Every access token names the refresh token of its session (`rjti`), so logging out
with the access token alone revokes the whole session: that access token, the
refresh token, and every access token refreshed from it. Revocations are rows of
`revoked_token`, kept as long as the revoked tokens could still be presented: the
database is the source of truth (DESIGN §2), so a Redis outage never signs anyone
out or locks anyone out, and a database outage is a 503 like any other request's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from backend.models import RevokedToken, User
from backend.services import clock

SESSION_CLAIM = "rjti"
DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str


def issue_pair(user: User) -> TokenPair:
    """After a full login: a fresh access token and the refresh token of a new session."""
    refresh_token = create_refresh_token(user)
    session_id = decode_token(refresh_token)["jti"]
    access_token = create_access_token(
        user, fresh=True, additional_claims={SESSION_CLAIM: session_id}
    )
    return TokenPair(access_token=access_token, refresh_token=refresh_token)


def refreshed_access_token(user: User, refresh_payload: dict[str, Any]) -> str:
    """A new access token from a refresh token: never fresh, same session."""
    return create_access_token(
        user, fresh=False, additional_claims={SESSION_CLAIM: refresh_payload["jti"]}
    )


def revoke_session(session: Session, payload: dict[str, Any]) -> None:
    """Revoke the token with `payload` and, for an access token, its session.

    Idempotent: a jti already revoked is left as it is, so a repeated or concurrent
    logout of the same session succeeds too, without a unique-violation to undo.
    """
    rows = [{"jti": payload["jti"], "expires_at": datetime.fromtimestamp(payload["exp"], UTC)}]
    if payload.get(SESSION_CLAIM):
        # The access token does not say when its refresh token expires; this is the
        # latest it can, as the refresh token was issued before now.
        lifetime = current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]
        rows.append({"jti": payload[SESSION_CLAIM], "expires_at": clock.now() + lifetime})
    insert = DIALECT_INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(RevokedToken).values(rows).on_conflict_do_nothing(index_elements=["jti"])
    )


@dataclass(frozen=True)
class Bearer:
    """Who presents a token, and whether it (or its session) was revoked."""

    user: User | None  # None: the account named by the token does not exist
    revoked: bool


# Built once: a statement object keeps its cache key, so the gate's query is not
# rebuilt and re-keyed on every request. The account's region comes along: nearly
# every request's scope starts from it.
BEARER = (
    select(User, exists().where(RevokedToken.jti.in_(bindparam("jtis", expanding=True))))
    .options(joinedload(User.region))
    .where(User.id == bindparam("user_id"))
)


def bearer(session: Session, payload: dict[str, Any]) -> Bearer:
    """One query per request answers both questions the gate asks of a token.

    A token naming no account is refused as such, revoked or not.
    """
    try:
        user_id = int(payload["sub"])
    except (KeyError, TypeError, ValueError):
        return Bearer(user=None, revoked=False)
    jtis = [payload["jti"]]
    if payload.get(SESSION_CLAIM):
        jtis.append(payload[SESSION_CLAIM])
    row = session.execute(BEARER, {"user_id": user_id, "jtis": jtis}).first()
    return Bearer(user=row[0], revoked=row[1]) if row else Bearer(user=None, revoked=False)


def purge_expired(session: Session, _day: date) -> dict[str, int]:
    """Daily rule: forget revocations of tokens that have expired by now.

    The cutoff is the present whatever the date run: dropping a row before its token
    expires would let that token back in.
    """
    deleted = session.execute(
        delete(RevokedToken).where(RevokedToken.expires_at < clock.now())
    ).rowcount
    return {"deleted": deleted}
