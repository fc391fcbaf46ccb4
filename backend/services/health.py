"""Is each part the product needs answering?"""

from __future__ import annotations

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session


def check(session: Session, redis: Redis) -> dict[str, str]:
    return {"database": _database(session), "redis": _redis(redis)}


def _database(session: Session) -> str:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        session.rollback()
        return "down"
    return "ok"


def _redis(redis: Redis) -> str:
    try:
        redis.ping()
    except (RedisError, OSError):
        return "down"
    return "ok"
