"""The case engine: one machine for every benefit programme.

A programme is declared (`Programme`): its table of transitions, each naming the
statuses it leaves, the status it reaches, the roles that may take it, the checks
that must pass first and the effects it has on the case; its materials, deadlines,
daily rules, public-notice rule and the words its notifications use. `allowed_actions`
and `perform` read the same table, so what a client is offered is what it may do.

Every step is recorded on the case's timeline, audited, and told to the applicant
side (the resident, once they have an account, and whoever applied for them).

The engine imports no programme: `backend.services.programmes` declares them and
registers each here (`register`); the engine finds a case's by its type.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from backend.errors import ActionNotAllowed, StaleVersion, ValidationFailed
from backend.models import Application, ApplicationEvent, User
from backend.models.attachment import AttachmentKind
from backend.services import agent_mandate, audit, clock, notifications
from backend.services.case_states import Status
from backend.services.crypto import current_cipher, mask_id_number
from backend.services.roles import APPLICANT_SIDE, SYSTEM_ROLE

log = logging.getLogger(__name__)

STALE = "该申请已被他人更新,请刷新后重试"
APPEAL_NOTICE = "如对决定不服,可在收到决定之日起60日内申请行政复议,或在6个月内提起行政诉讼。"


@dataclass(frozen=True)
class Step:
    """What a check or an effect of a transition sees: the case and the request."""

    session: Session
    application: Application
    actor: User | None
    comment: str
    data: Mapping[str, Any]
    today: date

    @property
    def programme(self) -> Programme:
        return programme_of(self.application.type)


# A check raises when the step may not happen now; an effect changes the case.
Check = Callable[[Step], None]
Effect = Callable[[Step], None]


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status | None  # None: the case stays where it is (a longer deadline)
    roles: frozenset[str]  # user roles, and SYSTEM_ROLE for steps the system takes
    needs_comment: bool = False  # 补正, objections and refusals must say why
    data: str | None = None  # the name of the `data` the action carries (API schemas)
    fresh: bool = False  # a decision: the password entered again moments ago
    requires: tuple[Check, ...] = ()
    effects: tuple[Effect, ...] = ()


def transition(action: str, sources, target, roles, **rules) -> Transition:
    """A row of a programme's table."""
    return Transition(action, frozenset(sources), target, frozenset(roles), **rules)


@dataclass(frozen=True)
class Vocabulary:
    """The programme's own words, as its notifications say them."""

    benefit: str  # 低保, 高龄津贴
    payment: str  # 保障金, 津贴


@dataclass(frozen=True)
class Deadlines:
    """Setting names of the working days each stage may take."""

    review: str  # the township's, from acceptance (or from a re-review's opening)
    decision: str  # the whole path to the county's decision, from acceptance
    extended: str  # the same, once extended with a recorded reason


@dataclass(frozen=True)
class NewCase:
    """What a programme's opening rules see of a case about to be opened."""

    session: Session
    actor: User
    application: Application  # not yet added to the session
    applicant_id_number: str
    today: date


@dataclass(frozen=True)
class Programme:
    name: str  # an `ApplicationType`
    label: str
    number_prefix: str  # of its case numbers: DB202600000001
    vocabulary: Vocabulary
    transitions: tuple[Transition, ...]
    materials: tuple[AttachmentKind, ...]  # what must be accepted before a decision
    on_behalf_materials: tuple[AttachmentKind, ...]  # and when someone applies for another
    deadlines: Deadlines
    per_household: bool  # 按户施保: the case names the whole household
    family_may_apply: bool = False  # a relative with an account may apply for the person
    opening_rules: tuple[Callable[[NewCase], None], ...] = ()
    # The statuses shown on the public notice (公示); empty: the programme posts none.
    on_notice: frozenset[Status] = frozenset()
    # `rule(session, day) -> dict`, run by the daily task.
    daily_rules: tuple[Callable[[Session, date], dict[str, Any]], ...] = ()
    # The actions the county may take on a whole page at once.
    batch_actions: frozenset[str] = field(default_factory=frozenset)
    # 抽查: the county re-visits a sample of the paid cases.
    spot_checked: bool = False

    def required_materials(self, on_behalf: bool) -> tuple[AttachmentKind, ...]:
        return self.materials + self.on_behalf_materials if on_behalf else self.materials

    def transition_named(self, action: str) -> Transition | None:
        """The first row of `action` (rows of one action agree on `data` and `fresh`)."""
        return next((t for t in self.transitions if t.action == action), None)

    @property
    def actions(self) -> tuple[str, ...]:
        """What people may ask for; the system's own steps are not among them."""
        return tuple(sorted({t.action for t in self.transitions if t.roles - {SYSTEM_ROLE}}))


