"""Who may see what. Every query for people's records goes through `visible()`.

Staff see their region's subtree, agents their village and what they submitted,
citizens their own records, administrators everything.

A citizen's own records are those they opened, and those an agent or a window opened
on their behalf naming the identity number their account is verified for — verified
by an authority (`real_name`), never merely typed. A record another resident opened
for themself is never reached through the number it names. A record outside the
caller's scope does not exist for them: `get_visible` answers 404, never 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.errors import NotFound
from backend.models import Region, Role, User


@dataclass(frozen=True)
class Scope:
    """How one kind of record is tied to a region and to people."""

    region_id: InstrumentedAttribute
    owner_id: InstrumentedAttribute | None = None
    # Blind index of the identity number the record belongs to: a resident sees a case
    # an agent opened for them before they had an account.
    owner_id_index: InstrumentedAttribute | None = None
    # True where the record was opened on the person's behalf: only those are reached
    # through `owner_id_index`.
    opened_for: InstrumentedAttribute | None = None
    submitted_by_id: InstrumentedAttribute | None = None
    # The roles whose work touches these records at all (None: every role); to the
    # others, in their region or not, the records do not exist (need to know).
    roles: frozenset[Role] | None = None


def _in_subtree(column: InstrumentedAttribute, user: User) -> ColumnElement[bool]:
    if user.region is None:
        return false()
    subtree = select(Region.id).where(Region.path.startswith(user.region.path, autoescape=True))
    return column.in_(subtree)


def condition(scope: Scope, user: User) -> ColumnElement[bool]:
    if scope.roles is not None and user.role not in scope.roles:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.CITIZEN:
        mine = [scope.owner_id == user.id] if scope.owner_id is not None else []
        if scope.opened_for is not None and user.real_name_verified and user.id_number_index:
            mine.append(
                and_(scope.opened_for.is_(True), scope.owner_id_index == user.id_number_index)
            )
        if scope.submitted_by_id is not None:  # a relative who applied for the person
            mine.append(scope.submitted_by_id == user.id)
        return or_(*mine) if mine else false()
    if user.role == Role.AGENT:
        submitted = [scope.submitted_by_id == user.id] if scope.submitted_by_id is not None else []
        return or_(_in_subtree(scope.region_id, user), *submitted)
    return _in_subtree(scope.region_id, user)


def visible(query: Select, scope: Scope, user: User) -> Select:
    return query.where(condition(scope, user))


def get_visible(session: Session, model: type, record_id: Any, scope: Scope, user: User):
    """The record with this id if `user` may see it; otherwise NotFound."""
    query = visible(select(model).where(model.id == record_id), scope, user)
    record = session.scalar(query)
    if record is None:
        raise NotFound()
    return record
