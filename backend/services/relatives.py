"""近亲属备案: staff and village cadres register their close relatives. A 低保 case
whose applicant or any household member is on the register is flagged: the county
visits the household itself, and the township cannot approve the case alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.errors import Conflict, Forbidden
from backend.models import (
    Application,
    HouseholdMember,
    Investigation,
    RegisteredRelative,
    Relation,
    Role,
    User,
)
from backend.services.crypto import current_cipher
from backend.services.identity import clean_name, parse_id_number

# Who keeps the register: everyone whose word counts in a case, village cadres included.
REGISTRANTS = frozenset({Role.AGENT, Role.TOWNSHIP_STAFF, Role.COUNTY_STAFF})
FLAG = "relative_of_staff"


def register(
    session: Session, registrant: User, *, name: str, id_number: str, relation: Relation
) -> RegisteredRelative:
    if registrant.role not in REGISTRANTS:
        raise Forbidden("该角色无需备案近亲属")
    number = parse_id_number(id_number, "id_number").value
    cipher = current_cipher()
    entry = RegisteredRelative(
        registrant_id=registrant.id,
        name=clean_name(name),
        id_number_cipher=cipher.encrypt(number),
        id_number_index=cipher.blind_index(number),
        relation=relation,
    )
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        raise Conflict("该亲属已备案") from None
    return entry


def registered_by(user: User) -> Select:
    return select(RegisteredRelative).where(RegisteredRelative.registrant_id == user.id)


def flagged(session: Session, applications: Iterable[Application]) -> set[int]:
    """Ids of the cases whose applicant or a household member is on the register."""
    ids = [application.id for application in applications]
    if not ids:
        return set()
    return set(session.scalars(select(Application.id).where(Application.id.in_(ids), is_flagged())))


def is_flagged() -> ColumnElement[bool]:
    """SQL: this case's applicant or one of its household members is on the register."""
    registered = select(RegisteredRelative.id_number_index)
    return or_(
        Application.applicant_id_index.in_(registered),
        exists().where(
            HouseholdMember.application_id == Application.id,
            HouseholdMember.id_number_index.in_(registered),
        ),
    )


def county_has_visited(session: Session, application: Application) -> bool:
    return (
        session.scalar(
            select(Investigation.id)
            .join(User, User.id == Investigation.recorded_by_id)
            .where(
                Investigation.application_id == application.id,
                User.role == Role.COUNTY_STAFF,
            )
            .limit(1)
        )
        is not None
    )