_PROGRAMMES: dict[str, Programme] = {}


def register(programme: Programme) -> None:
    _PROGRAMMES[programme.name] = programme


def programmes() -> tuple[Programme, ...]:
    return tuple(_PROGRAMMES.values())


def programme_of(name: str) -> Programme:
    try:
        return _PROGRAMMES[name]
    except KeyError:
        raise LookupError(f"programme {name!r} is not registered") from None


def all_actions() -> tuple[str, ...]:
    """Every action some programme offers to people (what a request may name)."""
    return tuple(sorted({a for p in _PROGRAMMES.values() for a in p.actions}))


def transition_named(action: str) -> Transition | None:
    """The first row of `action` in any programme (rows of one action agree on `data`
    and `fresh` across programmes)."""
    return next((t for p in _PROGRAMMES.values() if (t := p.transition_named(action))), None)


# ---- taking a step ------------------------------------------------------------------


def allowed_actions(application: Application, user: User) -> list[str]:
    return list(_actions_open(application.type, application.status, user.role))


@cache  # a handful of statuses times a handful of roles; asked for every row of a queue
def _actions_open(program: str, status: str, role: str) -> tuple[str, ...]:
    return tuple(
        t.action
        for t in programme_of(program).transitions
        if status in t.sources and role in t.roles
    )


def _transition(application: Application, action: str, user: User) -> Transition:
    for t in programme_of(application.type).transitions:
        if t.action == action and application.status in t.sources and user.role in t.roles:
            return t
    raise ActionNotAllowed(f"当前状态下不能执行该操作:{action}")


def perform(
    session: Session,
    application: Application,
    user: User,
    action: str,
    version: int,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    ip: str | None = None,
    today: date | None = None,
) -> Application:
    """Take `action` on the case as `user`; 409 when stale or not allowed now."""
    agent_mandate.check(user, application)
    check_version(application, version)
    transition = _transition(application, action, user)
    if transition.needs_comment and not comment.strip():
        raise ValidationFailed.field("comment", "请填写原因或需要补正的内容")
    step = Step(session, application, user, comment.strip(), data or {}, today or clock.today())
    _take(step, transition, ip)
    return application


def timeline_comment(text: str) -> str:
    """`text` cut to what a timeline entry holds (the whole stays with its source)."""
    longest = ApplicationEvent.comment.type.length
    return text if len(text) <= longest else text[: longest - 1] + "…"


def _system_row(application: Application, action: str) -> Transition | None:
    return next(
        (
            t
            for t in programme_of(application.type).transitions
            if t.action == action and SYSTEM_ROLE in t.roles and application.status in t.sources
        ),
        None,
    )


def system_may(application: Application, action: str) -> bool:
    """Whether the case's programme lets the system take `action` now."""
    return _system_row(application, action) is not None


def advance(
    session: Session, application: Application, action: str, today: date, comment: str = ""
) -> None:
    """A step the system takes (a daily rule, a resident's report), with `comment` on the
    case's timeline."""
    transition = _system_row(application, action)
    if transition is None:
        raise ActionNotAllowed(f"当前状态下不能执行该操作:{action}")
    _take(Step(session, application, None, comment, {}, today), transition, ip=None)


