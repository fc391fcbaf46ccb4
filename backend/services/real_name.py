"""Binding a resident's account to their identity number (实名认证), and giving a
number back to its real holder at a bureau window.

The binding is what makes the cases and appointments others opened for a resident
theirs (`scope`, `marriage.booking`), so it is made only on an authority's word: the
online verifier (`identity_verification`) or staff who saw the card at a window.
One verified account per number, held by a unique index; every change is audited.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import Conflict, Forbidden, ValidationFailed
from backend.models import Application, AuditResult, Role, User
from backend.models.marriage import Appointment
from backend.services import audit, users
from backend.services.crypto import current_cipher
from backend.services.identity import clean_name, parse_id_number
from backend.services.identity_verification import verifier

TAKEN = "该身份证号已绑定其他账号;如系本人,请携带身份证到民政部门窗口办理找回"
# Who may bind a number at a window and take it back from another account.
COUNTER_ROLES = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.ADMIN})


def verify(
    session: Session, user: User, name: str, id_number: str, proof: str, *, ip: str | None = None
) -> User:
    """Bind the name and number once the verifier confirms `proof` is this person's.

    The proof is checked before anything else is said about the number, so only its
    holder learns that another account took it (409, then the window).
    """
    name = clean_name(name)
    number = parse_id_number(id_number).value
    index = current_cipher().blind_index(number)
    if user.real_name_verified:
        if user.id_number_index == index and user.name == name:
            return user
        raise Conflict("已完成实名认证,如需更改请到民政部门办理")
    adapter = verifier()
    try:
        adapter.confirm(name, number, proof)
    except ValidationFailed:
        audit.record(
            session, user, "user.real_name", user, result=AuditResult.FAILED, ip=ip,
            note=f"{adapter.name}:核验未通过",
        )  # fmt: skip
        session.commit()  # the refusal stays on record; the error answers the request
        raise
    if holder_of(session, index) is not None:
        raise Conflict(TAKEN)
    _bind(session, user, name, number)
    _claim_cases_opened_for(session, user, index)
    audit.record(
        session, user, "user.real_name", user, ip=ip, before="unverified", after="verified",
        note=f"核验:{adapter.name}",
    )  # fmt: skip
    return user


def holder_of(session: Session, index: str) -> User | None:
    """The verified resident account bound to the number with this blind index."""
    return session.scalar(
        select(User).where(
            User.id_number_index == index,
            User.role == Role.CITIZEN,
            User.real_name_verified.is_(True),
        )
    )


def bind_at_counter(
    session: Session,
    staff: User,
    phone: str,
    name: str,
    id_number: str,
    note: str,
    *,
    ip: str | None = None,
) -> User:
    """Staff saw the card: bind the number to the resident account signed in with
    `phone` (the person shows it on their phone), taking it from whichever
    account held it (找回). What that account had in this person's name — cases it
    opened, bookings it made for itself — goes with the number; it keeps nothing."""
    if staff.role not in COUNTER_ROLES:
        raise Forbidden("只有民政部门窗口工作人员可以办理实名找回")
    account = users.find_by_phone(session, users.normalise_phone(phone))
    if account is None or account.role != Role.CITIZEN:
        raise ValidationFailed.field("phone", "找不到使用该手机号登录的居民账号")
    name = clean_name(name)
    number = parse_id_number(id_number).value
    index = current_cipher().blind_index(number)
    holder = holder_of(session, index)
    before = "verified" if account.real_name_verified else "unverified"
    if account.real_name_verified and account.id_number_index != index:
        raise Conflict("该账号已绑定其他身份证号,请先核实")
    if holder is not None and holder.id != account.id:
        _unbind(holder)
        session.flush()
        _hand_over(session, holder, account, index)
        audit.record(
            session, staff, "user.real_name_revoke", holder, ip=ip, before="verified",
            after="unverified", subject_user_id=holder.id, note=f"窗口找回:{note}",
        )  # fmt: skip
    _bind(session, account, name, number)
    _claim_cases_opened_for(session, account, index)
    audit.record(
        session, staff, "user.real_name_counter", account, ip=ip, before=before,
        after="verified", subject_user_id=account.id,
        note=f"窗口核验,取自账号{holder.id}:{note}" if holder and holder.id != account.id
        else f"窗口核验:{note}",
    )  # fmt: skip
    return account


def _bind(session: Session, user: User, name: str, number: str) -> None:
    user.name = name
    users.set_id_number(user, number)
    user.real_name_verified = True
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Another bind of this number committed between the check and this flush.
        raise Conflict(TAKEN) from None


def _claim_cases_opened_for(session: Session, user: User, index: str) -> None:
    """Cases an agent or a window opened for this person before their account was
    verified become the account's, so their notices reach it."""
    session.execute(
        update(Application)
        .where(
            Application.applicant_id_index == index,
            Application.on_behalf.is_(True),
            Application.owner_id.is_(None),
        )
        .values(owner_id=user.id)
    )


def _unbind(user: User) -> None:
    user.real_name_verified = False
    user.id_number_cipher = None
    user.id_number_index = None


def _hand_over(session: Session, old: User, new: User, index: str) -> None:
    session.execute(
        update(Application)
        .where(Application.owner_id == old.id, Application.applicant_id_index == index)
        .values(owner_id=new.id)
    )
    # A resident's own booking always names themself as party A.
    session.execute(
        update(Appointment)
        .where(Appointment.booked_by_id == old.id, Appointment.on_behalf.is_(False))
        .values(booked_by_id=new.id)
    )
