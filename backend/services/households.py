"""The 低保 household (共同生活家庭成员): who belongs to it and what each earns.

Rules: one to twenty members; each person once; exactly one member is the applicant
(`relation: self`) with the applicant's identity number; income sources add up to
the member's monthly income; and nobody belongs to two live 低保 households.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import ARRAY, BigInteger, func, literal, select
from sqlalchemy.orm import Session

from backend.errors import ValidationFailed
from backend.models import Application, AreaType, HouseholdMember, Relation
from backend.services import workflow
from backend.services.case_states import FINAL
from backend.services.crypto import current_cipher
from backend.services.dibao import MAX_MEMBERS
from backend.services.identity import clean_name, parse_id_number
from backend.services.money import to_yuan

FIELD = "household.members"


@dataclass(frozen=True)
class IncomeSource:
    source: str
    amount: Decimal


@dataclass(frozen=True)
class IncomeChange:
    """A member's income as a re-review found it."""

    member_id: int
    monthly_income: Decimal
    income_sources: tuple[IncomeSource, ...] = ()


@dataclass(frozen=True)
class Member:
    name: str
    id_number: str
    relation: Relation
    monthly_income: Decimal
    income_sources: tuple[IncomeSource, ...] = field(default_factory=tuple)
    disabled: bool = False
    able_to_work: bool = False


def build_members(
    session: Session,
    applicant_id_number: str,
    members: Sequence[Member],
    *,
    application_id: int | None = None,
) -> list[HouseholdMember]:
    """Validated rows for `members` (not yet added to the session)."""
    if not 1 <= len(members) <= MAX_MEMBERS:
        raise ValidationFailed.field(FIELD, f"家庭成员应为1到{MAX_MEMBERS}人")
    cipher = current_cipher()
    rows, seen = [], {}
    for position, member in enumerate(members):
        where = f"{FIELD}.{position}"
        id_number = parse_id_number(member.id_number, f"{where}.id_number").value
        if id_number in seen:
            raise ValidationFailed.field(f"{where}.id_number", "同一家庭成员不能重复登记")
        seen[id_number] = position
        check_sources(member, where)
        rows.append(
            HouseholdMember(
                name=clean_name(member.name, f"{where}.name"),
                id_number_cipher=cipher.encrypt(id_number),
                id_number_index=cipher.blind_index(id_number),
                relation=member.relation,
                monthly_income=member.monthly_income,
                income_sources=stored_sources(member.income_sources),
                disabled=member.disabled,
                able_to_work=member.able_to_work,
            )
        )
    _check_applicant_is_a_member(members, seen, applicant_id_number)
    _check_not_in_another_household(session, rows, application_id)
    return rows


def check_sources(member: Member | IncomeChange, where: str) -> None:
    if member.income_sources and sum(s.amount for s in member.income_sources) != (
        member.monthly_income
    ):
        raise ValidationFailed.field(f"{where}.income_sources", "各项收入之和应等于月收入")


def stored_sources(sources: Sequence[IncomeSource]) -> list[dict[str, str]]:
    return [{"source": s.source, "amount": f"{s.amount:.2f}"} for s in sources]


def _check_applicant_is_a_member(
    members: Sequence[Member], seen: dict[str, int], applicant_id_number: str
) -> None:
    selves = [m for m in members if m.relation == Relation.SELF]
    if len(selves) != 1:
        raise ValidationFailed.field(FIELD, "家庭成员中应有且只有一位申请人本人(relation 为 self)")
    position = seen.get(applicant_id_number)
    if position is None or members[position].relation != Relation.SELF:
        raise ValidationFailed.field(FIELD, "申请人本人应作为 relation 为 self 的家庭成员登记")


def _check_not_in_another_household(
    session: Session, rows: list[HouseholdMember], application_id: int | None
) -> None:
    indexes = {row.id_number_index: position for position, row in enumerate(rows)}
    _wait_for_other_filings_of(session, sorted(indexes))
    elsewhere = session.scalars(
        select(HouseholdMember.id_number_index)
        .join(Application)
        .where(
            HouseholdMember.id_number_index.in_(indexes),
            Application.type.in_([p.name for p in workflow.programmes() if p.per_household]),
            Application.status.not_in(FINAL),
            Application.id != (application_id or 0),
        )
    ).all()
    if elsewhere:
        first = min(indexes[index] for index in elsewhere)
        raise ValidationFailed.field(
            f"{FIELD}.{first}.id_number",
            "该成员已在另一户正在办理或享受低保的家庭中,请先核实",
        )


def _wait_for_other_filings_of(session: Session, id_number_indexes: list[str]) -> None:
    """A filing naming the same people as one in progress waits here until that one
    ends, so that its check sees the other household.

    PostgreSQL: a lock per person, held to the end of the transaction, taken in one
    order so two filings never wait on each other. SQLite: the database's one write
    lock, taken now rather than at the first INSERT (the driver reads outside a
    transaction until then, so two filings could both check before either writes).
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        keys = [int(index[:15], 16) for index in id_number_indexes]  # 60 bits: a bigint key
        person = func.unnest(literal(keys, ARRAY(BigInteger))).table_valued("key")
        person = person.render_derived()
        locks = select(func.pg_advisory_xact_lock(person.c.key)).order_by(person.c.key)
        session.execute(locks).all()
    elif not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def incomes(application: Application) -> list[Decimal]:
    return [member.monthly_income for member in application.members]


@dataclass(frozen=True)
class Household:
    area_type: AreaType
    members: tuple[Member, ...]


def per_capita_income(application: Application) -> Decimal | None:
    """Total monthly income ÷ members, rounded half-up to the fen (shown, never reused)."""
    amounts = incomes(application)
    if not amounts:
        return None
    return to_yuan(Fraction(sum(amounts, Decimal(0))) / len(amounts))