def advance_each(
    session: Session,
    applications: Sequence[Application],
    action: str,
    today: date,
    comment: str = "",
) -> int:
    """`advance` every case, each in a savepoint; return how many moved.

    A case that staff changed at the same instant (a stale version) is left as they
    made it, and the rule finds it again on its next run if it still applies: one busy
    case never undoes the day's other steps.
    """
    moved = 0
    for application in applications:
        try:
            with session.begin_nested():
                advance(session, application, action, today, comment)
        except StaleVersion:
            log.warning(
                "%s of case %s left for the next run: changed meanwhile", action, application.id
            )
            continue
        moved += 1
    return moved


def _take(step: Step, transition: Transition, ip: str | None) -> None:
    session, application = step.session, step.application
    for check in transition.requires:
        check(step)
    for effect in transition.effects:
        effect(step)
    before = application.status
    application.status = transition.target or before
    application.bump_version()
    put_on_timeline(session, application, step.actor, transition.action, before, step.comment, ip)
    _tell_applicant_side(session, application, transition.action, step.comment)


def check_version(application: Application, version: int) -> None:
    """The version the client read: another's change since then is a 409, never overwritten."""
    if version != application.version:
        raise StaleVersion(STALE)


# ---- what a step leaves behind ------------------------------------------------------


def put_on_timeline(
    session: Session,
    application: Application,
    actor: User | None,
    action: str,
    before: str | None,
    comment: str,
    ip: str | None,
) -> None:
    """Record a step of the case on its timeline and the audit log.

    The flush is where a change another request committed meanwhile shows, as a stale
    version (409); the caller rolls back (the request's error handler, a batch, a
    savepoint).
    """
    session.add(
        ApplicationEvent(
            application=application,
            action=action,
            from_status=before,
            to_status=application.status,
            actor_id=actor.id if actor else None,
            actor_role=actor.role if actor else SYSTEM_ROLE,
            comment=comment,
        )
    )
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(STALE) from None
    record_step(session, application, actor, action, before, ip)


def _tell_applicant_side(
    session: Session, application: Application, action: str, comment: str
) -> None:
    """The resident (once they have an account) and whoever applied, each once."""
    ids = {application.owner_id, application.submitted_by_id} - {None}
    recipients = session.scalars(
        select(User).where(User.id.in_(ids), User.role.in_(APPLICANT_SIDE)).order_by(User.id)
    )
    data = notice_data(application, comment)
    for user in recipients:
        notifications.notify(session, user, f"case_{action}", data)


def notice_data(application: Application, comment: str) -> dict[str, Any]:
    """What the case's notifications may say, in the programme's words: no identity
    or phone numbers."""
    words = programme_of(application.type).vocabulary
    return {
        "application_id": application.id,
        "application_number": application.number,
        "benefit": words.benefit,
        "payment": words.payment,
        "status": application.status,
        "comment": comment,
        "deadline": application.deadline.isoformat() if application.deadline else "",
        "publicity_ends_on": (
            application.publicity_ends_on.isoformat() if application.publicity_ends_on else ""
        ),
        "monthly_amount": f"{application.monthly_amount:.2f}"
        if application.monthly_amount is not None
        else "",
        "start_month": application.start_month or "",
        "amount_from": application.amount_from or "",
        "rereview_due_on": (
            application.rereview_due_on.isoformat() if application.rereview_due_on else ""
        ),
        "exit_month": application.exit_month or "",
        "appeal": APPEAL_NOTICE,
    }


def record_step(
    session: Session,
    application: Application,
    actor: User | None,
    action: str,
    before: str | None,
    ip: str | None,
) -> None:
    """Put a step of the case on the audit log; a step taken for a resident names them."""
    note = ""
    if application.on_behalf:
        applicant = mask_id_number(current_cipher().decrypt(application.applicant_id_cipher))
        note = f"代办,申请人 {applicant}"
    audit.record(
        session,
        actor,
        f"application.{action}",
        application,
        ip=ip,
        before=before,
        after=application.status,
        subject_user_id=application.owner_id,
        note=note,
    )
