"""Accounts: creation, passwords (argon2), personal numbers stored encrypted."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.errors import Conflict, ValidationFailed
from backend.models import Region, Role, User
from backend.services.crypto import current_cipher
from backend.services.identity import clean_name, parse_id_number

PHONE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{2,39}")
PASSWORD_MIN_LENGTH = 8
PASSWORD_CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


def password_hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"], memory_cost=config["ARGON2_MEMORY_COST"]
    )


def check_password_rules(password: str, field: str = "password") -> None:
    """等保: at least 8 characters from at least three of lower, upper, digit, symbol."""
    classes = sum(bool(re.search(pattern, password)) for pattern in PASSWORD_CLASSES)
    if len(password) < PASSWORD_MIN_LENGTH or classes < 3:
        raise ValidationFailed.field(
            field, "密码至少8位,且包含大写字母、小写字母、数字、符号中的三种"
        )


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_phone(raw: str, field: str = "phone") -> str:
    phone = raw.strip() if isinstance(raw, str) else ""
    if not PHONE_PATTERN.fullmatch(phone):
        raise ValidationFailed.field(field, "手机号应为11位数字")
    return phone


def set_phone(user: User, phone: str) -> None:
    cipher = current_cipher()
    user.phone_cipher = cipher.encrypt(phone)
    user.phone_index = cipher.blind_index(phone)


def phone_of(user: User) -> str | None:
    return current_cipher().decrypt(user.phone_cipher) if user.phone_cipher else None


def set_id_number(user: User, id_number: str) -> None:
    cipher = current_cipher()
    user.id_number_cipher = cipher.encrypt(id_number)
    user.id_number_index = cipher.blind_index(id_number)


def find_by_phone(session: Session, phone: str) -> User | None:
    index = current_cipher().blind_index(phone)
    return session.scalar(select(User).where(User.phone_index == index))


def find_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create_user(
    session: Session,
    *,
    role: Role,
    name: str,
    username: str | None = None,
    password: str | None = None,
    phone: str | None = None,
    id_number: str | None = None,
    region: Region | None = None,
) -> User:
    if username is not None:
        if not USERNAME_PATTERN.fullmatch(username):
            raise ValidationFailed.field("username", "用户名应为3到40位小写字母、数字或下划线")
        if find_by_username(session, username):
            raise Conflict("用户名已存在")
    user = User(role=role, name=clean_name(name), username=username, region=region)
    if password is not None:
        check_password_rules(password)
        user.password_hash = password_hasher().hash(password)
    if phone is not None:
        phone = normalise_phone(phone)
        if find_by_phone(session, phone):
            raise Conflict("该手机号已注册")
        set_phone(user, phone)
    if id_number is not None:
        set_id_number(user, parse_id_number(id_number).value)
    session.add(user)
    session.flush()
    return user
